package families

import (
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/familytest"
)

// realUserAgents reads every family's User-Agent corpus
// (family/<name>/testdata/useragents.tsv, with each string's source).
func realUserAgents(tb testing.TB) []familytest.UserAgent {
	tb.Helper()
	var all []familytest.UserAgent
	for _, f := range List() {
		cases, err := familytest.ReadUserAgents("../"+f.Name+"/testdata/useragents.tsv", f.Vendor)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, cases...)
	}
	return all
}

// fromUserAgent fills in the sources a device identified from the
// User-Agent alone must carry.
func fromUserAgent(d family.Device) family.Device { return familytest.FromUserAgent(d) }

// TestIdentifyRealUserAgents checks each family's corpus against every
// family: each User-Agent is recognised by its own family and no other.
func TestIdentifyRealUserAgents(t *testing.T) {
	cases := realUserAgents(t)
	if len(cases) < 50 {
		t.Fatalf("only %d real User-Agents", len(cases))
	}
	vendors := map[string]bool{}
	for _, tc := range cases {
		got := Identify(family.Request{Proto: "http", UserAgent: tc.UA})
		if want := fromUserAgent(tc.Want); got != want {
			t.Errorf("Identify(%q)\n got %+v\nwant %+v", tc.UA, got, want)
		}
		vendors[tc.Want.Vendor] = true
	}
	for _, f := range List() {
		if !vendors[f.Vendor] {
			t.Errorf("no User-Agent for %s", f.Vendor)
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
		want family.Device
	}{
		{"empty", "", family.Device{}},
		{"spaces only", "   \t ", family.Device{}},
		{"10 KiB of junk", strings.Repeat("A", 10<<10), family.Device{}},
		{"10 KiB of vendor words", strings.Repeat("Yealink ", 10<<10/8), family.Device{}},
		// Yealink's format (docs/vendors.md#yealink), then 10 KiB the
		// matcher ignores.
		{"valid UA then 10 KiB", yealink + " " + strings.Repeat("x", 10<<10),
			family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1", MAC: "0015654aa937"}},
		// Truncation to 1 KiB happens before matching: a MAC past it is unseen.
		{"MAC beyond 1 KiB", "Yealink SIP-T46G 28.72.0.1" + strings.Repeat(" ", 1100) + "00:15:65:4a:a9:37",
			family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1"}},
		// Non-UTF-8 inside the model: the model is dropped, the rest kept.
		{"non-UTF-8 model", "Fanvil X4\xff 2.10.2.6887 0c383e07e16c",
			family.Device{Vendor: "Fanvil", ProductLine: "X", Firmware: "2.10.2.6887", MAC: "0c383e07e16c"}},
		{"non-UTF-8 firmware", "Grandstream Model HW GXP2135 SW 1.0.7.97\xc3 DevId 000b828aa872",
			family.Device{Vendor: "Grandstream", ProductLine: "GXP", Model: "GXP2135", MAC: "000b828aa872"}},
		{"non-UTF-8 before the vendor", "\xff\xfeYealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", family.Device{}},
		// A NUL glued to the MAC spoils the MAC only.
		{"NUL after MAC", yealink + "\x00",
			family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1"}},
		{"NUL inside vendor word", "Poly\x00comVVX-VVX_400-UA/4.1.4.7430", family.Device{}},
		{"NUL ends firmware", "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430\x00Type/Application",
			family.Device{Vendor: "Polycom", ProductLine: "VVX", Model: "VVX 400", Firmware: "4.1.4.7430"}},
		{"only NULs", strings.Repeat("\x00", 64), family.Device{}},
		// Almost two vendors: a browser UA quoting a Grandstream UA is neither
		// Grandstream (not its leading word) nor Snom (not snom after
		// "compatible;").
		{"Grandstream inside Mozilla", "Mozilla/5.0 (compatible; Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872)", family.Device{}},
		{"snom after MSIE", "Mozilla/4.0 (compatible; MSIE 6.0; snom320-SIP 8.4.18)", family.Device{}},
		// A Yealink UA carrying a Fanvil OUI is still a Yealink: the format
		// decides the vendor, the OUI is only a fallback for paths.
		{"Yealink format, Fanvil MAC", "Yealink SIP-T46G 28.72.0.1 0c:38:3e:07:e1:6c",
			family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1", MAC: "0c383e07e16c"}},
		// "Poly" is also the brand on OBi devices; the Polycom format needs
		// the product line and "-UA/".
		{"Poly then OBIHAI", "Poly OBIHAI/OBi202-3.2.2.5921", family.Device{}},
		{"Polycom without -UA/", "FileTransport PolycomVVX-VVX_400/4.1.4.7430", family.Device{}},
		// MAC-like serials that are not MACs (the last group is the serial:
		// docs/vendors.md#cisco-spa-and-mpp).
		{"Linksys serial only", "Linksys/SPA-942-6.1.5(a) (88019FA42805)",
			family.Device{Vendor: "Linksys", ProductLine: "SPA", Model: "SPA-942", Firmware: "6.1.5(a)"}},
		{"Cisco SPA serial only, hex", "Cisco/SPA525G-7.4.7 (0002FDFF2103)",
			family.Device{Vendor: "Cisco", ProductLine: "SPA", Model: "SPA525G", Firmware: "7.4.7"}},
		{"MPP serial, not hex", "Cisco-CP-8841-3PCC/11.0 (FCH2137ABCD)",
			family.Device{Vendor: "Cisco", ProductLine: "MPP", Model: "CP-8841-3PCC", Firmware: "11.0"}},
		// A zero MAC names no phone.
		{"zero MAC", "Fanvil X4 2.10.2.6887 000000000000",
			family.Device{Vendor: "Fanvil", ProductLine: "X", Model: "X4", Firmware: "2.10.2.6887"}},
		// Wrong separators in a MAC field.
		{"mixed separators", "Yealink SIP-T46G 28.72.0.1 00:15-65:4a:a9:37",
			family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G", Firmware: "28.72.0.1"}},
		// Vendor word without the rest of the format.
		{"Yealink without version", "Yealink SIP-T46G", family.Device{}},
		{"bare W model without MAC", "W52P 25.30.0.2", family.Device{}},
		{"Cisco without version", "Cisco/SPA508G", family.Device{}},
		{"Grandstream without model digits", "Grandstream Networks", family.Device{}},
		{"Aastra without tags", "Aastra6731i", family.Device{}},
		{"Gigaset-like without PRO", "N510 IP/42.245.00.000.000", family.Device{}},
		{"Digium without model", "Digium phone", family.Device{}},
		{"Obihai without version", "OBIHAI/OBi202", family.Device{}},
		{"snom without -SIP", "Mozilla/4.0 (compatible; snom320 8.4.18)", family.Device{}},
		{"model of 200 bytes", "Fanvil " + strings.Repeat("X", 200) + " 2.10.2.6887 0c383e07e16c",
			family.Device{Vendor: "Fanvil", ProductLine: "", Firmware: "2.10.2.6887", MAC: "0c383e07e16c"}},
		{"curl", "curl/8.5.0", family.Device{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Identify(family.Request{Proto: "http", UserAgent: tc.ua})
			if want := fromUserAgent(tc.want); got != want {
				t.Errorf("Identify(%.80q)\n got %+v\nwant %+v", tc.ua, got, want)
			}
		})
	}
}
