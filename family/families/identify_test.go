package families

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
)

// fromPath fills in the sources of a device identified from the path alone:
// the vendor from a file-name convention, the MAC from the file name.
func fromPath(d family.Device) family.Device {
	if d.Vendor != "" {
		d.Source = family.SourcePath
	}
	if d.MAC != "" {
		d.MACSource = family.SourcePath
	}
	return d
}

// fromOUI fills in the sources of a device whose vendor only the OUI of
// the path's MAC gives.
func fromOUI(d family.Device) family.Device {
	d.Source, d.MACSource = family.SourceOUI, family.SourcePath
	return d
}

// TestIdentifyPath: no User-Agent, so every vendor's file-name convention
// (docs/vendors.md#what-phones-fetch) must identify it, and a bare
// <mac>.cfg or <MAC>.xml, which several vendors share, falls back to the
// OUI (docs/vendors.md#mac-addresses).
func TestIdentifyPath(t *testing.T) {
	cases := []struct {
		path string
		want family.Device
	}{
		// Cisco 79xx: SEP/CTLSEP/ITLSEP/SIP<MAC> and the fixed TFTP files.
		{"SEP00562B043615.cnf.xml", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
		{"CTLSEP00562B043615.tlv", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
		{"ITLSEP00562B043615.tlv", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
		{"SIP00562B043615.cnf", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
		{"XMLDefault.cnf.xml", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx"})},
		{"OS79XX.TXT", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx"})},
		{"SIPDefault.cnf", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx"})},
		{"ITLFile.tlv", fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx"})},
		// Cisco ATA190, SPA spa<mac>.xml and spa$PSN.cfg, MPP $PSN.xml.
		{"ATA00562B043615.cnf.xml", fromPath(family.Device{Vendor: "Cisco", ProductLine: "ATA", Model: "ATA190", MAC: "00562b043615"})},
		{"spa8843e157ddcc.xml", fromPath(family.Device{Vendor: "Cisco", ProductLine: "SPA", MAC: "8843e157ddcc"})},
		{"spa508g.cfg", fromPath(family.Device{Vendor: "Cisco", ProductLine: "SPA", Model: "SPA508G"})},
		{"CP-8841-3PCC.xml", fromPath(family.Device{Vendor: "Cisco", ProductLine: "MPP", Model: "CP-8841-3PCC"})},
		// Grandstream cfg<mac>[.bin|.xml] → cfg<model>.xml → cfg.xml.
		{"cfg000b828aa872", fromPath(family.Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"cfg000b828aa872.bin", fromPath(family.Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"cfg000b828aa872.xml", fromPath(family.Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"cfggrp2614.xml", fromPath(family.Device{Vendor: "Grandstream", ProductLine: "GRP", Model: "GRP2614"})},
		{"cfg.xml", fromPath(family.Device{Vendor: "Grandstream"})},
		// Yealink <MAC>.boot → y000000000000.boot → y0000000000XX.cfg.
		{"805ec0aa0042.boot", fromPath(family.Device{Vendor: "Yealink", MAC: "805ec0aa0042"})},
		{"y000000000000.boot", fromPath(family.Device{Vendor: "Yealink"})},
		{"y000000000028.cfg", fromPath(family.Device{Vendor: "Yealink"})},
		{"y000000000025.cfg", fromPath(family.Device{Vendor: "Yealink"})},
		{"001565f429a4-local.cfg", fromPath(family.Device{Vendor: "Yealink", MAC: "001565f429a4"})},
		{"001565f429a4-contact.xml", fromPath(family.Device{Vendor: "Yealink", MAC: "001565f429a4"})},
		{"T54W(T57W,T53W,T53,T53C,T54,T57)-96.87.0.15.rom", fromPath(family.Device{Vendor: "Yealink"})},
		// Polycom: the files beside <mac>.cfg, 000000000000.cfg, images.
		{"0004f2a1b2c3-phone.cfg", fromPath(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"0004f2a1b2c3-web.cfg", fromPath(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"0004f2a1b2c3-license.cfg", fromPath(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"0004f2a1b2c3-app.log", fromPath(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"000000000000.cfg", fromPath(family.Device{Vendor: "Polycom"})},
		{"000000000000-directory.xml", fromPath(family.Device{Vendor: "Polycom"})},
		{"sip.ld", fromPath(family.Device{Vendor: "Polycom"})},
		{"2345-12600-001.sip.ld", fromPath(family.Device{Vendor: "Polycom"})},
		{"bootrom.ver", fromPath(family.Device{Vendor: "Polycom"})},
		{"SoundPointIPLocalization/English_United_States/SoundPointIP-dictionary.xml", fromPath(family.Device{Vendor: "Polycom"})},
		// Digium: Wazo's Digium/ directory and the D-series side files.
		{"Digium/000fd3123456.cfg", fromPath(family.Device{Vendor: "Digium", MAC: "000fd3123456"})},
		{"000fd3123456-contacts.xml", fromPath(family.Device{Vendor: "Digium", MAC: "000fd3123456"})},
		{"000fd3123456-smartblf.cfg", fromPath(family.Device{Vendor: "Digium", MAC: "000fd3123456"})},
		// Snom snom<model>-<MAC>.htm, snom-<MAC>.xml, firmware.
		{"snom320-000413741767.htm", fromPath(family.Device{Vendor: "Snom", ProductLine: "3xx", Model: "snom320", MAC: "000413741767"})},
		{"snom-000413741767.xml", fromPath(family.Device{Vendor: "Snom", MAC: "000413741767"})},
		{"snomD785-10.1.101.11-SIP-r.bin", fromPath(family.Device{Vendor: "Snom", ProductLine: "D7xx", Model: "snomD785"})},
		// Fanvil f0<model>hw1.100.cfg and the older f0<code>.cfg.
		{"f0X4hw1.100.cfg", fromPath(family.Device{Vendor: "Fanvil", ProductLine: "X", Model: "X4"})},
		{"f0X2hw1.100.cfg", fromPath(family.Device{Vendor: "Fanvil", ProductLine: "X", Model: "X2"})},
		{"f0C00580000.cfg", fromPath(family.Device{Vendor: "Fanvil"})},
		// Aastra aastra.cfg → <model>.cfg → <MAC>.cfg; .tuz twins; .st firmware.
		{"aastra.cfg", fromPath(family.Device{Vendor: "Aastra"})},
		{"aastra.tuz", fromPath(family.Device{Vendor: "Aastra"})},
		{"6731i.cfg", fromPath(family.Device{Vendor: "Aastra", ProductLine: "67xxi", Model: "6731i"})},
		{"6863i.st", fromPath(family.Device{Vendor: "Aastra", ProductLine: "68xxi", Model: "6863i"})},
		{"00085D237429.tuz", fromPath(family.Device{Vendor: "Aastra", MAC: "00085d237429"})},

		// Shared names: the vendor comes from the OUI.
		{"0004f2a1b2c3.cfg", fromOUI(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"001565f429a4.cfg", fromOUI(family.Device{Vendor: "Yealink", MAC: "001565f429a4"})},
		{"0c383e07e16c.cfg", fromOUI(family.Device{Vendor: "Fanvil", MAC: "0c383e07e16c"})},
		{"00085D237429.cfg", fromOUI(family.Device{Vendor: "Aastra", MAC: "00085d237429"})},
		{"000413741767.xml", fromOUI(family.Device{Vendor: "Snom", MAC: "000413741767"})},
		{"7C2F80CA21E4.xml", fromOUI(family.Device{Vendor: "Gigaset", MAC: "7c2f80ca21e4"})},
		{"00562b043615.xml", fromOUI(family.Device{Vendor: "Cisco", MAC: "00562b043615"})},
		{"MN_1400e91b4524.cfg", fromOUI(family.Device{Vendor: "Aastra", MAC: "1400e91b4524"})},
		{"config/0004f2a1b2c3", fromOUI(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		// A MAC whose OUI is no phone maker's: MAC only.
		{"a1b2c3d4e5f6.cfg", fromPath(family.Device{MAC: "a1b2c3d4e5f6"})},
		// A MAC that starts with f0 is a per-phone file, not Fanvil's model file.
		{"f0a1b2c3d4e5.cfg", fromPath(family.Device{MAC: "f0a1b2c3d4e5"})},
		// Nothing to go on.
		{"index.html", family.Device{}},
		{"", family.Device{}},
		{"/", family.Device{}},
		{"../../etc/passwd", family.Device{}},
	}
	for _, tc := range cases {
		got := Identify(family.Request{Proto: "http", Path: tc.path})
		if got != tc.want {
			t.Errorf("Identify(path %q)\n got %+v\nwant %+v", tc.path, got, tc.want)
		}
	}
}

// TestIdentifyTFTP: TFTP requests carry a file name and no User-Agent
// (docs/vendors.md#what-phones-fetch: Cisco 79xx TFTP only; Polycom and
// Grandstream over TFTP too). A User-Agent passed with a TFTP request is
// ignored.
func TestIdentifyTFTP(t *testing.T) {
	cases := []struct {
		name string
		req  family.Request
		want family.Device
	}{
		{"Cisco 79xx SEP", family.Request{Proto: "tftp", Path: "SEP0004F2A1B2C3.cnf.xml"},
			fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "0004f2a1b2c3"})},
		{"Cisco 79xx SEP, leading slash", family.Request{Proto: "tftp", Path: "/SEP00562B043615.cnf.xml"},
			fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
		{"Cisco 79xx SIP", family.Request{Proto: "tftp", Path: "SIP00562B043615.cnf"},
			fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
		{"Cisco 79xx default", family.Request{Proto: "tftp", Path: "XMLDefault.cnf.xml"},
			fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx"})},
		{"Polycom master file", family.Request{Proto: "tftp", Path: "0004f2a1b2c3.cfg"},
			fromOUI(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"Polycom default", family.Request{Proto: "tftp", Path: "000000000000.cfg"},
			fromPath(family.Device{Vendor: "Polycom"})},
		{"Polycom boot log", family.Request{Proto: "tftp", Path: "0004f2a1b2c3-boot.log"},
			fromPath(family.Device{Vendor: "Polycom", MAC: "0004f2a1b2c3"})},
		{"Grandstream binary", family.Request{Proto: "tftp", Path: "cfg000b828aa872"},
			fromPath(family.Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"Grandstream xml", family.Request{Proto: "tftp", Path: "cfg000b828aa872.xml"},
			fromPath(family.Device{Vendor: "Grandstream", MAC: "000b828aa872"})},
		{"User-Agent ignored", family.Request{Proto: "tftp", Path: "SEP00562B043615.cnf.xml",
			UserAgent: "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"},
			fromPath(family.Device{Vendor: "Cisco", ProductLine: "79xx", MAC: "00562b043615"})},
	}
	for _, tc := range cases {
		if got := Identify(tc.req); got != tc.want {
			t.Errorf("%s: Identify(%+v)\n got %+v\nwant %+v", tc.name, tc.req, got, tc.want)
		}
	}
}

// TestIdentifyUserAgentAndPath: the User-Agent decides the vendor; its MAC
// is reported when it has one, the path's otherwise, and MACMismatch tells
// the two apart (docs/vendors.md#mac-addresses).
func TestIdentifyUserAgentAndPath(t *testing.T) {
	const yealinkUA = "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"
	yealink := family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1",
		MAC: "0015654aa937", MACSource: family.SourceUserAgent, Source: family.SourceUserAgent}
	cases := []struct {
		name     string
		ua, path string
		want     family.Device
		mismatch bool
	}{
		{"same MAC", yealinkUA, "0015654aa937.cfg", yealink, false},
		{"other phone's file", yealinkUA, "001565f429a4.cfg", yealink, true},
		{"other vendor's convention", yealinkUA, "SEP00562B043615.cnf.xml", yealink, true},
		{"common file", yealinkUA, "y000000000028.cfg", yealink, false},
		// Polycom sends no MAC: the path's is reported.
		{"Polycom, MAC from path", "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application", "0004f2a1b2c3.cfg",
			family.Device{Vendor: "Polycom", ProductLine: "VVX", Model: "VVX 400", Firmware: "4.1.4.7430",
				MAC: "0004f2a1b2c3", MACSource: family.SourcePath, Source: family.SourceUserAgent}, false},
		// An unknown UA leaves the vendor to the path.
		{"unknown UA", "curl/8.5.0", "cfg000b828aa872.xml",
			fromPath(family.Device{Vendor: "Grandstream", MAC: "000b828aa872"}), false},
		// The model the UA could not give comes from the same vendor's file.
		{"model from path", "Fanvil X4\xff 2.10.2.6887 0c383e07e16c", "f0X4hw1.100.cfg",
			family.Device{Vendor: "Fanvil", ProductLine: "X", Model: "X4", Firmware: "2.10.2.6887",
				MAC: "0c383e07e16c", MACSource: family.SourceUserAgent, Source: family.SourceUserAgent}, false},
		// …but not from another vendor's.
		{"no model from another vendor", "Fanvil X4\xff 2.10.2.6887 0c383e07e16c", "6731i.cfg",
			family.Device{Vendor: "Fanvil", ProductLine: "X", Firmware: "2.10.2.6887",
				MAC: "0c383e07e16c", MACSource: family.SourceUserAgent, Source: family.SourceUserAgent}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Identify(family.Request{Proto: "http", UserAgent: tc.ua, Path: tc.path})
			if got != tc.want {
				t.Errorf("Identify(%q, %q)\n got %+v\nwant %+v", tc.ua, tc.path, got, tc.want)
			}
			pathMAC, _ := family.MACFromPath(tc.path)
			if m := got.MACMismatch(pathMAC); m != tc.mismatch {
				t.Errorf("MACMismatch(%q) = %v, want %v", pathMAC, m, tc.mismatch)
			}
		})
	}
}
