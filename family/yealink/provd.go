package yealink

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

// variant is one wazo-yealink plugin version's model data.
type variant struct {
	name     string
	models   map[string]firmware // MODEL_INFO
	lineKeys map[string]int      // _NB_LINEKEY
	accounts map[string]int      // _NB_SIP_ACCOUNTS
	handsets []handset           // HANDSETS_FW, in order
}

// firmware is one model's MODEL_INFO entry.
type firmware struct {
	version  string
	file     string
	handsets bool // the model updates DECT handsets over the air
}

// handset is one DECT handset's firmware file.
type handset struct{ name, file string }

// variants are the wazo-yealink plugin versions this family knows, by the
// part of the plugin name after "wazo-yealink-".
var variants = map[string]*variant{"v86": &v86}

// provdPlugin returns the behaviour of the wazo-yealink plugin name.
func provdPlugin(name string, opts provd.Options) (provd.Plugin, error) {
	v, ok := strings.CutPrefix(name, "wazo-yealink-")
	if !ok {
		return nil, fmt.Errorf("%s: not a wazo-yealink plugin", name)
	}
	data, ok := variants[v]
	if !ok {
		return nil, fmt.Errorf("%s: no model data for wazo-yealink %q (known: v86)", name, v)
	}
	return &plugin{v: data, opts: opts}, nil
}

// plugin is wazo-yealink's BaseYealinkPlugin with one version's data.
type plugin struct {
	v    *variant
	opts provd.Options
	log  *slog.Logger
}

// Associate: EXACT for a model of the plugin at its firmware version,
// COMPLETE for a model of the plugin, PROBABLE for another Yealink,
// IMPROBABLE otherwise.
func (p *plugin) Associate(vendor, model, version string) provd.Support {
	if vendor != Vendor {
		return provd.Improbable
	}
	if fw, ok := p.v.models[model]; ok {
		if version == fw.version {
			return provd.Exact
		}
		return provd.Complete
	}
	return provd.Probable
}

// uaREs are the plugin's User-Agent formats, tried in order; each gives
// model, version and MAC.
// ws is Python's \s on an ASCII string.
const ws = `[ \t\n\r\f\v\x1c-\x1f]+`

var uaREs = []*regexp.Regexp{
	regexp.MustCompile(`^[yY]ealink` + ws + `SIP-([0-9A-Za-z_]+)` + ws + `([0-9.]+)` + ws + `([0-9a-fA-F:]{17})\n?$`),
	regexp.MustCompile(`^[yY]ealink` + ws + `(W90(?:DM|B))` + ws + `([0-9.]+)` + ws + `([0-9a-fA-F:]{17})\n?$`),
	regexp.MustCompile(`^[yY]ealink` + ws + `SIP(?: VP)?-([0-9A-Za-z_]+)` + ws + `([0-9.]+)` + ws + `([0-9a-fA-F:]{17})\n?$`),
	regexp.MustCompile(`^[yY]ealink` + ws + `(W60B)` + ws + `([0-9.]+)` + ws + `([0-9a-fA-F:]{17})\n?$`),
	regexp.MustCompile(`^(VP530P?|W60B)` + ws + `([0-9.]+)` + ws + `([0-9a-fA-F:]{17})\n?$`),
	regexp.MustCompile(`^[yY]ealink-([0-9A-Za-z_]+)` + ws + `([0-9.]+)` + ws + `([0-9.]+)\n?$`),
	regexp.MustCompile(`^[yY]ealink` + ws + `(AX83H)` + ws + `([0-9.]+)` + ws + `([0-9a-fA-F:]{17})\n?$`),
}

// macPrefixes are the OUIs the plugin recognises in a path when the
// request has no User-Agent.
var macPrefixes = []string{
	"001565", "e434d7", "805ec0", "805e0c", "249ad8", "3497d7",
	"44dbd2", "644f56", "b061a9", "c4fc22", "ec1da9", "f01653",
}

// IdentifyHTTP: from the User-Agent when there is one (vendor, model,
// version and MAC), else a MAC from a path that starts with one of the
// plugin's OUIs ("/805ec0aabb01.cfg").
func (p *plugin) IdentifyHTTP(userAgent, path string) (provd.Info, bool) {
	if userAgent != "" {
		if !isASCII(userAgent) {
			return provd.Info{}, false // provd fails to decode it
		}
		for _, re := range uaREs {
			m := re.FindStringSubmatch(userAgent)
			if m == nil {
				continue
			}
			info := provd.Info{Vendor: Vendor, Model: m[1], Version: m[2]}
			info.MAC, _ = provd.NormMAC(m[3])
			return info, true
		}
		return provd.Info{}, false
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if len(path) < 7 {
		return provd.Info{}, false
	}
	for _, pre := range macPrefixes {
		if path[1:7] == pre {
			if len(path) < 5 {
				return provd.Info{}, false
			}
			mac, err := provd.NormMAC(path[1 : len(path)-4])
			if err != nil {
				return provd.Info{}, false
			}
			return provd.Info{Vendor: Vendor, MAC: mac}, true
		}
	}
	return provd.Info{}, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// IdentifyTFTP: the plugin has no TFTP extractor.
func (p *plugin) IdentifyTFTP(string) (provd.Info, bool) { return provd.Info{}, false }

// IdentifyDHCP: the plugin has no DHCP extractor.
func (p *plugin) IdentifyDHCP(string) (provd.Info, bool) { return provd.Info{}, false }

// TriggerFile is <mac>.cfg.
func (p *plugin) TriggerFile(dev provd.Device) string {
	if dev.MAC == "" {
		return ""
	}
	return provd.FormatMAC(dev.MAC, "", false) + ".cfg"
}

// sensitiveRE: a <mac>.cfg and anything named after it (the plugin's
// pattern is not anchored at the end).
var sensitiveRE = regexp.MustCompile(`^[0-9a-f]{12}\.cfg`)

// IsSensitive reports whether filename starts as a <mac>.cfg.
func (p *plugin) IsSensitive(filename string) bool { return sensitiveRE.MatchString(filename) }

// Synchronize is provd's standard SIP NOTIFY, Event check-sync.
func (p *plugin) Synchronize(dev provd.Device, _ *provd.Dict) (provd.Notification, error) {
	return provd.StandardSIPSynchronize(dev, "check-sync")
}

// ErrNoModel is returned by Configure for a device without a model: the
// plugin lays out the function keys by model and provd's Python fails
// there too.
var ErrNoModel = errors.New("the device has no model: wazo-yealink needs one to lay out its keys")
