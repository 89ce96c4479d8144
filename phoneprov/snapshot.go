package phoneprov

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/expr"
	"github.com/phoneprovd/phoneprovd/asterisk/funcs"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// Snapshot is one complete, immutable provisioning state: profiles, phones,
// routes and what renders them. Requests read a snapshot; a reload builds a
// new one beside it and swaps it in.
type Snapshot struct {
	LoadedAt    time.Time
	Profiles    []*Profile
	Diagnostics []Diagnostic

	generation     uint64 // see Publish
	opts           Options
	phones         []*Phone // Asterisk's users-container order
	byMAC          map[string]*Phone
	routes         *routeTable
	files          map[string][32]byte  // config files read, with the sum of what was read
	patterns       []string             // include patterns tried
	statics        []StaticState        // static files at load time
	patternMatches []PatternState       // what the patterns matched at load time
	secretVars     map[string]bool      // variables that carry a secret (Render's Sensitive)
	staticFiles    map[*File]staticFile // static files resolved at load time
	texts          *textStore
	engine         *subst.Engine
	userLists      *userLists // PP_EACH_USER's shared lists
	cache          *renderCache
	plugins        *pluginSet // nil without plugins
	// scratch holds the buffers templates are rendered into before a
	// body is copied out at its exact size, or shared with the previous
	// snapshot's.
	scratch sync.Pool
	// sources are the shared sources of the bodies kept in pieces.
	sources sourceSets

	// What the next snapshot takes over when no input of the phones
	// changed (derive.go), and whether this one was so derived.
	inputs  phoneInputs
	derived bool
}

// A SnapshotSource hands out the snapshot being served: the reload
// manager, or a fixed snapshot in tests. It changes when the configuration
// is reloaded; nil means nothing is loaded yet. The servers (HTTP, TFTP)
// and the security guard read every request's snapshot from one.
type SnapshotSource interface {
	Snapshot() *Snapshot
}

// ErrNoProfiles is returned when phoneprov.conf defines no profile, which
// makes Asterisk decline to load res_phoneprov.
var ErrNoProfiles = errors.New("phoneprov.conf: there are no provisioning profiles")

// Load reads the configuration and builds a Snapshot. It fails only when
// phoneprov.conf cannot be used at all (missing, a syntax error, no
// profile); every other problem is a Diagnostic and the rest is served.
func Load(opts Options) (*Snapshot, error) {
	if opts.AsteriskVersion == 0 {
		opts.AsteriskVersion = DefaultAsteriskVersion
	}
	if opts.Live != nil {
		opts.Live = newMemoLive(opts.Live)
	}
	s := &Snapshot{
		LoadedAt: opts.now(),
		opts:     opts,
		byMAC:    make(map[string]*Phone),
		routes:   newRouteTable(),
		texts:    newTextStore(newDataRoot(opts.DataDir)),
	}
	s.texts.saved = opts.Files
	var d diags

	if prev := opts.previous(); prev != nil && prev.inputsUnchanged(&opts) {
		s.derive(prev)
		return s, nil
	}
	ppconf, err := config.Load("phoneprov.conf", opts.configOptions())
	if err != nil {
		return nil, err
	}
	s.addConfig(ppconf, &d)
	pc := opts.providers()
	s.inputs.general = provider.GeneralServerVars(pc, ppconf)
	s.Profiles = parseProfiles(ppconf, &opts)
	if len(s.Profiles) == 0 {
		return nil, ErrNoProfiles
	}
	configEnd := len(d)
	profiles := make(map[string]*Profile, len(s.Profiles))
	for _, p := range s.Profiles {
		if _, dup := profiles[p.Name]; !dup {
			profiles[p.Name] = p
		}
		for _, f := range p.Static {
			s.routes.add(&Route{URI: f.Format, File: f, Profile: p})
		}
	}
	s.checkDataFiles(&d)
	dataEnd := len(d)

	base := funcs.Functions(funcs.Config{
		DataDir:   opts.DataDir,
		LookupEnv: opts.LookupEnv,
		Location:  opts.localZone(),
	})
	var probs provider.Problems
	userLines, usersCfg, err := provider.LoadUsers(pc, ppconf, &probs)
	d.addProblems(&probs)
	if err != nil {
		d.add(Error, err)
	}
	if usersCfg != nil {
		s.addConfig(usersCfg, &d)
	}
	pjsipLines, objs, pjsipCfg, err := provider.LoadPJSIP(pc, &probs)
	d.addProblems(&probs)
	if err != nil {
		d.add(Error, err)
	}
	if pjsipCfg != nil {
		s.addConfig(pjsipCfg, &d)
	}
	var usersConf *config.Config
	if usersCfg != nil && pc.UsersFile() == "users.conf" {
		usersConf = usersCfg
	}
	peers, peerCfgs := provider.LoadSIPPeers(pc, usersConf)
	for _, c := range peerCfgs {
		s.addConfig(c, &d)
	}
	s.inputs.objs, s.inputs.peers = objs, peers
	extra := []*subst.Func{provider.PJSIPEndpointFunc(objs, opts.Live), provider.SIPPeerFunc(peers)}

	ps := &phoneSet{
		secretVars: map[string]bool{"SECRET": true},
		techFor:    provider.TechResolver(pc, objs, peers),
		opts:       &opts,
		profiles:   profiles,
		byMAC:      s.byMAC,
		routes:     s.routes,
		now:        opts.now(),
		diags:      &d,
		prev:       linesReusable(opts.previous(), &opts),
	}
	if ps.prev != nil {
		// Lines taken over keep the secret-bearing setvars they had.
		for name := range ps.prev.secretVars {
			ps.secretVars[name] = true
		}
	}
	engineConfig := subst.Config{
		Expr:     expr.Eval,
		Builtins: opts.builtins(),
		Now:      opts.Now,
		Logger:   opts.logger(),
	}
	loadCfg := engineConfig
	loadCfg.Funcs = subst.NewRegistry(base...).With(extra...).With(ppFuncs(ps, s.texts, opts.EachUserKeepsQuotes, nil)...)
	ps.loadEngine = subst.New(loadCfg)
	dynamic := 0
	for _, p := range s.Profiles {
		dynamic = max(dynamic, len(p.Dynamic))
	}
	s.routes.grow((len(userLines) + len(pjsipLines)) * dynamic)
	for _, l := range userLines {
		ps.add(l)
	}
	for _, l := range pjsipLines {
		ps.add(l)
	}
	s.phones = ps.phones()
	for i, p := range s.phones {
		p.ownServer = p.Lines[0].Vars.Has("SERVER")
		p.pos = i
	}
	s.secretVars = ps.secretVars

	s.inputs.record(&opts, ps, ppconf, d[:configEnd], d[dataEnd:])
	s.addPlugins(&d)
	s.routes.freeze(opts.CaseInsensitiveRoutes)
	s.finish(d)
	return s, nil
}

// checkDataFiles reports the templates and static files of the profiles
// that cannot be used.
func (s *Snapshot) checkDataFiles(d *diags) {
	for _, p := range s.Profiles {
		for _, f := range p.Dynamic {
			if _, err := s.texts.get(f.Template); err != nil {
				d.errorf(f.Source, "template %q of profile [%s] cannot be read: %v", f.Template, p.Name, describeFileError(err))
			}
		}
		for _, f := range p.Static {
			if _, err := s.texts.root.resolve(f.Template); err != nil && !errors.Is(err, fs.ErrNotExist) {
				d.errorf(f.Source, "static file %q of profile [%s] cannot be served: %v", f.Template, p.Name, describeFileError(err))
			}
		}
	}
}

// finish builds what serves the phones: the request-time engine, the
// render cache, the static files' states.
func (s *Snapshot) finish(d diags) {
	opts := &s.opts
	base := funcs.Functions(funcs.Config{
		DataDir:   opts.DataDir,
		LookupEnv: opts.LookupEnv,
		Location:  opts.localZone(),
	})
	extra := []*subst.Func{provider.PJSIPEndpointFunc(s.inputs.objs, opts.Live), provider.SIPPeerFunc(s.inputs.peers)}
	s.userLists = &userLists{s: s, m: make(map[string]*userListOnce)}
	s.engine = subst.New(subst.Config{
		Expr:     expr.Eval,
		Builtins: opts.builtins(),
		Now:      opts.Now,
		Logger:   opts.logger(),
		Funcs:    subst.NewRegistry(base...).With(extra...).With(ppFuncs(s, s.texts, opts.EachUserKeepsQuotes, s.userLists)...),
	})
	s.cache = newRenderCache(defaultCacheBytes)
	s.statics = s.staticStates()
	s.resolveStatics()
	s.patternMatches = globPatterns(s.patterns)
	s.Diagnostics = d
}

// addConfig records a config file's files for the watcher and its
// warnings as diagnostics; a fatal error inside an included file (which
// Asterisk abandons silently) is an Error, so a reload refuses it.
func (s *Snapshot) addConfig(c *config.Config, d *diags) {
	if s.files == nil {
		s.files = make(map[string][32]byte)
	}
	for _, f := range c.Files {
		if _, seen := s.files[f]; !seen {
			s.files[f] = c.Sums[f]
		}
	}
	s.patterns = append(s.patterns, c.Patterns...)
	for _, w := range c.Warnings {
		if w.Fatal {
			d.errorf(Pos{w.File, w.Line}, "%s", w.Msg)
		} else {
			d.warnf(Pos{w.File, w.Line}, "%s", w.Msg)
		}
	}
}

func describeFileError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// add records a load error, with its file and line when it carries them.
func (d *diags) add(sev Severity, err error) {
	var ce *config.Error
	if errors.As(err, &ce) {
		*d = append(*d, Diagnostic{Severity: sev, Pos: Pos{ce.File, ce.Line}, Msg: ce.Msg})
		return
	}
	var de *diagError
	if errors.As(err, &de) {
		*d = append(*d, Diagnostic{Severity: sev, Pos: de.pos, Msg: de.msg})
		return
	}
	*d = append(*d, Diagnostic{Severity: sev, Msg: err.Error()})
}

// addProblems records what a provider reported, and empties probs.
func (d *diags) addProblems(probs *provider.Problems) {
	for _, p := range *probs {
		sev := Warning
		if p.Error {
			sev = Error
		}
		*d = append(*d, Diagnostic{Severity: sev, Pos: Pos(p.Pos), Msg: p.Msg})
	}
	*probs = (*probs)[:0]
}

// builtins returns Asterisk's built-in variables for this configuration.
func (o *Options) builtins() map[string]string {
	if o.Builtins != nil {
		return o.Builtins
	}
	return map[string]string{
		"SYSTEMNAME":   "",
		"ASTETCDIR":    o.ConfigDir,
		"ASTMODDIR":    "/usr/lib/asterisk/modules",
		"ASTVARLIBDIR": o.DataDir,
		"ASTDBDIR":     filepath.Join(o.DataDir, "astdb"),
		"ASTKEYDIR":    filepath.Join(o.DataDir, "keys"),
		"ASTDATADIR":   o.DataDir,
		"ASTAGIDIR":    filepath.Join(o.DataDir, "agi-bin"),
		"ASTSPOOLDIR":  "/var/spool/asterisk",
		"ASTRUNDIR":    "/var/run/asterisk",
		"ASTLOGDIR":    "/var/log/asterisk",
		"ASTSBINDIR":   "/usr/sbin",
		"ASTCACHEDIR":  "/var/cache/asterisk",
		"ENTITYID":     "00:00:00:00:00:00",
	}
}

// orderedPhones implements phoneLister.
func (s *Snapshot) orderedPhones() []*Phone { return s.phones }

// phoneByMAC implements phoneLister.
func (s *Snapshot) phoneByMAC(mac string) *Phone { return s.byMAC[mac] }

// orderedPhones implements phoneLister for the phones added so far.
func (ps *phoneSet) orderedPhones() []*Phone { return ps.phones() }

// phoneByMAC implements phoneLister.
func (ps *phoneSet) phoneByMAC(mac string) *Phone { return ps.byMAC[mac] }

// Phones returns every phone in Asterisk's order.
func (s *Snapshot) Phones() []*Phone { return s.phones }

// Phone returns the phone with exactly this MAC, or nil.
func (s *Snapshot) Phone(mac string) *Phone { return s.byMAC[mac] }

// Route returns the route for a decoded URI (the text after /phoneprov/),
// or nil.
func (s *Snapshot) Route(uri string) *Route { return s.routes.lookup(uri) }

// Routes returns every route in Asterisk's container order.
func (s *Snapshot) Routes() []*Route { return s.routes.ordered() }

// RouteCount is len(Routes()) without ordering them.
func (s *Snapshot) RouteCount() int { return len(s.routes.all) }

// WriteRoutes prints the routes as `phoneprov show routes` does.
func (s *Snapshot) WriteRoutes(w io.Writer) error { return writeRoutes(w, s.routes.ordered()) }

// Errors returns the diagnostics of Error severity.
func (s *Snapshot) Errors() []Diagnostic {
	var out []Diagnostic
	for _, d := range s.Diagnostics {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// StaticPath returns the file a static route serves, confined to the data
// directory.
func (s *Snapshot) StaticPath(r *Route) (string, error) {
	return s.resolveStaticFile(r.File)
}

// Publish numbers s as the generation it is about to be served as (1 for
// the first snapshot served, then one more for each). Whoever publishes
// snapshots — the reload manager — calls it once, before anything renders
// from s: every body rendered carries the number. A second call panics.
func (s *Snapshot) Publish(generation uint64) {
	if s.generation != 0 {
		panic(fmt.Sprintf("phoneprov: snapshot published twice (generation %d, then %d)", s.generation, generation))
	}
	s.generation = generation
}

// Generation returns the number Publish gave s, 0 when it was never
// published (a snapshot loaded by the check or render commands).
func (s *Snapshot) Generation() uint64 { return s.generation }

// Derived reports whether the snapshot took its profiles and phones over
// from the previous one, none of their inputs having changed.
func (s *Snapshot) Derived() bool { return s.derived }

// String describes the snapshot briefly.
func (s *Snapshot) String() string {
	return fmt.Sprintf("%d profiles, %d phones, %d routes", len(s.Profiles), len(s.phones), len(s.routes.all))
}
