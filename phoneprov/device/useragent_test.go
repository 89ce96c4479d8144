package device

import (
	"strings"
	"testing"
)

// uaCase is one User-Agent and the device it must be identified as. Source
// and MACSource are implied: "user-agent" whenever Vendor or MAC is set.
type uaCase struct {
	ua   string
	want Device
}

// Sources of the strings below:
//   - V: VENDORS.md §1.2, the vendor's "User-Agent" paragraph.
//   - W: the capture comments and tests of wazo-platform/wazo-provd-plugins
//     (plugins/wazo-<vendor>/…/common.py, tests/test_common.py); the
//     strings are facts about phones, no code is taken from there.
//   - E: excaliburpartners/polycomphones (FreePBX module), comments in its
//     phone configuration script.
//   - P: provisioner/Provisioner 5.0 index.php, a commented test request.
//   - S: public SIP traces and scripts found by code search; VENDORS.md
//     §1.2 notes Digium's and Obihai's HTTP UA are not documented, so these
//     come from their SIP stacks, which send the same string.
var realUserAgents = []uaCase{
	// Polycom / Poly. VENDORS.md §1.2: no MAC in the UA, model "VVX_400" is
	// written "VVX 400", the version is bootROM/Updater or application.
	{"FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078", // V, W
		Device{Vendor: "Polycom", Family: "SoundPoint IP", Model: "SPIP 335", Firmware: "3.2.1.0078"}},
	{"FileTransport PolycomSoundPointIP-SPIP_450-UA/3.2.3.1734", // W
		Device{Vendor: "Polycom", Family: "SoundPoint IP", Model: "SPIP 450", Firmware: "3.2.3.1734"}},
	{"FileTransport PolycomSoundStationIP-SSIP_6000-UA/4.0.4.2906 Type/Application", // W
		Device{Vendor: "Polycom", Family: "SoundStation IP", Model: "SSIP 6000", Firmware: "4.0.4.2906"}},
	{"FileTransport PolycomSoundStationIP-SSIP_6000-UA/5.0.3.1667 Type/Updater", // V, W
		Device{Vendor: "Polycom", Family: "SoundStation IP", Model: "SSIP 6000", Firmware: "5.0.3.1667"}},
	{"FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application", // V, W
		Device{Vendor: "Polycom", Family: "VVX", Model: "VVX 400", Firmware: "4.1.4.7430"}},
	{"FileTransport PolycomVVX-VVX_101-UA/5.4.3.1014 Type/Application", // V, W
		Device{Vendor: "Polycom", Family: "VVX", Model: "VVX 101", Firmware: "5.4.3.1014"}},
	{"FileTransport PolycomVVX-VVX_450-UA/5.9.1.0615 Type/Application", // E
		Device{Vendor: "Polycom", Family: "VVX", Model: "VVX 450", Firmware: "5.9.1.0615"}},
	{"FileTransport PolyEdge-Edge_E450-UA/8.0.0.15602 Type/Application", // E
		Device{Vendor: "Polycom", Family: "Edge", Model: "Edge E450", Firmware: "8.0.0.15602"}},
	// The "(SN:…)" of newer firmware is a serial number, not reported as a
	// MAC even though Polycom's serials look like one.
	{"FileTransport PolycomSoundStationIP-SSIP_5000-UA/4.0.3.7562 (SN:0004f2e765da) Type/Application", // P
		Device{Vendor: "Polycom", Family: "SoundStation IP", Model: "SSIP 5000", Firmware: "4.0.3.7562"}},

	// Yealink. VENDORS.md §1.2: colon MAC, T5x without colons, W-series
	// DECT, a no-MAC variant, lower-case vendor word.
	{"Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", // V, W
		Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1", MAC: "0015654aa937"}},
	{"yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b", // V, W
		Device{Vendor: "Yealink", Family: "T2x", Model: "SIP-T28P", Firmware: "2.70.0.140", MAC: "00156513ae0b"}},
	{"Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44", // V, W
		Device{Vendor: "Yealink", Family: "T4x", Model: "SIP VP-T49G", Firmware: "51.80.0.10", MAC: "0015659b5a44"}},
	{"Yealink W52P 25.80.0.15 00:15:65:b8:60:05", // V, W
		Device{Vendor: "Yealink", Family: "W", Model: "W52P", Firmware: "25.80.0.15", MAC: "001565b86005"}},
	{"VP530P 23.70.0.40 00:15:65:31:4b:c0", // V, W
		Device{Vendor: "Yealink", Family: "VP", Model: "VP530P", Firmware: "23.70.0.40", MAC: "001565314bc0"}},
	{"VP530 23.70.0.41 00:15:65:3d:58:e3", // W
		Device{Vendor: "Yealink", Family: "VP", Model: "VP530", Firmware: "23.70.0.41", MAC: "0015653d58e3"}},
	{"Yealink SIP-T31G 124.85.257.55 80:5e:c0:d5:7d:55", // V (Wazo acceptance test)
		Device{Vendor: "Yealink", Family: "T3x", Model: "SIP-T31G", Firmware: "124.85.257.55", MAC: "805ec0d57d55"}},
	{"Yealink SIP-T56A 58.80.0.25 001565f429a4", // V (FusionPBX comment)
		Device{Vendor: "Yealink", Family: "T5x", Model: "SIP-T56A", Firmware: "58.80.0.25", MAC: "001565f429a4"}},
	{"Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0", // V, W: the last field is no MAC
		Device{Vendor: "Yealink", Family: "T4x", Model: "T46G", Firmware: "28.71.0.81"}},
	{"Yealink W60B 77.81.0.35 80:5e:c0:09:ab:dc", // W
		Device{Vendor: "Yealink", Family: "W", Model: "W60B", Firmware: "77.81.0.35", MAC: "805ec009abdc"}},
	{"W52P 25.30.0.2 00:15:65:44:b3:7c", // W: DECT base without the vendor word
		Device{Vendor: "Yealink", Family: "W", Model: "W52P", Firmware: "25.30.0.2", MAC: "00156544b37c"}},
	{"Yealink SIP-CP920 78.85.0.5 00:15:65:5e:16:7c", // W (CP conference phone)
		Device{Vendor: "Yealink", Family: "CP", Model: "SIP-CP920", Firmware: "78.85.0.5", MAC: "0015655e167c"}},
	{"Yealink CP860 37.72.0.5 00:15:65:8a:37:86", // W
		Device{Vendor: "Yealink", Family: "CP", Model: "CP860", Firmware: "37.72.0.5", MAC: "0015658a3786"}},
	{"Yealink SIP-T38G  38.70.0.125 00:15:65:2f:c3:5e", // W: two spaces
		Device{Vendor: "Yealink", Family: "T3x", Model: "SIP-T38G", Firmware: "38.70.0.125", MAC: "0015652fc35e"}},
	{"Yealink SIP-T21P_E2 52.80.0.3 00:15:65:4c:4c:26", // W
		Device{Vendor: "Yealink", Family: "T2x", Model: "SIP-T21P_E2", Firmware: "52.80.0.3", MAC: "0015654c4c26"}},
	{"yealink SIP-T18 18.0.0.80 00:15:65:27:3e:05", // W
		Device{Vendor: "Yealink", Family: "T1x", Model: "SIP-T18", Firmware: "18.0.0.80", MAC: "001565273e05"}},

	// Cisco SPA / Linksys / MPP. VENDORS.md §1.2: "(MAC)(serial)" or
	// "(serial)"; MPP "(mac)".
	{"Linksys/SPA-942-6.1.5(a) (88019FA42805)", // V, W: a lone group is the serial
		Device{Vendor: "Linksys", Family: "SPA", Model: "SPA-942", Firmware: "6.1.5(a)"}},
	{"Linksys/SPA-962-6.1.5(a) (4MM00F903042)", // W
		Device{Vendor: "Linksys", Family: "SPA", Model: "SPA-962", Firmware: "6.1.5(a)"}},
	{"Cisco/SPA501G-7.4.4 (8843E157DDCC)(CBT141100HR)", // V, W
		Device{Vendor: "Cisco", Family: "SPA", Model: "SPA501G", Firmware: "7.4.4", MAC: "8843e157ddcc"}},
	{"Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)", // W
		Device{Vendor: "Cisco", Family: "SPA", Model: "SPA508G", Firmware: "7.4.8a", MAC: "0002fdff2103"}},
	{"Cisco/SPA525G-7.4.7 (CBT141900G7)", // V, W
		Device{Vendor: "Cisco", Family: "SPA", Model: "SPA525G", Firmware: "7.4.7"}},
	{"Cisco-CP-8841-3PCC/11.0 (00562b043615)", // V (Cisco MPP provisioning guide)
		Device{Vendor: "Cisco", Family: "MPP", Model: "CP-8841-3PCC", Firmware: "11.0", MAC: "00562b043615"}},

	// Grandstream. VENDORS.md §1.2: MAC after "DevId".
	{"Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872", // V
		Device{Vendor: "Grandstream", Family: "GXP", Model: "GXP2135", Firmware: "1.0.7.97", MAC: "000b828aa872"}},
	{"Grandstream Model HW GXV3240 V1.6B SW 1.0.1.27 DevId 000b82632815", // V, W
		Device{Vendor: "Grandstream", Family: "GXV", Model: "GXV3240", Firmware: "1.0.1.27", MAC: "000b82632815"}},
	{"Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b822726c8", // V, W
		Device{Vendor: "Grandstream", Family: "GXP", Model: "GXP2000", Firmware: "1.2.5.3", MAC: "000b822726c8"}},
	{"Grandstream Model HW GXP1628 SW 1.0.4.138 DevId c074ad2bd859", // W
		Device{Vendor: "Grandstream", Family: "GXP", Model: "GXP1628", Firmware: "1.0.4.138", MAC: "c074ad2bd859"}},
	{"Grandstream Model HW GXV3350  V1.3A SW 1.0.1.8 DevId c074ad150b88", // W: two spaces
		Device{Vendor: "Grandstream", Family: "GXV", Model: "GXV3350", Firmware: "1.0.1.8", MAC: "c074ad150b88"}},
	{"Grandstream Model HW GRP2614 SW 1.0.5.15 DevId c074ad0b63ee", // W
		Device{Vendor: "Grandstream", Family: "GRP", Model: "GRP2614", Firmware: "1.0.5.15", MAC: "c074ad0b63ee"}},
	{"Grandstream Model HW HT801 V1.1A SW 1.0.17.5 DevId c074ad273a10", // W
		Device{Vendor: "Grandstream", Family: "HT", Model: "HT801", Firmware: "1.0.17.5", MAC: "c074ad273a10"}},

	// Snom. VENDORS.md §1.2: no MAC on old firmware, upper-case MAC on new.
	{"Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)", // V
		Device{Vendor: "Snom", Family: "3xx", Model: "snom320", Firmware: "8.4.18"}},
	{"Mozilla/4.0 (compatible; snom710-SIP 8.7.5.35 1.1.5-IFX-05.01.12 000413741767)", // V
		Device{Vendor: "Snom", Family: "7xx", Model: "snom710", Firmware: "8.7.5.35", MAC: "000413741767"}},
	{"Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 00041396D9B4 SXM:0 UXM:0 UXMC:0)", // V
		Device{Vendor: "Snom", Family: "D7xx", Model: "snomD785", Firmware: "10.1.169.16", MAC: "00041396d9b4"}},

	// Fanvil. VENDORS.md §1.2.
	{"Fanvil X4 2.10.2.6887 0c383e07e16c", // V
		Device{Vendor: "Fanvil", Family: "X", Model: "X4", Firmware: "2.10.2.6887", MAC: "0c383e07e16c"}},
	{"Fanvil X6U Pro 0.0.10 0c383e2cd782", // V: a model with a space
		Device{Vendor: "Fanvil", Family: "X", Model: "X6U Pro", Firmware: "0.0.10", MAC: "0c383e2cd782"}},
	{"Fanvil X5U-V2 2.12.16.17 0c383e557eb1", // V
		Device{Vendor: "Fanvil", Family: "X", Model: "X5U-V2", Firmware: "2.12.16.17", MAC: "0c383e557eb1"}},

	// Aastra / Mitel. VENDORS.md §1.2: dashed upper-case MAC.
	{"Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP", // V
		Device{Vendor: "Aastra", Family: "67xxi", Model: "6731i", Firmware: "3.2.0.70", MAC: "00085d237429"}},
	{"Aastra6863i MAC:00-08-5D-40-90-5F V:4.1.0.128-SIP", // V
		Device{Vendor: "Aastra", Family: "68xxi", Model: "6863i", Firmware: "4.1.0.128", MAC: "00085d40905f"}},
	{"Mitel6940 MAC:14-00-E9-1B-45-24 V:6.4.0.140-SIP", // V
		Device{Vendor: "Aastra", Family: "69xx", Model: "6940", Firmware: "6.4.0.140", MAC: "1400e91b4524"}},

	// Gigaset PRO. VENDORS.md §1.2.
	{"Gigaset N720 DM PRO/70.089.00.000.000;7C2F80CA21E4", // V
		Device{Vendor: "Gigaset", Family: "PRO", Model: "N720 DM PRO", Firmware: "70.089.00.000.000", MAC: "7c2f80ca21e4"}},
	{"N510 IP PRO/42.245.00.000.000", // V: no vendor word, no MAC
		Device{Vendor: "Gigaset", Family: "PRO", Model: "N510 IP PRO", Firmware: "42.245.00.000.000"}},
	{"Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;7C2F80E0D605", // V
		Device{Vendor: "Gigaset", Family: "PRO", Model: "N870 IP PRO", Firmware: "83.V2.11.0+build.a546b91", MAC: "7c2f80e0d605"}},

	// Digium D-series (S: a D60 API script's header and a D40 SIP trace).
	{"Digium D60 2_7_0", // S
		Device{Vendor: "Digium", Family: "D6x", Model: "D60", Firmware: "2.7.0"}},
	{"Digium D40 1_4_0_0_57389", // S
		Device{Vendor: "Digium", Family: "D4x", Model: "D40", Firmware: "1.4.0.0.57389"}},

	// Obihai (S: a SIP proxy's list of real User-Agents).
	{"OBIHAI/OBi202-3.2.2.5921", // S
		Device{Vendor: "Obihai", Family: "OBi2xx", Model: "OBi202", Firmware: "3.2.2.5921"}},
}

// fromUserAgent fills in the sources a device identified from the
// User-Agent alone must carry.
func fromUserAgent(d Device) Device {
	if d.Vendor != "" {
		d.Source = SourceUserAgent
	}
	if d.MAC != "" {
		d.MACSource = SourceUserAgent
	}
	return d
}

// TestIdentifyRealUserAgents checks each vendor's documented User-Agents
// (VENDORS.md §1.2, see realUserAgents for each string's source).
func TestIdentifyRealUserAgents(t *testing.T) {
	if len(realUserAgents) < 40 {
		t.Fatalf("only %d real User-Agents", len(realUserAgents))
	}
	vendors := map[string]bool{}
	for _, tc := range realUserAgents {
		got := Identify(Request{Proto: "http", UserAgent: tc.ua})
		if want := fromUserAgent(tc.want); got != want {
			t.Errorf("Identify(%q)\n got %+v\nwant %+v", tc.ua, got, want)
		}
		vendors[tc.want.Vendor] = true
	}
	for _, v := range []string{VendorPolycom, VendorYealink, VendorCisco, VendorLinksys, VendorGrandstream,
		VendorSnom, VendorFanvil, VendorAastra, VendorGigaset, VendorDigium, VendorObihai} {
		if !vendors[v] {
			t.Errorf("no User-Agent for %s", v)
		}
	}
}

// TestIdentifyMalformedUserAgents feeds what a scanner or a broken phone
// might send. Identify must not panic, must not report a MAC it cannot
// vouch for, and must not pass bytes through that are not printable ASCII
// (Identify: inputs bounded to 1 KiB, non-UTF-8 tolerated).
func TestIdentifyMalformedUserAgents(t *testing.T) {
	yealink := "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"
	cases := []struct {
		name string
		ua   string
		want Device
	}{
		{"empty", "", Device{}},
		{"spaces only", "   \t ", Device{}},
		{"10 KiB of junk", strings.Repeat("A", 10<<10), Device{}},
		{"10 KiB of vendor words", strings.Repeat("Yealink ", 10<<10/8), Device{}},
		// VENDORS.md §1.2 Yealink format, then 10 KiB the matcher ignores.
		{"valid UA then 10 KiB", yealink + " " + strings.Repeat("x", 10<<10),
			Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1", MAC: "0015654aa937"}},
		// Truncation to 1 KiB happens before matching: a MAC past it is unseen.
		{"MAC beyond 1 KiB", "Yealink SIP-T46G 28.72.0.1" + strings.Repeat(" ", 1100) + "00:15:65:4a:a9:37",
			Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1"}},
		// Non-UTF-8 inside the model: the model is dropped, the rest kept.
		{"non-UTF-8 model", "Fanvil X4\xff 2.10.2.6887 0c383e07e16c",
			Device{Vendor: "Fanvil", Family: "X", Firmware: "2.10.2.6887", MAC: "0c383e07e16c"}},
		{"non-UTF-8 firmware", "Grandstream Model HW GXP2135 SW 1.0.7.97\xc3 DevId 000b828aa872",
			Device{Vendor: "Grandstream", Family: "GXP", Model: "GXP2135", MAC: "000b828aa872"}},
		{"non-UTF-8 before the vendor", "\xff\xfeYealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", Device{}},
		// A NUL glued to the MAC spoils the MAC only.
		{"NUL after MAC", yealink + "\x00",
			Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1"}},
		{"NUL inside vendor word", "Poly\x00comVVX-VVX_400-UA/4.1.4.7430", Device{}},
		{"NUL ends firmware", "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430\x00Type/Application",
			Device{Vendor: "Polycom", Family: "VVX", Model: "VVX 400", Firmware: "4.1.4.7430"}},
		{"only NULs", strings.Repeat("\x00", 64), Device{}},
		// Almost two vendors: a browser UA quoting a Grandstream UA is neither
		// Grandstream (not its leading word) nor Snom (not snom after
		// "compatible;").
		{"Grandstream inside Mozilla", "Mozilla/5.0 (compatible; Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872)", Device{}},
		{"snom after MSIE", "Mozilla/4.0 (compatible; MSIE 6.0; snom320-SIP 8.4.18)", Device{}},
		// A Yealink UA carrying a Fanvil OUI is still a Yealink: the format
		// decides the vendor, the OUI is only a fallback for paths.
		{"Yealink format, Fanvil MAC", "Yealink SIP-T46G 28.72.0.1 0c:38:3e:07:e1:6c",
			Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1", MAC: "0c383e07e16c"}},
		// "Poly" is also the brand on OBi devices; the Polycom format needs
		// the product line and "-UA/".
		{"Poly then OBIHAI", "Poly OBIHAI/OBi202-3.2.2.5921", Device{}},
		{"Polycom without -UA/", "FileTransport PolycomVVX-VVX_400/4.1.4.7430", Device{}},
		// MAC-like serials that are not MACs (VENDORS.md §1.2 Cisco SPA: the
		// last group is the serial).
		{"Linksys serial only", "Linksys/SPA-942-6.1.5(a) (88019FA42805)",
			Device{Vendor: "Linksys", Family: "SPA", Model: "SPA-942", Firmware: "6.1.5(a)"}},
		{"Cisco SPA serial only, hex", "Cisco/SPA525G-7.4.7 (0002FDFF2103)",
			Device{Vendor: "Cisco", Family: "SPA", Model: "SPA525G", Firmware: "7.4.7"}},
		{"MPP serial, not hex", "Cisco-CP-8841-3PCC/11.0 (FCH2137ABCD)",
			Device{Vendor: "Cisco", Family: "MPP", Model: "CP-8841-3PCC", Firmware: "11.0"}},
		// A zero MAC names no phone.
		{"zero MAC", "Fanvil X4 2.10.2.6887 000000000000",
			Device{Vendor: "Fanvil", Family: "X", Model: "X4", Firmware: "2.10.2.6887"}},
		// Wrong separators in a MAC field.
		{"mixed separators", "Yealink SIP-T46G 28.72.0.1 00:15-65:4a:a9:37",
			Device{Vendor: "Yealink", Family: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1"}},
		// Vendor word without the rest of the format.
		{"Yealink without version", "Yealink SIP-T46G", Device{}},
		{"bare W model without MAC", "W52P 25.30.0.2", Device{}},
		{"Cisco without version", "Cisco/SPA508G", Device{}},
		{"Grandstream without model digits", "Grandstream Networks", Device{}},
		{"Aastra without tags", "Aastra6731i", Device{}},
		{"Gigaset-like without PRO", "N510 IP/42.245.00.000.000", Device{}},
		{"Digium without model", "Digium phone", Device{}},
		{"Obihai without version", "OBIHAI/OBi202", Device{}},
		{"snom without -SIP", "Mozilla/4.0 (compatible; snom320 8.4.18)", Device{}},
		{"model of 200 bytes", "Fanvil " + strings.Repeat("X", 200) + " 2.10.2.6887 0c383e07e16c",
			Device{Vendor: "Fanvil", Family: "", Firmware: "2.10.2.6887", MAC: "0c383e07e16c"}},
		{"curl", "curl/8.5.0", Device{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Identify(Request{Proto: "http", UserAgent: tc.ua})
			if want := fromUserAgent(tc.want); got != want {
				t.Errorf("Identify(%.80q)\n got %+v\nwant %+v", tc.ua, got, want)
			}
		})
	}
}
