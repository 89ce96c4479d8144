package security

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
)

func TestMACsIn(t *testing.T) {
	// The notations family.NormalizeMAC accepts, as vendors write them in
	// certificates (docs/vendors.md#mac-addresses).
	tests := []struct {
		in   string
		want []string
	}{
		{"0004F2A1B2C3", []string{"0004f2a1b2c3"}},
		{"00:04:f2:a1:b2:c3", []string{"0004f2a1b2c3"}},
		{"00-04-F2-A1-B2-C3", []string{"0004f2a1b2c3"}},
		{"0004.f2a1.b2c3", []string{"0004f2a1b2c3"}},
		{"SEP0004F2A1B2C3", []string{"0004f2a1b2c3"}},
		{"urn:dev:mac:0004f2a1b2c3", []string{"0004f2a1b2c3"}},
		{"SEP0004F2A1B2C3.phones.example", []string{"0004f2a1b2c3"}},
		{"Polycom VVX 0004f2a1b2c3 unit", []string{"0004f2a1b2c3"}},
		{"0004f2a1b2c3 and 00:15:65:4a:a9:37", []string{"0004f2a1b2c3", "0015654aa937"}},
		{"0004f2a1b2c3d", nil},  // 13 hex digits: not a MAC
		{"a0004f2a1b2c3", nil},  // a hex digit before it
		{"000000000000", nil},   // the all-zero MAC names no phone
		{"00:04:f2:a1:b2", nil}, // too short
		{"00:04-f2:a1:b2:c3", nil},
		{"FCH2236ABCD", nil}, // a Cisco serial
		{"", nil},
	}
	for _, tt := range tests {
		if got := macsIn(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("macsIn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCertificateMACs(t *testing.T) {
	u, _ := url.Parse("urn:dev:mac:0004f2c0ffee")
	tests := []struct {
		name string
		cert x509.Certificate
		want []string
	}{
		{"Polycom-style CN", x509.Certificate{Subject: pkix.Name{CommonName: "0004f2a1b2c3"}}, []string{"0004f2a1b2c3"}},
		// Cisco MPP: OU=<model>, L=<serial>, S=<mac>
		// (docs/vendors.md#client-certificates).
		{"Cisco MPP", x509.Certificate{Subject: pkix.Name{OrganizationalUnit: []string{"CP-8841-3PCC"}, Locality: []string{"0004F2000001"}, Province: []string{"00562b043615"}}}, []string{"00562b043615"}},
		{"SAN URI", x509.Certificate{URIs: []*url.URL{u}}, []string{"0004f2c0ffee"}},
		{"same MAC twice", x509.Certificate{Subject: pkix.Name{CommonName: "00:04:f2:a1:b2:c3"}, DNSNames: []string{"0004f2a1b2c3.example"}}, []string{"0004f2a1b2c3"}},
		{"two MACs", x509.Certificate{Subject: pkix.Name{CommonName: "0004f2a1b2c3"}, EmailAddresses: []string{"0004f2c0ffee@phones.example"}}, []string{"0004f2a1b2c3", "0004f2c0ffee"}},
		{"serial and model are not looked at", x509.Certificate{Subject: pkix.Name{SerialNumber: "0004f2a1b2c3", Organization: []string{"0004f2a1b2c3"}}}, nil},
		{"generic certificate", x509.Certificate{Subject: pkix.Name{CommonName: "Yealink Generic"}}, nil},
	}
	for _, tt := range tests {
		if got := certificateMACs(&tt.cert); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// Bounded: a certificate with thousands of names is not scanned whole.
	many := x509.Certificate{}
	for range 1000 {
		many.DNSNames = append(many.DNSNames, "x")
	}
	many.DNSNames = append(many.DNSNames, "0004f2a1b2c3.example")
	if got := certificateMACs(&many); got != nil {
		t.Errorf("name past the bound scanned: %q", got)
	}
}

// FuzzCertificateMAC scans arbitrary certificate fields for MACs: it must
// never panic, and everything it finds is a normalised, non-zero MAC
// written in s.
func FuzzCertificateMAC(f *testing.F) {
	for _, s := range []string{"0004F2A1B2C3", "00:04:f2:a1:b2:c3", "urn:dev:mac:0004f2a1b2c3", "0004.f2a1.b2c3", "SEP0004F2A1B2C3x", "00-04-F2-A1-B2-C", "0004f2a1b2c3d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		macs := macsIn(s)
		if len(macs) > len(s)/12 {
			t.Fatalf("%d MACs in %d bytes", len(macs), len(s))
		}
		lower := strings.ToLower(strings.NewReplacer(":", "", "-", "", ".", "").Replace(s))
		for _, m := range macs {
			if n, ok := family.NormalizeMAC(m); !ok || n != m || m == "000000000000" {
				t.Fatalf("%q: bad MAC %q", s, m)
			}
			if !strings.Contains(lower, m) {
				t.Fatalf("%q: MAC %q is not in it", s, m)
			}
		}
	})
}
