package family

import "testing"

// TestNormalizeMAC: 12 hex digits, bare or with ':' '-' '.' where MACs are
// written with them (NormalizeMAC; docs/vendors.md#mac-addresses: Yealink
// colons, Aastra dashes, Cisco dotted quads, any case).
func TestNormalizeMAC(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"0004f2a1b2c3", "0004f2a1b2c3", true},
		{"0004F2A1B2C3", "0004f2a1b2c3", true},
		{"00:15:65:4a:a9:37", "0015654aa937", true},     // Yealink UA
		{"00-08-5D-23-74-29", "00085d237429", true},     // Aastra UA
		{"0004.F2A1.B2C3", "0004f2a1b2c3", true},        // Cisco notation
		{"000000000000", "000000000000", true},          // syntactically a MAC
		{"00:15-65:4a:a9:37", "", false},                // mixed separators
		{"00.15.65.4a.a9.37", "", false},                // '.' only between quads
		{"0015:654a:a937", "", false},                   // ':' only between pairs
		{"00:15:65:4a:a9:3", "", false},                 // too short
		{"00:15:65:4a:a9:377", "", false},               // too long
		{"0004f2a1b2cg", "", false},                     // not hex
		{" 0004f2a1b2c3", "", false},                    // stray space
		{"0004f2a1b2c3 ", "", false},                    //
		{"", "", false},                                 //
		{"00:15:65:4a:a9:37\x00", "", false},            // NUL
		{"00\xff15\xff65\xff4a\xffa9\xff37", "", false}, // non-UTF-8 separators
	}
	for _, tc := range cases {
		got, ok := NormalizeMAC(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizeMAC(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestMACFromPath covers every vendor's per-phone file name
// (docs/vendors.md#what-phones-fetch) and the names that must not be taken
// for one.
func TestMACFromPath(t *testing.T) {
	cases := []struct {
		path string
		want string // "" means ok must be false
	}{
		// Polycom: <mac>.cfg and the files beside it, lower case.
		{"0004f2a1b2c3.cfg", "0004f2a1b2c3"},
		{"0004f2a1b2c3-phone.cfg", "0004f2a1b2c3"},
		{"0004f2a1b2c3-directory.xml", "0004f2a1b2c3"},
		{"0004f2a1b2c3-boot.log", "0004f2a1b2c3"},
		{"config/0004f2a1b2c3", "0004f2a1b2c3"}, // res_phoneprov's sample phoneprov.conf
		// Yealink: <MAC>.boot, <MAC>.cfg, -local.cfg.
		{"805ec0aa0042.boot", "805ec0aa0042"},
		{"yealink/805ec0aa0042.boot", "805ec0aa0042"},
		{"001565F429A4-local.cfg", "001565f429a4"},
		// Cisco 79xx (upper case), ATA190, SPA, MPP $MA.xml.
		{"SEP0004F2A1B2C3.cnf.xml", "0004f2a1b2c3"},
		{"CTLSEP00562B043615.tlv", "00562b043615"},
		{"ITLSEP00562B043615.tlv", "00562b043615"},
		{"SIP00562B043615.cnf", "00562b043615"},
		{"ATA00562B043615.cnf.xml", "00562b043615"},
		{"spa0004f2a1b2c3.xml", "0004f2a1b2c3"},
		{"00562b043615.xml", "00562b043615"},
		// Grandstream cfg<mac>, .bin, .xml.
		{"cfg000b828aa872", "000b828aa872"},
		{"cfg000b828aa872.bin", "000b828aa872"},
		{"cfg000b828aa872.xml", "000b828aa872"},
		// Snom snom<model>-<MAC>.htm and res_phoneprov's snom-<MAC>.xml.
		{"snom320-000413741767.htm", "000413741767"},
		{"snomD785-00041396D9B4.htm", "00041396d9b4"},
		{"snom-000413741767.xml", "000413741767"},
		// Aastra <MAC>.cfg / .tuz, Mitel MiVoice MN_<mac>.cfg, Gigaset <MAC>.xml.
		{"00085D237429.cfg", "00085d237429"},
		{"00085D237429.tuz", "00085d237429"},
		{"MN_1400e91b4524.cfg", "1400e91b4524"},
		{"7C2F80CA21E4.xml", "7c2f80ca21e4"},
		// Digium under Wazo's Digium/ directory.
		{"Digium/000fd3123456.cfg", "000fd3123456"},
		// TFTP file names with a leading '/' or Windows separators.
		{"/SEP00562B043615.cnf.xml", "00562b043615"},
		{`tftpboot\cfg000b828aa872.xml`, "000b828aa872"},

		// Not MACs: the default file, model files, firmware, generic names.
		{"000000000000.cfg", ""},
		{"000000000000-directory.xml", ""},
		{"000000000000-license.cfg", ""},
		{"SEP000000000000.cnf.xml", ""},
		{"y000000000000.boot", ""},
		{"y000000000028.cfg", ""},
		{"y000000000108.cfg", ""},
		{"f0X4hw1.100.cfg", ""},
		{"f0C00580000.cfg", ""},
		{"sip.ld", ""},
		{"2345-12600-001.sip.ld", ""},
		{"bootrom.ld", ""},
		{"snomD785-10.1.101.11-SIP-r.bin", ""},
		{"T54W(T57W,T53W,T53,T53C,T54,T57)-96.87.0.15.rom", ""},
		{"XMLDefault.cnf.xml", ""},
		{"cfg.xml", ""},
		{"cfggxp2135.xml", ""},
		{"spa508g.cfg", ""},
		{"CP-8841-3PCC.xml", ""},
		{"aastra.cfg", ""},
		{"6731i.cfg", ""},
		{"0004f2a1b2c3d.cfg", ""},      // 13 hex digits
		{"0004f2a1b2c.cfg", ""},        // 11
		{"x0004f2a1b2c3.cfg", ""},      // unknown prefix
		{"0004f2a1b2c3/phone.cfg", ""}, // MAC in a directory, not the file name
		{"00:04:f2:a1:b2:c3.cfg", ""},  // separators are not a file-name convention
		{"", ""},
		{"/", ""},
	}
	for _, tc := range cases {
		got, ok := MACFromPath(tc.path)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("MACFromPath(%q) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.want != "")
		}
	}
}

// TestMACFromPathBounded: paths are cut to 1 KiB before matching, so a MAC
// file name past that is not seen (Identify: input is bounded).
func TestMACFromPathBounded(t *testing.T) {
	long := make([]byte, 2000)
	for i := range long {
		long[i] = 'a'
	}
	path := string(long) + "/0004f2a1b2c3.cfg"
	if mac, ok := MACFromPath(path); ok {
		t.Errorf("MACFromPath(2 KiB path) = %q, want none", mac)
	}
}

// TestMACMismatch: the User-Agent's MAC against the path's
// (docs/vendors.md#mac-addresses).
func TestMACMismatch(t *testing.T) {
	ua := Device{Vendor: "Yealink", MAC: "0015654aa937", MACSource: SourceUserAgent}
	cases := []struct {
		d       Device
		pathMAC string
		want    bool
	}{
		{ua, "0015654aa937", false},
		{ua, "00:15:65:4A:A9:37", false}, // same MAC, other notation
		{ua, "001565f429a4", true},
		{ua, "", false},          // path carries no MAC
		{ua, "not-a-mac", false}, // nothing to compare
		{Device{}, "001565f429a4", false},
	}
	for _, tc := range cases {
		if got := tc.d.MACMismatch(tc.pathMAC); got != tc.want {
			t.Errorf("%+v.MACMismatch(%q) = %v, want %v", tc.d, tc.pathMAC, got, tc.want)
		}
	}
}
