package dhcpconf

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// The Kea configuration, as JSON. Field order is the output's.
type (
	keaConfig struct {
		Dhcp4 keaDhcp4 `json:"Dhcp4"`
	}
	keaDhcp4 struct {
		Comment        string       `json:"comment"`
		OptionDef      []keaOptDef  `json:"option-def,omitempty"`
		ClientClasses  []keaClass   `json:"client-classes"`
		HooksLibraries []keaLibrary `json:"hooks-libraries,omitempty"`
	}
	keaOptDef struct {
		Name  string `json:"name"`
		Code  int    `json:"code"`
		Type  string `json:"type"`
		Array bool   `json:"array,omitempty"`
		Space string `json:"space"`
	}
	keaClass struct {
		Name       string       `json:"name"`
		Comment    string       `json:"comment,omitempty"`
		Test       string       `json:"test"`
		OptionDef  []keaOptDef  `json:"option-def,omitempty"`
		OptionData []keaOptData `json:"option-data"`
	}
	keaOptData struct {
		Name       string `json:"name"`
		Code       int    `json:"code"`
		Space      string `json:"space"`
		CSVFormat  bool   `json:"csv-format"`
		Data       string `json:"data"`
		AlwaysSend bool   `json:"always-send"`
	}
	keaLibrary struct {
		Library    string             `json:"library"`
		Parameters keaRunScriptParams `json:"parameters"`
	}
	keaRunScriptParams struct {
		Name string `json:"name"`
		Sync bool   `json:"sync"`
	}
)

// keaStdNames are the options Kea defines itself that the families use;
// the others get a definition of their own.
var keaStdNames = map[int]string{
	66:  "tftp-server-name",
	43:  "vendor-encapsulated-options",
	114: "v4-captive-portal", // RFC 8910's, where Gigaset reads its URL
}

// Kea writes a configuration kea-dhcp4 accepts (kea-dhcp4 -t): a client
// class per group, whose test matches the OUI (substring(pkt4.mac,0,3))
// or option 60 (option[60].hex, compared whole, by prefix or by suffix),
// with the options sent whether or not the phone asked ("always-send"),
// the definitions of the options Kea does not know, and the run_script
// hook library for the lease events. Merge its parts into your Dhcp4.
func Kea(w io.Writer, o Options) error {
	groups, err := plan(o)
	if err != nil {
		return err
	}
	cfg := keaConfig{Dhcp4: keaDhcp4{
		Comment:       fmt.Sprintf("phoneprovd: point each supported phone family at %s (phoneprovd dhcp config -format kea); merge these parts into your Dhcp4", o.URL),
		ClientClasses: []keaClass{},
	}}
	defined := map[int]bool{}
	for _, g := range groups {
		if len(g.options) == 0 {
			cfg.Dhcp4.Comment += "; " + g.title + ": " + strings.Join(g.notes, "; ")
			continue
		}
		c := keaClass{Name: g.tag, Comment: g.title, OptionData: []keaOptData{}}
		if len(g.notes) > 0 {
			c.Comment += ": " + strings.Join(g.notes, "; ")
		}
		var tests []string
		for _, oui := range g.ouis {
			tests = append(tests, "substring(pkt4.mac,0,3) == 0x"+hex.EncodeToString(oui[:]))
		}
		for _, vc := range g.classes {
			tests = append(tests, keaClassTest(vc))
		}
		c.Test = strings.Join(tests, " or ")
		for _, opt := range g.options {
			d := keaOptData{Code: opt.code, Space: "dhcp4", AlwaysSend: true, CSVFormat: true}
			d.Name = keaStdNames[opt.code]
			switch {
			case opt.code == 43:
				// Kea lets a class define option 43 its own way: raw bytes.
				c.OptionDef = append(c.OptionDef, keaOptDef{Name: d.Name, Code: 43, Type: "binary", Space: "dhcp4"})
				d.Data = hex.EncodeToString(opt.value())
				d.CSVFormat = false
			case opt.ip.IsValid():
				d.Data = opt.ip.String()
			default:
				d.Data = opt.text
			}
			if d.Name == "" {
				d.Name = fmt.Sprintf("phoneprovd-%d", opt.code)
				if !defined[opt.code] {
					defined[opt.code] = true
					def := keaOptDef{Name: d.Name, Code: opt.code, Type: "string", Space: "dhcp4"}
					if opt.ip.IsValid() {
						def.Type, def.Array = "ipv4-address", true
					}
					cfg.Dhcp4.OptionDef = append(cfg.Dhcp4.OptionDef, def)
				}
			}
			c.OptionData = append(c.OptionData, d)
		}
		cfg.Dhcp4.ClientClasses = append(cfg.Dhcp4.ClientClasses, c)
	}
	if o.Hook != "" {
		cfg.Dhcp4.HooksLibraries = []keaLibrary{{Library: o.KeaRunScript, Parameters: keaRunScriptParams{Name: o.Hook, Sync: false}}}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(cfg)
}

// keaClassTest compares option 60 with a vendor class: whole, by prefix
// or by suffix (family.Exact, Prefix, Suffix), as a string literal when
// it is plain text, else in hex.
func keaClassTest(vc family.VendorClass) string {
	value := vc.Value
	lit := "0x" + hex.EncodeToString([]byte(value))
	if safeText(value) {
		lit = "'" + value + "'"
	}
	switch vc.Match {
	case family.Prefix:
		return fmt.Sprintf("substring(option[60].hex,0,%d) == %s", len(value), lit)
	case family.Suffix:
		return fmt.Sprintf("substring(option[60].hex,-%d,all) == %s", len(value), lit)
	}
	return "option[60].hex == " + lit
}

// keaHookDirs are where distributions install Kea's hook libraries.
var keaHookDirs = []string{
	"/usr/lib/x86_64-linux-gnu/kea/hooks", "/usr/lib/aarch64-linux-gnu/kea/hooks",
	"/usr/lib/kea/hooks", "/usr/lib64/kea/hooks", "/usr/local/lib/kea/hooks",
}

// DefaultKeaRunScript returns the path of libdhcp_run_script.so: the first
// that exists of the places distributions put it, else Debian's on amd64.
func DefaultKeaRunScript(exists func(path string) bool) string {
	for _, d := range keaHookDirs {
		if p := d + "/libdhcp_run_script.so"; exists(p) {
			return p
		}
	}
	return keaHookDirs[0] + "/libdhcp_run_script.so"
}
