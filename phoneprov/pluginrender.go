package phoneprov

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
)

// renderPlugin is render for a route a plugin serves: the phone's raw
// config for server, the plugin's configure() for its device, the route's
// file rendered by the plugin's templates. During a reload (rs), a file
// whose template set, template and variables are those the previous
// snapshot rendered takes the previous body without rendering.
func (s *Snapshot) renderPlugin(r *Route, at Reached, rs *reuse) (*Rendered, error) {
	pr := r.plugin
	at = s.reached(r.Phone, at)
	if c := s.cache.get(r, at); c != nil {
		if s.opts.Observer != nil {
			s.opts.Observer.CacheHit()
		}
		return c, nil
	}
	start := time.Now()
	var prev *Rendered
	if rs != nil {
		prev = rs.prev.cached(r.URI, at)
	}
	out, rendered, err := s.plugins.renderFile(pr.plugin, pr.pp.dev, r.Phone, pr.name, at, s.generation, prev)
	if err != nil {
		return nil, err
	}
	if s.opts.Observer != nil && rendered {
		s.opts.Observer.Rendered(time.Since(start), false)
	}
	return s.cache.put(r, at, out), nil
}

// errNoSuchFile is returned when a plugin no longer names a route's file
// for its device.
var errNoSuchFile = errors.New("the plugin does not write this file for the device")

// renderFile renders file name of device dev served as phone, for a
// request that reached at (normalised by Snapshot.reached); prev is the
// previous snapshot's body for the same route, or nil. rendered is false
// when prev's body was taken.
func (ps *pluginSet) renderFile(pl *plugin.Plugin, dev provd.Device, phone *Phone, name string, at Reached, gen uint64, prev *Rendered) (out *Rendered, rendered bool, err error) {
	out = &Rendered{Generation: gen, Sensitive: sensitiveName(pl, name), pluginKey: ps.fileKey(pl, dev, phone, name, at)}
	if prev != nil && prev.pluginKey == out.pluginKey {
		// The same variables: the same secrets in the same bytes.
		out.pieces, out.sum, out.HoldsSecret = prev.pieces, prev.sum, prev.HoldsSecret
		return out, false, nil
	}
	raw, _ := rawConfig(phone, at, ps.rs)
	files, err := pl.Files(dev, raw)
	if err != nil {
		return nil, false, err
	}
	ps.pinFirmware(dev.MAC, files)
	var f *plugin.File
	for i := range files {
		if files[i].Name == name {
			f = &files[i]
			break
		}
	}
	if f == nil {
		return nil, false, fmt.Errorf("%s: %s: %w", pl.Name, name, errNoSuchFile)
	}
	body, err := pl.Render(*f)
	if err != nil {
		return nil, false, err
	}
	out.sum = sha256.Sum256(body)
	out.HoldsSecret = holdsSecret(body, phone)
	if prev != nil && !prev.Volatile && prev.sum == out.sum {
		body = prev.Bytes() // share the previous copy
	}
	out.data = body
	return out, true, nil
}

// fileKey identifies everything a plugin file's bytes are made of: the
// plugin (the sum of its files), the file, the device, where the request
// reached, every variable of every line of the phone (all the raw config
// is built from), and the year (DST rules are the current year's). The
// same key gives the same bytes without computing the raw config or
// calling configure(): a reload that changed nothing of a phone costs a
// digest of its variables.
func (ps *pluginSet) fileKey(pl *plugin.Plugin, dev provd.Device, phone *Phone, name string, at Reached) [32]byte {
	buf := make([]byte, 0, 1024)
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = append(buf, pl.Sum[:]...)
	for _, s := range []string{pl.Name, name, dev.MAC, dev.Vendor, dev.Model, dev.Version, at.Server, at.Scheme, ps.rs.prefix, ps.pinKey(dev.MAC)} {
		str(s)
	}
	buf = binary.AppendUvarint(buf, uint64(at.Port))
	buf = binary.AppendUvarint(buf, uint64(ps.year()))
	if dev.Options != nil {
		opts, _ := dev.Options.MarshalJSON()
		str(string(opts))
	}
	for _, l := range phone.Lines {
		buf = binary.AppendVarint(buf, int64(l.Index))
		buf = binary.AppendUvarint(buf, uint64(len(l.Vars)))
		for _, v := range l.Vars {
			str(v.Name)
			str(v.Value)
		}
	}
	return sha256.Sum256(buf)
}

// Unrouted answers, when a plugin can, a request that matched no route:
//
//   - a configured phone of a plugin profile that waits to be identified
//     (its model, or for an "auto" profile its plugin, was not known when
//     the snapshot was built) gets its own file, configured from what this
//     request tells (the User-Agent, the file name);
//   - an unknown phone that a plugin of an autoprov profile recognises gets
//     what the profile gives (provd's autoprov config): its settings and
//     the profile's line, never a line of another phone.
//
// The file must be one the plugin writes for the device. The answers are
// cached, a bounded number per snapshot. It returns a nil route when
// nothing applies (a 404 to the phone). Requests that match a route never
// come here: this costs nothing on the ordinary path.
func (s *Snapshot) Unrouted(uri, userAgent string, at Reached) (*Route, *Rendered, error) {
	ps := s.plugins
	if ps == nil || (ps.pending == 0 && len(ps.autoprov) == 0) {
		return nil, nil, nil
	}
	info := ps.extract(Sighting{UserAgent: userAgent, Path: uri})
	mac, ok := family.MACFromPath(uri)
	if !ok {
		if info.MAC == "" {
			return nil, nil, nil
		}
		mac = provd.FormatMAC(info.MAC, "", false)
	}
	key := strings.Join([]string{uri, mac, info.Vendor, info.Model, info.Version, at.Server, strconv.Itoa(at.Port), at.Scheme}, "\x00")
	if e, ok := ps.unrouted.get(key); ok {
		return e.route, e.body, e.err
	}
	route, body, err := s.unrouted(uri, mac, info, at)
	ps.unrouted.put(key, unroutedEntry{route, body, err})
	return route, body, err
}

func (s *Snapshot) unrouted(uri, mac string, info provd.Info, at Reached) (*Route, *Rendered, error) {
	ps := s.plugins
	if pp := ps.byMAC[mac]; pp != nil {
		if !pp.pending {
			return nil, nil, nil // its files are routes (this is not one), or it cannot be served
		}
		dev, _ := deviceVars(pp.phone)
		seen := pp.seen
		if info.Vendor != "" {
			seen.Vendor = info.Vendor
		}
		if info.Model != "" {
			seen.Model, seen.Version = info.Model, info.Version
		}
		pl, dev, ok := ps.resolve(pp.profile, dev, seen)
		if !ok {
			return nil, nil, nil
		}
		return s.serveUnrouted(pl, dev, pp.phone, uri, at, true)
	}
	if len(ps.autoprov) == 0 || info.Vendor == "" || s.configuredMAC(mac) {
		return nil, nil, nil
	}
	norm, err := provd.NormMAC(mac)
	if err != nil {
		return nil, nil, nil
	}
	for _, prof := range ps.autoprov {
		pl, dev, ok := ps.resolve(ps.opts.Profiles[prof.Name], provd.Device{MAC: norm}, info)
		if !ok || pl.Family.Vendor != info.Vendor {
			continue
		}
		route, body, err := s.serveUnrouted(pl, dev, s.autoprovPhone(prof, mac), uri, at, false)
		if route != nil || err != nil {
			return route, body, err
		}
	}
	return nil, nil, nil
}

// serveUnrouted renders file uri of dev, served as phone, when the plugin
// writes such a file for it.
func (s *Snapshot) serveUnrouted(pl *plugin.Plugin, dev provd.Device, phone *Phone, uri string, at Reached, own bool) (*Route, *Rendered, error) {
	at = s.reached(phone, at)
	raw, _ := rawConfig(phone, at, s.plugins.rs)
	files, err := pl.Files(dev, raw)
	if err != nil {
		return nil, nil, nil // not configurable from what is known: as provd, nothing
	}
	for _, f := range files {
		if f.Name != uri {
			continue
		}
		start := time.Now()
		body, _, err := s.plugins.renderFile(pl, dev, phone, uri, at, s.generation, nil)
		if err != nil {
			return nil, nil, err
		}
		if s.opts.Observer != nil {
			s.opts.Observer.Rendered(time.Since(start), false)
		}
		pp := &pluginPhone{phone: phone, plugin: pl, dev: dev}
		r := &Route{URI: uri, File: &File{Format: uri, Template: pl.Name + "/" + f.Template, MIME: pluginMIME(uri), Source: phone.first.Source},
			Profile: phone.Profile, Phone: phone, own: own, plugin: &pluginRoute{pp: pp, plugin: pl, name: uri}}
		return r, body, nil
	}
	return nil, nil, nil
}

// configuredMAC reports whether a phone of s has MAC mac (12 lower-case
// hex digits), however it is written in the configuration.
func (s *Snapshot) configuredMAC(mac string) bool {
	ps := s.plugins
	ps.macsOnce.Do(func() {
		ps.macs = make(map[string]bool, len(s.phones))
		for _, p := range s.phones {
			if m, ok := family.NormalizeMAC(p.MAC); ok {
				ps.macs[m] = true
			}
		}
	})
	return ps.macs[mac]
}

// autoprovPhone is the phone an unknown device is served as by autoprov
// profile prof: one line with the profile's setvars (USERNAME, SECRET,
// DISPLAY_NAME, CALLERID give it its account) and phoneprov.conf
// [general]'s SERVER and SERVER_PORT, as a users.conf line would have.
func (s *Snapshot) autoprovPhone(prof *Profile, mac string) *Phone {
	vars := subst.Vars{{Name: "MAC", Value: mac}, {Name: "PROFILE", Value: prof.Name}}
	vars = append(vars, s.inputs.general...) // phoneprov.conf [general]'s SERVER and SERVER_PORT
	vars = append(vars, subst.Var{Name: "LINE", Value: "1"}, subst.Var{Name: "LINEKEYS", Value: "1"})
	vars = append(vars, timezoneVars(s.LoadedAt, s.opts.localZone())...)
	for _, sv := range prof.Setvars {
		if vars.Has(sv.Name) {
			continue
		}
		value := sv.Value
		if strings.Contains(value, "$") {
			value = s.engine.Substitute(value, vars, subst.Options{}).Text
		}
		vars = append(vars, subst.Var{Name: sv.Name, Value: value})
	}
	username, _ := vars.Find("USERNAME")
	line := &Line{Username: username, Index: 1, Vars: vars, Source: prof.Source}
	p := &Phone{MAC: mac, Provider: ProviderAutoprov, Profile: prof, Lines: []*Line{line}, first: line, pos: -1}
	p.normalMAC, _ = family.NormalizeMAC(mac)
	p.ownServer = vars.Has("SERVER")
	return p
}

// ProviderAutoprov is the provider of the phone an unknown device is
// served as.
const ProviderAutoprov = "autoprov"

// unroutedCache keeps the answers of Unrouted, a bounded number: past it,
// an arbitrary entry makes room.
type unroutedCache struct {
	mu sync.Mutex
	m  map[string]unroutedEntry
}

type unroutedEntry struct {
	route *Route
	body  *Rendered
	err   error
}

// maxUnrouted bounds the answers one snapshot keeps.
const maxUnrouted = 1024

func newUnroutedCache() *unroutedCache { return &unroutedCache{m: make(map[string]unroutedEntry)} }

func (c *unroutedCache) get(key string) (unroutedEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return e, ok
}

func (c *unroutedCache) put(key string, e unroutedEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxUnrouted {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[key] = e
}
