// Package familytest helps test a family: it reads the family's
// User-Agent corpus (testdata/useragents.tsv) and checks that
// identification reports what the corpus says.
package familytest

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
)

// UserAgent is one line of a corpus: a User-Agent and the device it must
// be identified as (Source and MACSource left empty).
type UserAgent struct {
	UA     string
	Want   family.Device
	Source string // where the string comes from
	Line   int    // line in the corpus file
}

// ReadUserAgents reads a corpus file: '#' comments and, per line, the
// User-Agent, product line, model, firmware, MAC and source separated by
// tabs. vendor fills Want.Vendor.
func ReadUserAgents(path, vendor string) ([]UserAgent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []UserAgent
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 6 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 6", path, n, len(cols))
		}
		out = append(out, UserAgent{
			UA:     cols[0],
			Want:   family.Device{Vendor: vendor, ProductLine: cols[1], Model: cols[2], Firmware: cols[3], MAC: cols[4]},
			Source: cols[5],
			Line:   n,
		})
	}
	return out, sc.Err()
}

// FromUserAgent fills in the sources a device identified from the
// User-Agent alone carries.
func FromUserAgent(d family.Device) family.Device {
	if d.Vendor != "" {
		d.Source = family.SourceUserAgent
	}
	if d.MAC != "" {
		d.MACSource = family.SourceUserAgent
	}
	return d
}

// CheckUserAgents identifies every User-Agent of f's corpus at path with
// fams (f alone, or every family) and fails t on each difference. It fails
// too when the corpus is empty.
func CheckUserAgents(t *testing.T, f family.Family, fams []family.Family, path string) {
	t.Helper()
	cases, err := ReadUserAgents(path, f.Vendor)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no User-Agent", path)
	}
	for _, tc := range cases {
		got := family.Identify(fams, family.Request{Proto: "http", UserAgent: tc.UA})
		if want := FromUserAgent(tc.Want); got != want {
			t.Errorf("%s:%d: Identify(%q)\n got %+v\nwant %+v", path, tc.Line, tc.UA, got, want)
		}
	}
}
