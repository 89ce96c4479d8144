package device

import (
	"strings"
	"testing"
)

// fromPath fills in the sources of a device identified from the path alone:
// the vendor from a file-name convention, the MAC from the file name.
func fromPath(d Device) Device {
	if d.Vendor != "" {
		d.Source = SourcePath
	}
	if d.MAC != "" {
		d.MACSource = SourcePath
	}
	return d
}

// fromOUI fills in the sources of a device whose vendor only the OUI of
// the path's MAC gives.
func fromOUI(d Device) Device {
	d.Source, d.MACSource = SourceOUI, SourcePath
	return d
}

// TestIdentifyPath: no User-Agent, so every vendor's file-name convention
// (VENDORS.md §1.1 and §1.2, per vendor) must identify it, and a bare
// <mac>.cfg or <MAC>.xml, which several vendors share, falls back to the
// OUI (§1.3 "Vendor detection", step 5).
func TestIdentifyPath(t *testing.T) {
	cases := []struct {
		path string
		want Device
	}{
		// Cisco 79xx: SEP/CTLSEP/ITLSEP/SIP<MAC> and the fixed TFTP files.
		{"SEP00562B043615.cnf.xml", fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
		{"CTLSEP00562B043615.tlv", fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
		{"ITLSEP00562B043615.tlv", fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
		{"SIP00562B043615.cnf", fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
		{"XMLDefault.cnf.xml", fromPath(Device{Vendor: "Cisco", Family: "79xx"})},
		{"OS79XX.TXT", fromPath(Device{Vendor: "Cisco", Family: "79xx"})},
		{"SIPDefault.cnf", fromPath(Device{Vendor: "Cisco", Family: "79xx"})},
		{"ITLFile.tlv", fromPath(Device{Vendor: "Cisco", Family: "79xx"})},
		// Cisco ATA190, SPA spa<mac>.xml and spa$PSN.cfg, MPP $PSN.xml.
		{"ATA00562B043615.cnf.xml", fromPath(Device{Vendor: "Cisco", Family: "ATA", Model: "ATA190", MAC: "00562b043615"})},
		{"spa8843e157ddcc.xml", fromPath(Device{Vendor: "Cisco", Family: "SPA", MAC: "8843e157ddcc"})},
		{"spa508g.cfg", fromPath(Device{Vendor: "Cisco", Family: "SPA", Model: "SPA508G"})},
		{"CP-8841-3PCC.xml", fromPath(Device{Vendor: "Cisco", Family: "MPP", Model: "CP-8841-3PCC"})},
		// Grandstream cfg<mac>[.bin|.xml] → cfg<model>.xml → cfg.xml.
		{"cfg000b828aa872", fromPath(Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"cfg000b828aa872.bin", fromPath(Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"cfg000b828aa872.xml", fromPath(Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"cfggrp2614.xml", fromPath(Device{Vendor: "Grandstream", Family: "GRP", Model: "GRP2614"})},
		{"cfg.xml", fromPath(Device{Vendor: "Grandstream"})},
		// Yealink <MAC>.boot → y000000000000.boot → y0000000000XX.cfg.
		{"805ec0aa0042.boot", fromPath(Device{Vendor: "Yealink", MAC: "805ec0aa0042"})},
		{"y000000000000.boot", fromPath(Device{Vendor: "Yealink"})},
		{"y000000000028.cfg", fromPath(Device{Vendor: "Yealink"})},
		{"y000000000025.cfg", fromPath(Device{Vendor: "Yealink"})},
		{"001565f429a4-local.cfg", fromPath(Device{Vendor: "Yealink", MAC: "001565f429a4"})},
		{"001565f429a4-contact.xml", fromPath(Device{Vendor: "Yealink", MAC: "001565f429a4"})},
		{"T54W(T57W,T53W,T53,T53C,T54,T57)-96.87.0.15.rom", fromPath(Device{Vendor: "Yealink"})},
		// Polycom: the files beside <mac>.cfg, 000000000000.cfg, images.
		{"0004f2a1b2c3-phone.cfg", fromPath(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"0004f2a1b2c3-web.cfg", fromPath(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"0004f2a1b2c3-license.cfg", fromPath(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"0004f2a1b2c3-app.log", fromPath(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"000000000000.cfg", fromPath(Device{Vendor: "Polycom"})},
		{"000000000000-directory.xml", fromPath(Device{Vendor: "Polycom"})},
		{"sip.ld", fromPath(Device{Vendor: "Polycom"})},
		{"2345-12600-001.sip.ld", fromPath(Device{Vendor: "Polycom"})},
		{"bootrom.ver", fromPath(Device{Vendor: "Polycom"})},
		{"SoundPointIPLocalization/English_United_States/SoundPointIP-dictionary.xml", fromPath(Device{Vendor: "Polycom"})},
		// Digium: Wazo's Digium/ directory and the D-series side files.
		{"Digium/000fd3123456.cfg", fromPath(Device{Vendor: "Digium", MAC: "000fd3123456"})},
		{"000fd3123456-contacts.xml", fromPath(Device{Vendor: "Digium", MAC: "000fd3123456"})},
		{"000fd3123456-smartblf.cfg", fromPath(Device{Vendor: "Digium", MAC: "000fd3123456"})},
		// Snom snom<model>-<MAC>.htm, snom-<MAC>.xml, firmware.
		{"snom320-000413741767.htm", fromPath(Device{Vendor: "Snom", Family: "3xx", Model: "snom320", MAC: "000413741767"})},
		{"snom-000413741767.xml", fromPath(Device{Vendor: "Snom", MAC: "000413741767"})},
		{"snomD785-10.1.101.11-SIP-r.bin", fromPath(Device{Vendor: "Snom", Family: "D7xx", Model: "snomD785"})},
		// Fanvil f0<model>hw1.100.cfg and the older f0<code>.cfg.
		{"f0X4hw1.100.cfg", fromPath(Device{Vendor: "Fanvil", Family: "X", Model: "X4"})},
		{"f0X2hw1.100.cfg", fromPath(Device{Vendor: "Fanvil", Family: "X", Model: "X2"})},
		{"f0C00580000.cfg", fromPath(Device{Vendor: "Fanvil"})},
		// Aastra aastra.cfg → <model>.cfg → <MAC>.cfg; .tuz twins; .st firmware.
		{"aastra.cfg", fromPath(Device{Vendor: "Aastra"})},
		{"aastra.tuz", fromPath(Device{Vendor: "Aastra"})},
		{"6731i.cfg", fromPath(Device{Vendor: "Aastra", Family: "67xxi", Model: "6731i"})},
		{"6863i.st", fromPath(Device{Vendor: "Aastra", Family: "68xxi", Model: "6863i"})},
		{"00085D237429.tuz", fromPath(Device{Vendor: "Aastra", MAC: "00085d237429"})},

		// Shared names: the vendor comes from the OUI.
		{"0004f2a1b2c3.cfg", fromOUI(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"001565f429a4.cfg", fromOUI(Device{Vendor: "Yealink", MAC: "001565f429a4"})},
		{"0c383e07e16c.cfg", fromOUI(Device{Vendor: "Fanvil", MAC: "0c383e07e16c"})},
		{"00085D237429.cfg", fromOUI(Device{Vendor: "Aastra", MAC: "00085d237429"})},
		{"000413741767.xml", fromOUI(Device{Vendor: "Snom", MAC: "000413741767"})},
		{"7C2F80CA21E4.xml", fromOUI(Device{Vendor: "Gigaset", MAC: "7c2f80ca21e4"})},
		{"00562b043615.xml", fromOUI(Device{Vendor: "Cisco", MAC: "00562b043615"})},
		{"MN_1400e91b4524.cfg", fromOUI(Device{Vendor: "Aastra", MAC: "1400e91b4524"})},
		{"config/0004f2a1b2c3", fromOUI(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		// A MAC whose OUI is no phone maker's: MAC only.
		{"a1b2c3d4e5f6.cfg", fromPath(Device{MAC: "a1b2c3d4e5f6"})},
		// A MAC that starts with f0 is a per-phone file, not Fanvil's model file.
		{"f0a1b2c3d4e5.cfg", fromPath(Device{MAC: "f0a1b2c3d4e5"})},
		// Nothing to go on.
		{"index.html", Device{}},
		{"", Device{}},
		{"/", Device{}},
		{"../../etc/passwd", Device{}},
	}
	for _, tc := range cases {
		got := Identify(Request{Proto: "http", Path: tc.path})
		if got != tc.want {
			t.Errorf("Identify(path %q)\n got %+v\nwant %+v", tc.path, got, tc.want)
		}
	}
}

// TestIdentifyTFTP: TFTP requests carry a file name and no User-Agent
// (VENDORS.md §1.1: Cisco 79xx TFTP only; Polycom and Grandstream over TFTP
// too). A User-Agent passed with a TFTP request is ignored.
func TestIdentifyTFTP(t *testing.T) {
	cases := []struct {
		name string
		req  Request
		want Device
	}{
		{"Cisco 79xx SEP", Request{Proto: "tftp", Path: "SEP0004F2A1B2C3.cnf.xml"},
			fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "0004f2a1b2c3"})},
		{"Cisco 79xx SEP, leading slash", Request{Proto: "tftp", Path: "/SEP00562B043615.cnf.xml"},
			fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
		{"Cisco 79xx SIP", Request{Proto: "tftp", Path: "SIP00562B043615.cnf"},
			fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
		{"Cisco 79xx default", Request{Proto: "tftp", Path: "XMLDefault.cnf.xml"},
			fromPath(Device{Vendor: "Cisco", Family: "79xx"})},
		{"Polycom master file", Request{Proto: "tftp", Path: "0004f2a1b2c3.cfg"},
			fromOUI(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"Polycom default", Request{Proto: "tftp", Path: "000000000000.cfg"},
			fromPath(Device{Vendor: "Polycom"})},
		{"Polycom boot log", Request{Proto: "tftp", Path: "0004f2a1b2c3-boot.log"},
			fromPath(Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"Grandstream binary", Request{Proto: "tftp", Path: "cfg000b828aa872"},
			fromPath(Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"Grandstream xml", Request{Proto: "tftp", Path: "cfg000b828aa872.xml"},
			fromPath(Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"User-Agent ignored", Request{Proto: "tftp", Path: "SEP00562B043615.cnf.xml",
			UserAgent: "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"},
			fromPath(Device{Vendor: "Cisco", Family: "79xx", MAC: "00562b043615"})},
	}
	for _, tc := range cases {
		if got := Identify(tc.req); got != tc.want {
			t.Errorf("%s: Identify(%+v)\n got %+v\nwant %+v", tc.name, tc.req, got, tc.want)
		}
	}
}

// TestIdentifyUserAgentAndPath: the User-Agent decides the vendor; its MAC
// is reported when it has one, the path's otherwise, and MACMismatch tells
// the two apart (VENDORS.md §1.3, "Cross-check MAC in UA vs MAC in path").
func TestIdentifyUserAgentAndPath(t *testing.T) {
	const yealinkUA = "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"
	yealink := Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1",
		MAC: "0015654aa937", MACSource: SourceUserAgent, Source: SourceUserAgent}
	cases := []struct {
		name     string
		ua, path string
		want     Device
		mismatch bool
	}{
		{"same MAC", yealinkUA, "0015654aa937.cfg", yealink, false},
		{"other phone's file", yealinkUA, "001565f429a4.cfg", yealink, true},
		{"other vendor's convention", yealinkUA, "SEP00562B043615.cnf.xml", yealink, true},
		{"common file", yealinkUA, "y000000000028.cfg", yealink, false},
		// Polycom sends no MAC: the path's is reported.
		{"Polycom, MAC from path", "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application", "0004f2a1b2c3.cfg",
			Device{Vendor: "Polycom", Family: "VVX", Model: "VVX 400", Firmware: "4.1.4.7430",
				MAC: "0004f2a1b2c3", MACSource: SourcePath, Source: SourceUserAgent}, false},
		// An unknown UA leaves the vendor to the path.
		{"unknown UA", "curl/8.5.0", "cfg000b828aa872.xml",
			fromPath(Device{Vendor: "Grandstream", MAC: "000b828aa872"}), false},
		// The model the UA could not give comes from the same vendor's file.
		{"model from path", "Fanvil X4\xff 2.10.2.6887 0c383e07e16c", "f0X4hw1.100.cfg",
			Device{Vendor: "Fanvil", Family: "X", Model: "X4", Firmware: "2.10.2.6887",
				MAC: "0c383e07e16c", MACSource: SourceUserAgent, Source: SourceUserAgent}, false},
		// …but not from another vendor's.
		{"no model from another vendor", "Fanvil X4\xff 2.10.2.6887 0c383e07e16c", "6731i.cfg",
			Device{Vendor: "Fanvil", Family: "X", Firmware: "2.10.2.6887",
				MAC: "0c383e07e16c", MACSource: SourceUserAgent, Source: SourceUserAgent}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Identify(Request{Proto: "http", UserAgent: tc.ua, Path: tc.path})
			if got != tc.want {
				t.Errorf("Identify(%q, %q)\n got %+v\nwant %+v", tc.ua, tc.path, got, tc.want)
			}
			pathMAC, _ := MACFromPath(tc.path)
			if m := got.MACMismatch(pathMAC); m != tc.mismatch {
				t.Errorf("MACMismatch(%q) = %v, want %v", pathMAC, m, tc.mismatch)
			}
		})
	}
}

// TestMatcherIsolation: a matcher that panics, claims a vendor that does
// not exist, or returns a bad MAC or control characters must not stop the
// others or leak what it returned (Identify: "each vendor matcher is
// isolated").
func TestMatcherIsolation(t *testing.T) {
	panics := uaMatcher{"panics", func(string) (Device, bool) {
		var m map[string]int
		m["x"]++ // nil map write
		return Device{}, true
	}}
	indexes := uaMatcher{"indexes", func(ua string) (Device, bool) {
		return Device{Vendor: VendorSnom, Model: ua[len(ua)+1:]}, true
	}}
	unknownVendor := uaMatcher{"acme", func(string) (Device, bool) {
		return Device{Vendor: "Acme", Model: "X1", MAC: "0004f2a1b2c3"}, true
	}}
	garbage := uaMatcher{"garbage", func(string) (Device, bool) {
		return Device{Vendor: VendorPolycom, Family: strings.Repeat("F", 65), Model: "bad\x00model",
			Firmware: "1.\x1b[2J0", MAC: "not-a-mac"}, true
	}}
	zeroMAC := uaMatcher{"zero", func(string) (Device, bool) {
		return Device{Vendor: VendorPolycom, Model: "VVX 400", MAC: "00:00:00:00:00:00"}, true
	}}
	real := uaMatchers[:]
	const ua = "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"
	yealink := fromUserAgent(Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G",
		Firmware: "28.72.0.1", MAC: "0015654aa937"})

	cases := []struct {
		name     string
		matchers []uaMatcher
		want     Device
	}{
		{"panic, then the real matchers", append([]uaMatcher{panics, indexes}, real...), yealink},
		{"unknown vendor discarded", append([]uaMatcher{unknownVendor}, real...), yealink},
		{"bad fields dropped", []uaMatcher{garbage}, Device{Vendor: VendorPolycom, Source: SourceUserAgent}},
		{"zero MAC dropped", []uaMatcher{zeroMAC}, Device{Vendor: VendorPolycom, Model: "VVX 400", Source: SourceUserAgent}},
		{"only failing matchers", []uaMatcher{panics, indexes, unknownVendor}, Device{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := identify(Request{Proto: "http", UserAgent: ua}, tc.matchers)
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
