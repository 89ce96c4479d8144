package phoneprov

import (
	"maps"
	"slices"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// An edit of a template changes no phone's variables, yet a full load
// parses every configuration file again and rebuilds every line: at
// 100,000 phones, two seconds and hundreds of megabytes before the first
// template is rendered. When nothing the phones were built from changed —
// the configuration files, what the include patterns match, the PBX's
// answers, the time-zone rules in force, the options — Load derives the
// new snapshot from the one being served: same profiles and phones (they
// are never modified once built), new routes, templates, caches and
// engine.

// phoneInputs is what a snapshot's phones were built from besides its
// configuration files (Snapshot.files, .patternMatches), and what a
// derived snapshot takes over.
type phoneInputs struct {
	key   optionsKey
	zones map[*time.Location]subst.Vars // time-zone variables per zone used
	now   time.Time
	iface string // the address serveriface resolved to, or ""
	// general are SERVER and SERVER_PORT as phoneprov.conf [general] sets
	// them for users.conf lines (autoprov phones get them too).
	general  subst.Vars
	ifaceArg string
	// pure: every setvar was computed by Pure functions only, so the same
	// inputs give the same values.
	pure bool
	// The diagnostics of loading the configuration files before and after
	// the template checks, which are made again.
	head, tail diags
	objs       *pjsip.Objects
	peers      provider.SIPPeers
}

// optionsKey is the part of Options a load depends on.
type optionsKey struct {
	configDir, dataDir                  string
	asteriskVersion                     int
	mimeByExtension, caseInsensitive    bool
	eachUserKeepsQuotes, missingStatic  bool
	liveDangerously, execIncludes, live bool
	localZone                           *time.Location
}

func (o *Options) key() optionsKey {
	return optionsKey{
		configDir: o.ConfigDir, dataDir: o.DataDir, asteriskVersion: o.AsteriskVersion,
		mimeByExtension: o.MIMEByExtension, caseInsensitive: o.CaseInsensitiveRoutes,
		eachUserKeepsQuotes: o.EachUserKeepsQuotes, missingStatic: o.MissingStatic404,
		liveDangerously: o.LiveDangerously, execIncludes: o.ExecIncludes, live: o.Live != nil,
		localZone: o.localZone(),
	}
}

// previous returns the snapshot a load may derive from, or nil: none when
// the files are read from a saved copy (Files), whose sums derive cannot
// compare with the disk.
func (o *Options) previous() *Snapshot {
	if o.Previous == nil || o.Builtins != nil || o.Files != nil {
		return nil
	}
	return o.Previous()
}

// record keeps what a full load's phones were built from.
func (in *phoneInputs) record(opts *Options, ps *phoneSet, ppconf *config.Config, head, tail diags) {
	in.key = opts.key()
	in.zones = ps.tz
	in.now = ps.now
	in.pure = !ps.setvars.impure
	in.head, in.tail = slices.Clone(head), slices.Clone(tail)
	general := ppconf.Section("general")
	pc := opts.providers()
	if _, ok := pc.Retrieve(general, "serveraddr"); !ok {
		if name, ok := pc.Retrieve(general, "serveriface"); ok {
			in.ifaceArg = name
			in.iface, _ = pc.ServerIface(name)
		}
	}
}

// inputsUnchanged reports whether a load with opts would build s's phones
// again: same options, configuration files and include matches, PBX
// answers, time-zone variables and serveriface address, and setvars that
// depend on nothing else.
func (s *Snapshot) inputsUnchanged(opts *Options) bool {
	in := &s.inputs
	if !in.pure || in.key != opts.key() || s.Profiles == nil {
		return false
	}
	for path, sum := range s.files {
		if now, err := fileSum(path); err != nil || now != sum {
			return false
		}
	}
	if !slices.EqualFunc(globPatterns(s.patterns), s.patternMatches, func(a, b PatternState) bool {
		return a.Pattern == b.Pattern && slices.Equal(a.Matches, b.Matches)
	}) {
		return false
	}
	if in.ifaceArg != "" {
		if addr, _ := opts.providers().ServerIface(in.ifaceArg); addr != in.iface {
			return false
		}
	}
	now := opts.now()
	for loc, vars := range in.zones {
		if !slices.Equal(timezoneVars(now, loc), vars) {
			return false
		}
	}
	if m, ok := s.opts.Live.(*memoLive); ok {
		if opts.Live == nil || !m.unchanged(opts.Live) {
			return false
		}
	}
	return true
}

// derive makes s serve prev's profiles and phones with its own templates,
// routes, caches and engine.
func (s *Snapshot) derive(prev *Snapshot) {
	s.Profiles = prev.Profiles
	s.phones, s.byMAC = prev.phones, prev.byMAC
	s.secretVars = prev.secretVars
	s.files = prev.files
	s.patterns = prev.patterns
	s.inputs = prev.inputs
	s.inputs.now = s.LoadedAt
	s.routes.grow(len(prev.routes.all))
	for _, r := range prev.routes.all {
		if r.plugin == nil { // plugins are loaded again (addPlugins)
			s.routes.add(&Route{URI: r.URI, File: r.File, Profile: r.Profile, Phone: r.Phone, own: r.own})
		}
	}
	d := slices.Clone(prev.inputs.head)
	s.checkDataFiles(&d)
	d = append(d, prev.inputs.tail...)
	s.addPlugins(&d)
	s.routes.freeze(s.opts.CaseInsensitiveRoutes)
	s.derived = true
	s.finish(d)
}

// unchanged reports whether src answers now for every endpoint m was
// asked about as it answered m — and had answered then as it has now (a
// PBX that comes up answers for the first time: a full load sees it).
func (m *memoLive) unchanged(src provider.LiveData) bool {
	m.mu.Lock()
	answers := maps.Clone(m.m)
	m.mu.Unlock()
	for name, a := range answers {
		ep, ok := src.Endpoint(name)
		if ok != a.ok || (ok && !ep.Equal(a.ep)) {
			return false
		}
		if now, isMemo := src.(*memoLive); isMemo && now.answered(name) != a.answered {
			return false
		}
	}
	return true
}
