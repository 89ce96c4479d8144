package phoneprov

import (
	"cmp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ao2"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// Phone is one device, identified by its MAC, with its lines.
type Phone struct {
	// What a request of the phone reads comes first, in one cache line.
	MAC string
	// normalMAC is MAC normalised (NormalMAC), worked out when the phone
	// is built.
	normalMAC string
	// memo is what a part of the daemon keeps with the phone (Memo), held
	// in place: reading it touches no other cache line.
	memo atomic.Value
	// ownServer reports that Lines[0] sets SERVER, so that the address a
	// request reached does not replace it (set once the lines are final).
	ownServer bool

	Provider string // provider.Users or provider.PJSIP
	Profile  *Profile
	// Lines are sorted by LINE. Lines[0] supplies the variables dynamic
	// files are rendered with.
	Lines []*Line
	// first is the line that was added first; Asterisk computes the
	// phone's route URIs from it.
	first *Line
	seq   int // insertion order among phones
	pos   int // index in the snapshot's order (Snapshot.Phones)
}

// NormalMAC is the phone's MAC as family.NormalizeMAC gives it (12
// lower-case hex digits), "" when MAC is no MAC address. The snapshot
// works it out once, not on every request that names the phone.
func (p *Phone) NormalMAC() string {
	if p.normalMAC != "" {
		return p.normalMAC
	}
	m, _ := family.NormalizeMAC(p.MAC)
	return m
}

// Memo returns what SetMemo last kept with the phone, nil if nothing.
func (p *Phone) Memo() any {
	return p.memo.Load()
}

// SetMemo keeps v with the phone, for as long as the phone lives (its
// snapshot, or the snapshots that share it): a part of the daemon that
// derives something from a phone on every request finds it here with no
// lookup. The inventory keeps its record of the phone. The snapshot's
// contents are not changed. v is not nil, and is of the same type each
// time (atomic.Value's rule).
func (p *Phone) SetMemo(v any) { p.memo.Store(v) }

// requestServer returns what SERVER is for a request of p that reached
// address server: "" when p's first line has a SERVER of its own.
func (p *Phone) requestServer(server string) string {
	if p.ownServer {
		return ""
	}
	return server
}

// Line is one extension (SIP account) of a phone.
type Line struct {
	Username string // USERNAME
	Index    int    // LINE
	Vars     subst.Vars
	// Endpoint is the PBX endpoint (or chan_sip peer) a NOTIFY reaches
	// this line through; "" when unknown. Tech is "PJSIP" or "SIP"
	// (chan_sip, Asterisk ≤ 20).
	Endpoint string
	Tech     string
	Source   Pos
}

// phoneSet builds phones the way ast_phoneprov_add_extension does
// (docs/asterisk.md#building-a-line and #lines-of-one-phone), without the
// line-dropping bug of its sorted insert.
type phoneSet struct {
	opts     *Options
	profiles map[string]*Profile
	byMAC    map[string]*Phone
	order    []*Phone // insertion order
	routes   *routeTable
	now      time.Time
	diags    *diags
	// loadEngine substitutes setvars and route URIs at load time, where
	// Asterisk allows escalating functions.
	loadEngine *subst.Engine
	// techFor tells which channel technology an endpoint name belongs to.
	techFor func(provider, endpoint string) string
	// zones caches time zones by name for this load, tz their variables.
	zones map[string]*time.Location
	tz    map[*time.Location]subst.Vars
	// secretVars are the names whose values carry a secret: SECRET and
	// every setvar whose value was computed from one.
	secretVars map[string]bool
	setvars    setvarMemo
	// prev is the snapshot being served when its lines may be taken over
	// (reuseLine), else nil.
	prev *Snapshot
}

// add adds one extension.
func (ps *phoneSet) add(l provider.LineSpec) {
	username, ok := l.Vars.Find("USERNAME")
	if !ok {
		ps.diags.warnf(Pos(l.Source), "%s skipped: no username (USERNAME is required, as in Asterisk 13 and later)", l.What)
		return
	}
	mac, ok := l.Vars.Find("MAC")
	if !ok {
		ps.diags.warnf(Pos(l.Source), "%s skipped: no MAC address", l.What)
		return
	}
	profileName, ok := l.Vars.Find("PROFILE")
	if !ok {
		ps.diags.warnf(Pos(l.Source), "%s skipped: no profile (set profile= or [general] default_profile in phoneprov.conf)", l.What)
		return
	}
	profile := ps.profiles[profileName]
	if profile == nil {
		ps.diags.warnf(Pos(l.Source), "%s skipped: profile %q does not exist in phoneprov.conf", l.What, profileName)
		return
	}

	phone := ps.byMAC[mac]
	if phone != nil && phone.Provider != l.Provider {
		ps.diags.warnf(Pos(l.Source), "%s skipped: MAC address %s was already added by %s (%s)",
			l.What, mac, phone.Provider, phone.first.Source)
		return
	}
	if phone == nil {
		phone = &Phone{MAC: mac, Provider: l.Provider, Profile: profile, seq: len(ps.order)}
		phone.normalMAC, _ = family.NormalizeMAC(mac)
	}

	line := ps.buildLine(username, l, len(phone.Profile.Setvars))
	if old := ps.reuseLine(mac, line, phone.Profile); old != nil {
		line.Vars = old.Vars
	} else {
		ps.applySetvars(line, phone.Profile)
	}

	for _, other := range phone.Lines {
		if other.Index == line.Index {
			ps.diags.warnf(Pos(l.Source), "%s skipped: duplicate linenumber=%d for %s (%s has it)",
				l.What, line.Index, mac, other.Source)
			return
		}
	}
	phone.Lines = append(phone.Lines, line)
	if len(phone.Lines) > 1 {
		slices.SortStableFunc(phone.Lines, func(a, b *Line) int { return cmp.Compare(a.Index, b.Index) })
	}

	if phone.first == nil {
		phone.first = line
		ps.byMAC[mac] = phone
		ps.order = append(ps.order, phone)
		ps.addRoutes(phone)
	}
}

// buildLine is build_extension: the provider's variables, then LINE and
// LINEKEYS defaults, then the time-zone variables.
// The variables are allocated once at their final size (setvars more are
// appended by applySetvars): ten thousand lines hold them for the life of
// the snapshot.
func (ps *phoneSet) buildLine(username string, l provider.LineSpec, setvars int) *Line {
	tz := ps.tzVars(ps.zoneFor(l.Vars))
	vars := make(subst.Vars, len(l.Vars), len(l.Vars)+2+len(tz)+setvars)
	copy(vars, l.Vars)
	line := &Line{Username: username, Endpoint: l.Endpoint, Source: Pos(l.Source)}
	if l.Endpoint != "" && ps.techFor != nil {
		line.Tech = ps.techFor(l.Provider, l.Endpoint)
	}
	if v, ok := vars.Find("LINE"); ok {
		line.Index = cstring.Atoi(v)
	} else {
		vars = append(vars, subst.Var{Name: "LINE", Value: "1"})
		line.Index = 1
	}
	if !vars.Has("LINEKEYS") {
		vars = append(vars, subst.Var{Name: "LINEKEYS", Value: "1"})
	}
	vars = append(vars, tz...)
	line.Vars = vars
	return line
}

// zoneFor returns the zone for a line's TIMEZONE: the server's zone when it
// is absent or empty, nil (offset 0, no DST) when it names no known zone.
func (ps *phoneSet) zoneFor(vars subst.Vars) *time.Location {
	name, ok := vars.Find("TIMEZONE")
	if !ok || name == "" {
		return ps.opts.localZone()
	}
	if loc, ok := ps.zones[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	if ps.zones == nil {
		ps.zones = make(map[string]*time.Location)
	}
	ps.zones[name] = loc // time.LoadLocation reads zoneinfo from disk each time
	return loc
}

// tzVars returns the time-zone variables of loc, computed once per zone
// and load (they depend only on the zone and the load's "now").
func (ps *phoneSet) tzVars(loc *time.Location) subst.Vars {
	if v, ok := ps.tz[loc]; ok {
		return v
	}
	v := timezoneVars(ps.now, loc)
	if ps.tz == nil {
		ps.tz = make(map[*time.Location]subst.Vars)
	}
	ps.tz[loc] = v
	return v
}

// applySetvars appends each profile setvar the line does not define yet,
// its value substituted against the line as it stands (add_user_extension).
func (ps *phoneSet) applySetvars(line *Line, p *Profile) {
	for i := range p.Setvars {
		sv := &p.Setvars[i]
		if line.Vars.Has(sv.Name) {
			continue
		}
		value := sv.Value
		if strings.Contains(value, "$") {
			var secret bool
			value, secret = ps.setvars.substitute(ps, sv, line.Vars)
			if secret {
				ps.secretVars[sv.Name] = true
			}
		}
		line.Vars = append(line.Vars, subst.Var{Name: sv.Name, Value: value})
	}
}

// addRoutes registers a new phone's dynamic routes, their URIs substituted
// against its first-added line (build_user_routes).
func (ps *phoneSet) addRoutes(phone *Phone) {
	for _, f := range phone.Profile.Dynamic {
		uri := ps.loadEngine.String(f.Format, phone.first.Vars)
		ps.routes.add(&Route{URI: uri, File: f, Profile: phone.Profile, Phone: phone, own: namesMAC(uri, phone.MAC)})
	}
}

// NotifyTarget returns the endpoint a re-sync NOTIFY reaches this phone
// through — the lowest line that has one — and its technology.
func (p *Phone) NotifyTarget() (endpoint, tech string) {
	for _, l := range p.Lines {
		if l.Endpoint != "" {
			return l.Endpoint, l.Tech
		}
	}
	return "", ""
}

// phones returns the phones in Asterisk's users-container order.
func (ps *phoneSet) phones() []*Phone {
	return ao2.Order(ps.order, ao2.PhoneprovBuckets, func(p *Phone) string { return p.MAC })
}
