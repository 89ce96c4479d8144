package family

import (
	"strings"
	"testing"
)

// FuzzMACFromPath: MACFromPath never panics and returns either nothing or
// 12 lower-case hex digits, never all zeros, found in the file name.
func FuzzMACFromPath(f *testing.F) {
	for _, seed := range []string{
		"0004f2a1b2c3.cfg", "SEP0004F2A1B2C3.cnf.xml", "cfg000b828aa872", "snom320-000413741767.htm",
		"snom-", "y000000000028.cfg", "000000000000.cfg", "MN_", "a/b\\c", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, path string) {
		mac, ok := MACFromPath(path)
		if !ok {
			if mac != "" {
				t.Fatalf("MACFromPath(%q) = %q, false", path, mac)
			}
			return
		}
		if len(mac) != 12 || strings.Trim(mac, "0123456789abcdef") != "" || mac == ZeroMAC {
			t.Fatalf("MACFromPath(%q) = %q", path, mac)
		}
		if !strings.Contains(strings.ToLower(baseName(truncate(path))), mac) {
			t.Fatalf("MACFromPath(%q) = %q, not in the file name", path, mac)
		}
	})
}

// FuzzNormalizeMAC: NormalizeMAC never panics, what it accepts is 12
// lower-case hex digits made of the input's hex digits, and it accepts its
// own output.
func FuzzNormalizeMAC(f *testing.F) {
	for _, seed := range []string{"00:15:65:4a:a9:37", "00-08-5D-23-74-29", "0004.f2a1.b2c3", "0004F2A1B2C3", "00:15-65"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mac, ok := NormalizeMAC(s)
		if !ok {
			return
		}
		if len(mac) != 12 || strings.Trim(mac, "0123456789abcdef") != "" {
			t.Fatalf("NormalizeMAC(%q) = %q", s, mac)
		}
		digits := strings.Map(func(r rune) rune {
			if r == ':' || r == '-' || r == '.' {
				return -1
			}
			return r
		}, strings.ToLower(s))
		if digits != mac {
			t.Fatalf("NormalizeMAC(%q) = %q, want %q", s, mac, digits)
		}
		if again, ok := NormalizeMAC(mac); !ok || again != mac {
			t.Fatalf("NormalizeMAC(%q) = %q, %v; not idempotent", mac, again, ok)
		}
	})
}
