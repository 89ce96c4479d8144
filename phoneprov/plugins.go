package phoneprov

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/jinja"
	"github.com/phoneprovd/phoneprovd/plugin"
)

// Wazo provd plugins (package plugin) serve the phones of the profiles
// that name one in phoneprovd.conf. Each snapshot loads the plugins
// directory afresh: a plugin that does not load is an Error naming its
// file and line, and the others serve. A plugin phone's files are routes
// like any other: their names are decided when the snapshot is built, their
// bodies rendered by the plugin (Fingerprints renders them all), cached and
// fingerprinted like dynamic files; the plugins' var/tftpboot files are static
// routes confined to their directory.

// PluginOptions configure the plugins a snapshot serves.
type PluginOptions struct {
	// Dir holds one directory per plugin; "" means DataDir/plugins.
	Dir string
	// Engine renders the plugins' Jinja2 templates; nil turns plugins off.
	Engine plugin.Engine
	// Profiles says, by phoneprov.conf profile name, which plugin serves
	// the profile's phones.
	Profiles map[string]PluginProfile
	// Prefix is http.conf's prefix, in the default http_base_url (where
	// phones fetch phoneprovd's files).
	Prefix string
	// Identify returns what was seen of the device with a MAC (12
	// lower-case hex digits): its last User-Agent and file, its DHCP
	// vendor class. Phones of an "auto" profile, and phones whose model no
	// MODEL variable gives, are configured from it. Nil: nothing is seen.
	Identify func(mac string) (Sighting, bool)
	// TZ is the time zone database plugins compute DST rules from (zero:
	// the one Go's time package reads).
	TZ provd.TZDB
	// Firmware, when set, chooses phones' firmware files instead of the
	// plugins (the firmware rollouts; see firmware.go).
	Firmware FirmwarePins
}

// PluginProfile is how a profile's phones are served by a plugin.
type PluginProfile struct {
	// Plugin is a plugin's directory name ("wazo-yealink-v86"), or
	// AutoPlugin: the plugin rated best for what identification saw.
	Plugin string
	// Autoprov: unknown phones a plugin of this profile recognises get the
	// profile's settings, without a line of their own (provd's autoprov
	// config).
	Autoprov bool
}

// AutoPlugin, as a profile's plugin, picks the plugin per phone.
const AutoPlugin = "auto"

// Sighting is what was seen of a device: the HTTP User-Agent and file of a
// request, the DHCP vendor class (option 60) of its lease.
type Sighting struct {
	UserAgent   string
	Path        string
	VendorClass string
}

// pluginSet is what a snapshot serves through plugins.
type pluginSet struct {
	opts   *PluginOptions
	dir    string
	rs     rawSettings
	loaded []*plugin.Plugin // sorted by name
	byName map[string]*plugin.Plugin
	failed map[string]bool // plugin directories that did not load

	phones map[*Phone]*pluginPhone
	byMAC  map[string]*pluginPhone // by 12 lower-case hex digits
	// pending are phones that wait for identification (or for a plugin
	// that rates them) before their files can be named.
	pending  int
	autoprov []*Profile

	// Static files: the var/tftpboot each static route is confined to,
	// and each plugin's files by name, size and time (a phone's fingerprint).
	staticRoots map[*File]dataRoot
	staticSums  map[*plugin.Plugin][]byte

	// Dependencies besides the snapshot's own.
	files    []FileState
	statics  []StaticState
	patterns []PatternState

	unrouted *unroutedCache
	now      func() time.Time
	// macs are every phone's MAC, normalised, built on first use.
	macsOnce sync.Once
	macs     map[string]bool
	// pins are the firmware pins of the phones, by MAC, and the static
	// files split into firmware and the rest (firmware.go).
	pins        map[string]FirmwarePin
	staticFiles map[*plugin.Plugin][]staticEntry
	fwOnce      sync.Once
	fwStatics   map[*plugin.Plugin]*firmwareStatics
}

// pluginPhone is a configured phone served by a plugin.
type pluginPhone struct {
	phone   *Phone
	profile PluginProfile
	plugin  *plugin.Plugin // nil while pending
	dev     provd.Device
	// identity: the plugin or the model came from identification (seen),
	// so a new identification may change them.
	identity bool
	seen     provd.Info
	// pending: the phone waits for identification (no plugin rates what
	// was seen yet, or its model is unknown).
	pending bool
	// firmware is the file the plugin names and the pin (firmware.go).
	firmware phoneFirmware
}

// pluginRoute is what a route serves through a plugin: a file a plugin
// renders for a phone, or a file of a plugin's var/tftpboot.
type pluginRoute struct {
	pp     *pluginPhone // nil for a static file
	plugin *plugin.Plugin
	name   string // relative to var/tftpboot
}

// year is the current year, which plugins compute DST rules for.
func (ps *pluginSet) year() int { return ps.now().UTC().Year() }

// pluginsDir is where the plugins are.
func (o *Options) pluginsDir() string {
	if o.Plugins.Dir != "" {
		return o.Plugins.Dir
	}
	return filepath.Join(o.DataDir, "plugins")
}

// addPlugins loads the plugins and adds the routes of the phones they
// serve and of their static files. It runs for every snapshot, derived or
// not: plugins and what identification saw are read again each time.
func (s *Snapshot) addPlugins(d *diags) {
	po := &s.opts.Plugins
	if po.Engine == nil {
		for name, pp := range po.Profiles {
			if pp.Plugin != "" {
				d.errorf(Pos{}, "profile [%s] uses plugin %s, but this build renders no plugin", name, pp.Plugin)
			}
		}
		return
	}
	ps := &pluginSet{
		opts:        po,
		dir:         s.opts.pluginsDir(),
		rs:          rawSettings{prefix: po.Prefix},
		byName:      map[string]*plugin.Plugin{},
		failed:      map[string]bool{},
		phones:      map[*Phone]*pluginPhone{},
		byMAC:       map[string]*pluginPhone{},
		staticRoots: map[*File]dataRoot{},
		staticSums:  map[*plugin.Plugin][]byte{},
		unrouted:    newUnroutedCache(),
		now:         s.opts.now,
	}
	s.plugins = ps
	ps.load(s, d)
	profiles := map[string]*Profile{}
	for _, p := range s.Profiles {
		if _, dup := profiles[p.Name]; !dup {
			profiles[p.Name] = p
		}
	}
	names := make([]string, 0, len(po.Profiles))
	for name := range po.Profiles {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		pp := po.Profiles[name]
		if profiles[name] == nil {
			d.warnf(Pos{}, "phoneprovd.conf [profile:%s]: no profile %q in phoneprov.conf", name, name)
			continue
		}
		if pp.Plugin == "" || pp.Plugin == AutoPlugin || ps.byName[pp.Plugin] != nil {
			continue
		}
		why := "there is no such directory in " + ps.dir
		if ps.failed[pp.Plugin] {
			why = "it was refused (see its error)"
		}
		d.errorf(Pos{}, "profile [%s]: plugin %s is not served: %s", name, pp.Plugin, why)
	}
	for _, p := range s.Profiles {
		if pp := po.Profiles[p.Name]; pp.Autoprov && profiles[p.Name] == p {
			ps.autoprov = append(ps.autoprov, p)
		}
	}
	for _, p := range s.phones {
		prof, ok := po.Profiles[p.Profile.Name]
		if ok && prof.Plugin != "" {
			ps.addPhone(s, p, prof, d)
		}
	}
	ps.addStatics(s, d)
}

// load loads every plugin directory, recording what each depends on.
func (ps *pluginSet) load(s *Snapshot, d *diags) {
	ps.patterns = append(ps.patterns, globPatterns([]string{filepath.Join(ps.dir, "*")})...)
	ents, err := os.ReadDir(ps.dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.errorf(Pos{File: ps.dir}, "cannot read the plugins directory: %v", describeFileError(err))
		}
		return
	}
	opts := plugin.Options{Engine: ps.opts.Engine, Provd: provd.Options{Now: s.opts.Now, TZ: ps.opts.TZ}}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := filepath.Join(ps.dir, e.Name())
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		p, err := plugin.Load(dir, opts)
		if err != nil {
			ps.failed[e.Name()] = true
			d.add(Error, pluginError(e.Name(), err))
			ps.watchFailed(dir)
			continue
		}
		ps.loaded = append(ps.loaded, p)
		ps.byName[p.Name] = p
		for _, in := range p.Inputs {
			ps.files = append(ps.files, FileState{Path: in.Path, Sum: in.Sum})
		}
		var pats []string
		for _, dir := range p.Dirs {
			pats = append(pats, filepath.Join(dir, "*"))
		}
		ps.patterns = append(ps.patterns, globPatterns(pats)...)
	}
	sort.Slice(ps.loaded, func(i, j int) bool { return ps.loaded[i].Name < ps.loaded[j].Name })
}

// pluginError describes why plugin name was refused.
func pluginError(name string, err error) error {
	var je *jinja.Error
	if errors.As(err, &je) {
		return &diagError{pos: Pos{je.File, je.Line}, msg: fmt.Sprintf("plugin %s refused: %s", name, je.Msg)}
	}
	return &diagError{msg: fmt.Sprintf("plugin %s refused: %v", name, err)}
}

// diagError is an error with the place it is about.
type diagError struct {
	pos Pos
	msg string
}

func (e *diagError) Error() string { return e.msg }

// watchFailed records the files of a plugin that did not load, so that
// fixing one reloads.
func (ps *pluginSet) watchFailed(dir string) {
	var pats []string
	for _, sub := range []string{"", plugin.PkgsDir, "var", plugin.CustomTplDir, plugin.TemplatesDir} {
		d := filepath.Join(dir, sub)
		pats = append(pats, filepath.Join(d, "*"))
		ents, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.Type().IsRegular() {
				path := filepath.Join(d, e.Name())
				sum, err := fileSum(path)
				ps.files = append(ps.files, FileState{Path: path, Sum: sum, Missing: err != nil})
			}
		}
	}
	ps.patterns = append(ps.patterns, globPatterns(pats)...)
}

// addPhone resolves a configured phone's plugin and device, and adds the
// routes of its files; a phone that waits for identification has none yet.
func (ps *pluginSet) addPhone(s *Snapshot, p *Phone, prof PluginProfile, d *diags) {
	dev, err := deviceVars(p)
	if err != nil {
		d.warnf(p.first.Source, "phone %s of profile [%s] is not served by its plugin: %v", p.MAC, p.Profile.Name, err)
		return
	}
	mac := provd.FormatMAC(dev.MAC, "", false)
	pp := &pluginPhone{phone: p, profile: prof, identity: prof.Plugin == AutoPlugin || dev.Model == ""}
	if pp.identity && ps.opts.Identify != nil {
		if sg, ok := ps.opts.Identify(mac); ok {
			pp.seen = ps.extract(sg)
		}
	}
	ps.phones[p] = pp
	ps.byMAC[mac] = pp
	raw, problems := rawConfig(p, s.reached(p, Reached{}), ps.rs)
	for _, pr := range problems {
		d.warnf(p.first.Source, "phone %s: %s: left out of its raw config", p.MAC, pr)
	}
	pl, dev, ok := ps.resolve(prof, dev, pp.seen)
	pp.dev = dev
	if !ok {
		if prof.Plugin == AutoPlugin {
			pp.pending = true
			ps.pending++
		}
		return // else its plugin is missing: reported with the profile
	}
	files, err := pl.Files(dev, raw)
	if err != nil {
		if dev.Model == "" {
			pp.pending = true
			ps.pending++ // configured once it says what it is
			return
		}
		d.warnf(p.first.Source, "phone %s of profile [%s] is not served: %v", p.MAC, p.Profile.Name, err)
		return
	}
	pp.plugin = pl
	ps.noteFirmware(pp, mac, files)
	for _, f := range files {
		file := &File{Format: f.Name, Template: pl.Name + "/" + f.Template, MIME: pluginMIME(f.Name), Source: p.first.Source}
		s.routes.add(&Route{URI: f.Name, File: file, Profile: p.Profile, Phone: p, own: namesMAC(f.Name, mac),
			plugin: &pluginRoute{pp: pp, plugin: pl, name: f.Name}})
	}
}

// resolve picks the plugin and completes the device of a phone: the
// profile's plugin, or for "auto" the plugin that rates best what was seen
// (at least PROBABLE); the model and firmware MODEL and FIRMWARE give, else
// what was seen. ok is false when no plugin applies yet.
func (ps *pluginSet) resolve(prof PluginProfile, dev provd.Device, seen provd.Info) (*plugin.Plugin, provd.Device, bool) {
	if dev.Model == "" {
		dev.Model, dev.Version = seen.Model, seen.Version
	} else if dev.Version == "" && seen.Model == dev.Model {
		dev.Version = seen.Version
	}
	dev.Vendor = seen.Vendor
	if prof.Plugin != AutoPlugin {
		p := ps.byName[prof.Plugin]
		if p == nil {
			return nil, dev, false
		}
		if dev.Vendor == "" {
			dev.Vendor = p.Family.Vendor
		}
		dev.Plugin = p.Name
		return p, dev, true
	}
	var best *plugin.Plugin
	bestScore := provd.Probable - 1
	for _, p := range ps.loaded {
		vendor := dev.Vendor
		if vendor == "" {
			if dev.Model == "" {
				continue
			}
			vendor = p.Family.Vendor // a configured model, never seen
		}
		score := p.Behaviour.Associate(vendor, dev.Model, dev.Version)
		if dev.Vendor == "" && score < provd.Complete {
			continue
		}
		if score >= bestScore { // a tie goes to the later name (the newer plugin)
			best, bestScore = p, score
		}
	}
	if best == nil {
		return nil, dev, false
	}
	if dev.Vendor == "" {
		dev.Vendor = best.Family.Vendor
	}
	dev.Plugin = best.Name
	return best, dev, true
}

// extract runs every plugin's extractors on a sighting, as provd does on a
// request, and merges what they tell: the first plugin (by name) to give a
// field gives it.
func (ps *pluginSet) extract(sg Sighting) provd.Info {
	var info provd.Info
	merge := func(i provd.Info) {
		if info.Vendor == "" {
			info.Vendor = i.Vendor
		}
		if info.Model == "" && (info.Vendor == "" || i.Vendor == "" || i.Vendor == info.Vendor) {
			info.Model, info.Version = i.Model, i.Version
		}
		if info.MAC == "" {
			info.MAC = i.MAC
		}
	}
	for _, p := range ps.loaded {
		if sg.UserAgent != "" || sg.Path != "" {
			if i, ok := p.Behaviour.IdentifyHTTP(sg.UserAgent, "/"+strings.TrimPrefix(sg.Path, "/")); ok {
				merge(i)
			}
		}
		if sg.VendorClass != "" {
			if i, ok := p.Behaviour.IdentifyDHCP(sg.VendorClass); ok {
				merge(i)
			}
		}
	}
	return info
}

// addStatics adds the var/tftpboot files of every plugin as static routes,
// first plugin by name first. A file named as a device's own file (a
// configuration provd wrote for a device, with its SIP secrets) is not
// served: phoneprovd renders each device's files itself.
func (ps *pluginSet) addStatics(s *Snapshot, d *diags) {
	for _, p := range ps.loaded {
		if len(p.Static) == 0 {
			continue
		}
		dir := filepath.Join(p.Dir, plugin.TFTPBootDir)
		root := dataRoot{dir: filepath.Clean(dir)}
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			root.resolved = r
		}
		prof := &Profile{Name: p.Name, Source: Pos{File: p.Dir}}
		var fp []byte
		for _, name := range p.Static {
			if sensitiveName(p, name) {
				d.warnf(Pos{File: filepath.Join(dir, filepath.FromSlash(name))}, "not served: a device's own file (provd's configure() writes them with the device's secrets); phoneprovd renders each device's files itself")
				continue
			}
			f := &File{Format: name, Template: p.Name + "/" + plugin.TFTPBootDir + "/" + name, MIME: pluginMIME(name), Static: true, Source: Pos{File: p.Dir}}
			prof.Static = append(prof.Static, f)
			ps.staticRoots[f] = root
			s.routes.add(&Route{URI: name, File: f, Profile: prof, plugin: &pluginRoute{plugin: p, name: name}})
			st := StaticState{Path: filepath.Join(dir, filepath.FromSlash(name))}
			if fi, err := os.Stat(st.Path); err == nil {
				st.Size, st.ModTime = fi.Size(), fi.ModTime()
			} else {
				st.Missing = true
			}
			ps.statics = append(ps.statics, st)
			ps.noteStatic(p, name, st)
			fp = append(fp, name...)
			fp = append(fp, 0)
			fp = binary.BigEndian.AppendUint64(fp, uint64(st.Size))
			fp = binary.BigEndian.AppendUint64(fp, uint64(st.ModTime.UnixNano()))
		}
		sum := sha256.Sum256(fp)
		ps.staticSums[p] = sum[:]
	}
}

// sensitiveName is the plugin's is_sensitive_filename of a file's name,
// relative to var/tftpboot or to its directory ("Digium/<mac>.cfg" is
// "<mac>.cfg" to wazo-digium).
func sensitiveName(p *plugin.Plugin, name string) bool {
	return p.Behaviour.IsSensitive(name) || p.Behaviour.IsSensitive(path.Base(name))
}

// pluginMIME is the Content-Type of a plugin's file.
func pluginMIME(name string) string {
	if m := mimeForExtension(name); m != "" {
		return m
	}
	return "application/octet-stream"
}

// staticFile resolves a static route's file: in its plugin's var/tftpboot
// for a plugin's file, else in DATA-DIR/phoneprov.
func (s *Snapshot) resolveStaticFile(f *File) (string, error) {
	if s.plugins != nil {
		if root, ok := s.plugins.staticRoots[f]; ok {
			return root.resolve(f.Format)
		}
	}
	return s.texts.root.resolve(f.Template)
}

// pluginDeps are the plugins' dependencies.
func (s *Snapshot) pluginDeps() Dependencies {
	if s.plugins == nil {
		return Dependencies{}
	}
	return Dependencies{Files: s.plugins.files, Static: s.plugins.statics, Patterns: s.plugins.patterns}
}

// pluginStatics returns the static fingerprint of the plugin serving p, or
// nil: a phone's fingerprint covers its plugin's static files as it covers its
// profile's.
func (s *Snapshot) pluginStatics(p *Phone) []byte {
	if s.plugins == nil {
		return nil
	}
	if pp := s.plugins.phones[p]; pp != nil && pp.plugin != nil {
		return s.plugins.staticsOf(pp) // firmware files count for the phones naming them (firmware.go)
	}
	return nil
}

// PhonePlugin returns the plugin that serves phone p ("" for a phone no
// plugin serves) and whether the phone waits to be identified before its
// files can be named (its model, or for an "auto" profile its plugin, is
// not known yet).
func (s *Snapshot) PhonePlugin(p *Phone) (name string, pending bool) {
	if s.plugins == nil || p == nil {
		return "", false
	}
	pp := s.plugins.phones[p]
	switch {
	case pp == nil:
		return "", false
	case pp.plugin == nil:
		if pp.profile.Plugin != AutoPlugin {
			return pp.profile.Plugin, pp.pending
		}
		return "", pp.pending
	}
	return pp.plugin.Name, false
}

// Plugins returns the names of the plugins loaded.
func (s *Snapshot) Plugins() []string {
	if s.plugins == nil {
		return nil
	}
	out := make([]string, len(s.plugins.loaded))
	for i, p := range s.plugins.loaded {
		out[i] = p.Name
	}
	return out
}

// Plugin returns the plugin a route is served by, "" for a route of
// phoneprov.conf's.
func (r *Route) Plugin() string {
	if r.plugin == nil {
		return ""
	}
	return r.plugin.plugin.Name
}

// Reidentify reports whether what was seen of the device with MAC mac (12
// lower-case hex digits, or as configured; seen is asked only for a phone
// configured from identification) tells more than s was built with, so
// that a new snapshot would serve the phone other files: its plugin or
// model came from identification and would change. The reload manager is
// then asked to reload. Cheap for every other MAC.
func (s *Snapshot) Reidentify(mac string, seen func(mac string) (Sighting, bool)) bool {
	if s.plugins == nil {
		return false
	}
	m, ok := family.NormalizeMAC(mac)
	if !ok {
		return false
	}
	pp := s.plugins.byMAC[m]
	if pp == nil || !pp.identity {
		return false
	}
	sg, ok := seen(m)
	if !ok {
		return false
	}
	info := s.plugins.extract(sg)
	if info.Vendor == "" && info.Model == "" {
		return false
	}
	dev, _ := deviceVars(pp.phone)
	pl, dev2, ok := s.plugins.resolve(pp.profile, dev, info)
	if !ok {
		return false
	}
	if info.Model == "" && pp.plugin != nil {
		return false // tells less than what was seen before
	}
	return pl != pp.plugin || dev2.Model != pp.dev.Model || dev2.Version != pp.dev.Version || dev2.Vendor != pp.dev.Vendor
}

// FirstIdentified reports whether phone mac's plugin, model or firmware in
// s came from identification and differs from prev's: its files changed
// because the phone said what it is (it has just fetched them), not
// because of an edit. Re-sync leaves such a phone alone.
func (s *Snapshot) FirstIdentified(prev *Snapshot, mac string) bool {
	p := s.Phone(mac)
	if p == nil || s.plugins == nil || prev == nil {
		return false
	}
	pp := s.plugins.phones[p]
	if pp == nil || !pp.identity || pp.plugin == nil {
		return false
	}
	var was *pluginPhone
	if prev.plugins != nil {
		was = prev.plugins.phones[prev.Phone(mac)]
	}
	if was == nil {
		return true
	}
	wasName := ""
	if was.plugin != nil {
		wasName = was.plugin.Name
	}
	return wasName != pp.plugin.Name || was.dev.Model != pp.dev.Model || was.dev.Version != pp.dev.Version || was.dev.Vendor != pp.dev.Vendor
}

// CheckPlugins renders every file the plugins serve to configured phones,
// for each place Check renders for, and reports — with the phone's place
// in the configuration — those that fail (a template's runtime error, a
// value a plugin refuses) and what values break in them: XML that is no
// longer well-formed (a display name with & or <, which provd's templates
// insert as written), a URL with an IPv6 address without brackets. What
// the plugins' own templates do on purpose (Yealink keys written twice) is
// not reported. Lines holding a secret are not quoted. It is for phoneprovd
// check; a reload renders the files anyway (Fingerprints).
func (s *Snapshot) CheckPlugins() []Diagnostic {
	var d diags
	places := CheckReached(s.opts.HTTPPort)
	for _, r := range s.routes.all {
		if r.plugin == nil || r.plugin.pp == nil || s.routes.lookup(r.URI) != r {
			continue
		}
		for i, at := range places {
			body, err := s.RenderReached(r, at)
			if err != nil {
				d.errorf(r.File.Source, "phone %s: %s: %v", r.Phone.MAC, r.URI, err)
				break
			}
			b := body.Bytes()
			var problems []formatProblem
			if i == 0 && detectFormat(r.URI, b) == formatXML {
				for _, p := range checkXML(b) {
					if p.syntax {
						problems = append(problems, p)
					}
				}
			}
			for _, p := range append(problems, checkURLs(b)...) {
				line, text := lineAt(b, p.offset)
				msg := p.msg
				if holdsSecret([]byte(text), r.Phone) {
					msg = strings.SplitN(msg, ":", 2)[0] + " (the line holds a secret, not shown)"
				}
				d.warnf(r.File.Source, "phone %s: %s line %d (from %s): %s", r.Phone.MAC, r.URI, line, r.File.Template, msg)
			}
		}
	}
	if s.plugins != nil && s.plugins.pending > 0 {
		d.warnf(Pos{}, "%d plugin phones wait to be identified (their model, or for an auto profile their plugin, is unknown until they ask): they are configured from their first request", s.plugins.pending)
	}
	return d
}
