package digium

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/provd"
)

// versions are the firmware versions of the wazo-digium plugins, by the
// part of the plugin name after "wazo-digium-" (each plugin's entry.py).
var versions = map[string]string{
	"1.4.0.0": "1.4.0.0.57389",
	"2.2.1.8": "2.2.1.8",
	"2.8.1":   "2.8.1",
}

// models are the D-series models every wazo-digium plugin supports.
var models = []string{"D40", "D45", "D50", "D60", "D62", "D65", "D70"}

// provdPlugin returns the behaviour of the wazo-digium plugin name.
func provdPlugin(name string, opts provd.Options) (provd.Plugin, error) {
	v, ok := strings.CutPrefix(name, "wazo-digium-")
	if !ok {
		return nil, fmt.Errorf("%s: not a wazo-digium plugin", name)
	}
	version, ok := versions[v]
	if !ok {
		return nil, fmt.Errorf("%s: no data for Digium firmware %q (known: 1.4.0.0, 2.2.1.8, 2.8.1)", name, v)
	}
	return &plugin{version: version}, nil
}

// plugin is wazo-digium's BaseDigiumPlugin bound to one firmware version.
type plugin struct {
	version string
}

// Associate: EXACT for a known model at the plugin's version, COMPLETE for
// a known model, PROBABLE for any other Digium, IMPROBABLE otherwise.
func (p *plugin) Associate(vendor, model, version string) provd.Support {
	if vendor != Vendor {
		return provd.Improbable
	}
	for _, m := range models {
		if m == model {
			if version == p.version {
				return provd.Exact
			}
			return provd.Complete
		}
	}
	return provd.Probable
}

var (
	// pathRE is the plugin's HTTP extractor: Wazo's Digium/ directory and,
	// for the configuration file, the MAC in its name.
	pathRE = regexp.MustCompile(`^/Digium/(?:([a-fA-F0-9]{12})\.cfg)?`)
	// vendorClassRE is its DHCP extractor: "digium_D40_1_0_5_46476".
	vendorClassRE = regexp.MustCompile(`^digium_(D[0-9][0-9])_([0-9_]+)(?:\n)?$`)
)

// IdentifyHTTP looks at the path only, as the plugin does.
func (p *plugin) IdentifyHTTP(_, path string) (provd.Info, bool) {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	m := pathRE.FindStringSubmatch(path)
	if m == nil {
		return provd.Info{}, false
	}
	info := provd.Info{Vendor: Vendor}
	if m[1] != "" && m[1] != "000000000000" {
		info.MAC, _ = provd.NormMAC(m[1])
	}
	return info, true
}

// IdentifyTFTP: the plugin has no TFTP extractor.
func (p *plugin) IdentifyTFTP(string) (provd.Info, bool) { return provd.Info{}, false }

// IdentifyDHCP reads model and version from the vendor class.
func (p *plugin) IdentifyDHCP(vendorClass string) (provd.Info, bool) {
	d, ok := extractVendorClass(vendorClass)
	if !ok {
		return provd.Info{}, false
	}
	return provd.Info{Vendor: Vendor, Model: d.Model, Version: d.Firmware}, true
}

// extractVendorClass is the family's DHCP extractor, the plugin's:
// "digium_D40_1_1_0_0_48178" is a D40 with firmware 1.1.0.0.48178.
func extractVendorClass(vendorClass string) (family.Device, bool) {
	m := vendorClassRE.FindStringSubmatch(vendorClass)
	if m == nil {
		return family.Device{}, false
	}
	return family.Device{Model: m[1], Firmware: strings.ReplaceAll(m[2], "_", ".")}, true
}

// Configure writes Digium/<mac>.cfg from <mac>.cfg.tpl, <model>.tpl or
// base.tpl and Digium/<mac>-contacts.xml from contact.tpl, with XX_mac,
// XX_main_proxy_ip (the proxy of the lowest-numbered line), XX_funckeys
// (the function keys re-keyed by number) and XX_lang (the locale, None
// when there is none).
func (p *plugin) Configure(dev provd.Device, raw *provd.Dict) ([]provd.File, error) {
	if dev.MAC == "" {
		return nil, errors.New("MAC address needed to configure device")
	}
	ctx := raw.Clone()
	provd.SetDefaults(ctx)
	if err := provd.AddServerURL(ctx); err != nil {
		return nil, err
	}
	mac := provd.FormatMAC(dev.MAC, "", false)
	cfg, contacts := mac+".cfg", mac+"-contacts.xml"
	ctx.Set("XX_mac", mac)
	proxy, err := mainProxyIP(ctx)
	if err != nil {
		return nil, err
	}
	ctx.Set("XX_main_proxy_ip", proxy)
	keys, err := funckeysByNumber(ctx)
	if err != nil {
		return nil, err
	}
	ctx.Set("XX_funckeys", keys)
	locale, _ := ctx.Get("locale")
	ctx.Set("XX_lang", locale)

	tpls := []string{cfg + ".tpl"}
	if dev.Model != "" {
		tpls = append(tpls, dev.Model+".tpl")
	}
	tpls = append(tpls, "base.tpl")
	return []provd.File{
		{Name: "Digium/" + cfg, Templates: tpls, Context: ctx},
		{Name: "Digium/" + contacts, Templates: []string{"contact.tpl"}, Context: ctx},
	}, nil
}

// mainProxyIP is the proxy_ip of the line with the lowest number.
func mainProxyIP(raw *provd.Dict) (any, error) {
	lines := raw.Dict("sip_lines")
	if lines.Len() == 0 {
		return nil, errors.New("Device need to have at least one line")
	}
	lowest, first := 0, true
	for _, k := range lines.Keys() {
		n, err := provd.PyInt(provd.Str(k))
		if err != nil {
			return nil, fmt.Errorf("sip_lines: line %q: %w", provd.Str(k), err)
		}
		if first || n < lowest {
			lowest, first = n, false
		}
	}
	ip, ok := provd.Get(lines, fmt.Sprint(lowest), "proxy_ip")
	if !ok {
		return nil, fmt.Errorf("sip_lines: line %d has no proxy_ip", lowest)
	}
	return ip, nil
}

// funckeysByNumber is the function keys with their numbers as int keys,
// so that a template sorting them sorts 2 before 10.
func funckeysByNumber(raw *provd.Dict) (*provd.Dict, error) {
	out := provd.NewDict()
	keys := raw.Dict("funckeys")
	for _, k := range keys.Keys() {
		n, err := provd.PyInt(provd.Str(k))
		if err != nil {
			return nil, fmt.Errorf("funckeys: key %q: %w", provd.Str(k), err)
		}
		v, _ := keys.Get(k)
		out.Set(int64(n), v)
	}
	return out, nil
}

// TriggerFile is <mac>.cfg.
func (p *plugin) TriggerFile(dev provd.Device) string {
	if dev.MAC == "" {
		return ""
	}
	return provd.FormatMAC(dev.MAC, "", false) + ".cfg"
}

// sensitiveRE: the configuration file, which holds the SIP passwords.
var sensitiveRE = regexp.MustCompile(`^[0-9a-f]{12}\.cfg(?:\n)?$`)

// IsSensitive reports whether filename is a <mac>.cfg.
func (p *plugin) IsSensitive(filename string) bool { return sensitiveRE.MatchString(filename) }

// Synchronize is provd's standard SIP NOTIFY, Event check-sync.
func (p *plugin) Synchronize(dev provd.Device, _ *provd.Dict) (provd.Notification, error) {
	return provd.StandardSIPSynchronize(dev, "check-sync")
}
