package family

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// ZeroMAC is the all-zero MAC that names a vendor's default or common file
// (Polycom 000000000000.cfg, 000000000000-directory.xml) rather than a phone.
const ZeroMAC = "000000000000"

// NormalizeMAC accepts 12 hex digits with or without ':' '-' '.' separators,
// any case, and returns them as 12 lower-case hex digits. Separators must sit
// where MACs are written with them: after every two digits for ':' and '-'
// ("00:04:F2:A1:B2:C3", "00-08-5D-23-74-29"), after every four for '.'
// ("0004.f2a1.b2c3"), one kind per address.
func NormalizeMAC(s string) (string, bool) {
	var group int
	var sep byte
	switch len(s) {
	case 12:
		return hexLower(s)
	case 17:
		group, sep = 2, s[2]
		if sep != ':' && sep != '-' {
			return "", false
		}
	case 14:
		group, sep = 4, '.'
	default:
		return "", false
	}
	var buf [12]byte
	n := 0
	for i := 0; i < len(s); i++ {
		if (i+1)%(group+1) == 0 {
			if s[i] != sep {
				return "", false
			}
			continue
		}
		c, ok := lowerHex(s[i])
		if !ok {
			return "", false
		}
		buf[n] = c
		n++
	}
	return string(buf[:]), true
}

// hexLower returns the 12-character s in lower case if it is all hex digits.
// An s that is already lower case is returned as is, without allocating.
func hexLower(s string) (string, bool) {
	var buf [12]byte
	if len(s) != len(buf) {
		return "", false
	}
	lower := true
	for i := 0; i < len(s); i++ {
		c, ok := lowerHex(s[i])
		if !ok {
			return "", false
		}
		buf[i] = c
		lower = lower && c == s[i]
	}
	if lower {
		return s, true
	}
	return string(buf[:]), true
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

// macAt returns the MAC written as 12 hex digits at s[i:], provided nothing
// alphanumeric follows it (so "0004f2a1b2c3.cfg" holds a MAC and a 13-digit
// run does not).
func macAt(s string, i int) (string, bool) {
	if i < 0 || len(s) < i+12 {
		return "", false
	}
	if len(s) > i+12 && text.IsAlnum(s[i+12]) {
		return "", false
	}
	return hexLower(s[i : i+12])
}

// baseName returns the last element of a path or TFTP file name; TFTP
// clients may use '/' or '\' as a separator.
func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' || p[i] == '\\' {
			return p[i+1:]
		}
	}
	return p
}

// macFilePrefixes are what vendors put before the MAC in a file name
// (docs/vendors.md#what-phones-fetch): Cisco 79xx SEP<MAC>.cnf.xml,
// CTLSEP<MAC>.tlv, ITLSEP<MAC>.tlv and SIP<MAC>.cnf, Cisco ATA190
// ATA<MAC>.cnf.xml, Grandstream cfg<mac>[.bin|.xml], Cisco SPA spa<mac>.xml
// and Mitel MiVoice MN_<mac>.cfg. Snom's snom<model>-<MAC>.htm is handled
// apart because its prefix varies. Longer prefixes come first so CTLSEP is
// not read as C+TLSEP.
var macFilePrefixes = [...]string{"CTLSEP", "ITLSEP", "SEP", "SIP", "ATA", "cfg", "spa", "MN_"}

// MACFromPath extracts a MAC from a provisioning file name as the vendors
// write them ("0004f2a1b2c3.cfg", "SEP0004F2A1B2C3.cnf.xml",
// "cfg000b828aa872.xml", "spa0004f2a1b2c3.xml", "snom320-000413741767.htm",
// "snom-000413741767.xml"), normalised to 12 lower-case hex digits; ok is
// false when there is none. Only the last path element is examined, and the
// MAC must start it or follow one of the vendors' prefixes, so model files
// such as "y000000000028.cfg" and "f0X4hw1.100.cfg" and firmware names yield
// nothing. The all-zero MAC (the default/common file) is ignored.
func MACFromPath(path string) (mac string, ok bool) {
	base := baseName(truncate(path))
	mac, ok = macAt(base, 0)
	if !ok {
		mac, ok = macAfterPrefix(base)
	}
	if !ok || mac == ZeroMAC {
		return "", false
	}
	return mac, true
}

// macAfterPrefix finds the MAC that follows a vendor prefix in base.
func macAfterPrefix(base string) (string, bool) {
	for _, p := range macFilePrefixes {
		if text.HasPrefixFold(base, p) {
			if mac, ok := macAt(base, len(p)); ok {
				return mac, true
			}
		}
	}
	// snom<model>-<MAC>.htm and snom-<MAC>.xml: the MAC follows the first '-'.
	if text.HasPrefixFold(base, "snom") {
		if i := strings.IndexByte(base, '-'); i >= 4 {
			return macAt(base, i+1)
		}
	}
	return "", false
}
