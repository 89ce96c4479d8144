package families

import (
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
)

// checkDevice fails t unless d is well formed: a canonical vendor or none,
// a MAC of 12 lower-case hex digits or none, known sources consistent with
// the fields, and short printable-ASCII text fields.
func checkDevice(t *testing.T, d family.Device) {
	t.Helper()
	if d.Vendor != "" && !isVendor(d.Vendor) {
		t.Fatalf("vendor %q is not canonical", d.Vendor)
	}
	if d.MAC != "" {
		if len(d.MAC) != 12 || strings.Trim(d.MAC, "0123456789abcdef") != "" {
			t.Fatalf("MAC %q is not 12 lower-case hex digits", d.MAC)
		}
		if d.MAC == family.ZeroMAC {
			t.Fatalf("all-zero MAC reported")
		}
	}
	switch {
	case d.MAC == "" && d.MACSource != "",
		d.MAC != "" && d.MACSource != family.SourceUserAgent && d.MACSource != family.SourcePath:
		t.Fatalf("MAC %q with MACSource %q", d.MAC, d.MACSource)
	case d.Vendor == "" && d.Source != "",
		d.Vendor != "" && d.Source != family.SourceUserAgent && d.Source != family.SourcePath && d.Source != family.SourceOUI:
		t.Fatalf("vendor %q with Source %q", d.Vendor, d.Source)
	case d.Vendor == "" && (d.ProductLine != "" || d.Model != "" || d.Firmware != ""):
		t.Fatalf("fields without a vendor: %+v", d)
	}
	for _, f := range []string{d.ProductLine, d.Model, d.Firmware} {
		if len(f) > 64 {
			t.Fatalf("field of %d bytes: %q", len(f), f)
		}
		for i := 0; i < len(f); i++ {
			if f[i] < 0x20 || f[i] > 0x7e {
				t.Fatalf("non-printable byte in %q", f)
			}
		}
	}
}

// FuzzIdentify: Identify never panics, and a fuzzed User-Agent or path
// never yields a MAC that is not 12 lower-case hex digits or a malformed
// Device. A MAC reported from the User-Agent must be readable in it, and
// one from the path must be what family.MACFromPath gives.
func FuzzIdentify(f *testing.F) {
	for _, tc := range realUserAgents(f) {
		f.Add(tc.UA, "", false)
	}
	for _, seed := range []struct {
		ua, path string
		tftp     bool
	}{
		{"", "SEP0004F2A1B2C3.cnf.xml", true},
		{"", "cfg000b828aa872.xml", true},
		{"", "0004f2a1b2c3-phone.cfg", false},
		{"", "y000000000028.cfg", false},
		{"", "f0X4hw1.100.cfg", false},
		{"", "snom320-000413741767.htm", false},
		{"Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", "001565f429a4.cfg", false},
		{"Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 (x) 00041396D9B4)", "snom-000413741767.xml", false},
		{"Cisco/SPA501G-7.4.4 (8843E157DDCC)(", "spa8843e157ddcc.xml", false},
		{"Grandstream Model HW SW DevId", "cfg", false},
		{"Aastra6731i MAC: V:", "aastra.tuz", false},
		{"Gigaset /;", "Digium/", false},
		{"\xff\x00Yealink-", `\\`, false},
	} {
		f.Add(seed.ua, seed.path, seed.tftp)
	}
	f.Fuzz(func(t *testing.T, ua, path string, tftp bool) {
		proto := "http"
		if tftp {
			proto = "tftp"
		}
		d := Identify(family.Request{Proto: proto, UserAgent: ua, Path: path})
		checkDevice(t, d)
		if tftp && d.Source == family.SourceUserAgent {
			t.Fatalf("TFTP request identified from a User-Agent: %+v", d)
		}
		switch d.MACSource {
		case family.SourceUserAgent:
			if !macInText(cut1K(ua), d.MAC) {
				t.Fatalf("MAC %q is not in the User-Agent %q", d.MAC, ua)
			}
		case family.SourcePath:
			if m, ok := family.MACFromPath(path); !ok || m != d.MAC {
				t.Fatalf("MAC %q, family.MACFromPath(%q) = %q, %v", d.MAC, path, m, ok)
			}
		}
	})
}

// macInText reports whether mac appears in s with its hex digits in order,
// in either case, separated by nothing or by separators.
func macInText(s, mac string) bool {
	for start := 0; start < len(s); start++ {
		i, j := start, 0
		for i < len(s) && j < len(mac) {
			c, ok := lowerHex(s[i])
			switch {
			case ok && c == mac[j]:
				j++
			case j > 0 && (s[i] == ':' || s[i] == '-' || s[i] == '.'):
			default:
				i = len(s)
				continue
			}
			i++
		}
		if j == len(mac) {
			return true
		}
	}
	return false
}

// isVendor reports whether v is the Vendor of one of the families.
func isVendor(v string) bool {
	_, ok := ByVendor(v)
	return ok
}

// cut1K is the part of an input identification looks at.
func cut1K(s string) string {
	if len(s) > 1024 {
		return s[:1024]
	}
	return s
}

// lowerHex returns c in lower case and true if c is a hex digit.
func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		return c, true
	case 'A' <= c && c <= 'F':
		return c + 'a' - 'A', true
	}
	return 0, false
}
