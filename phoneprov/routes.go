package phoneprov

import (
	"github.com/phoneprovd/phoneprovd/asterisk/ao2"
	"io"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
)

// Route is one URI phoneprovd serves under /phoneprov/.
type Route struct {
	URI     string
	File    *File
	Profile *Profile
	Phone   *Phone // nil for a static route
	seq     int    // insertion order
	// own: the URI names its phone's MAC. A route that does not (a file
	// every phone of a vendor fetches, added by the first of them) says
	// nothing of who fetched it.
	own bool
	// rendered holds the bodies the snapshot's render cache keeps.
	rendered atomic.Pointer[Rendered]
	// plugin is set for a route a plugin serves (plugins.go).
	plugin *pluginRoute
}

// Owner returns the phone whose MAC the route's URI names (the phone's own
// file: 0004f2a1b2c3.cfg, SEP0004F2A1B2C3.cnf.xml), or nil for a static
// route and for a dynamic route shared by phones, such as Yealink's
// y000000000066.cfg: the route's Phone is only the first phone that
// added it, not who fetches it.
func (r *Route) Owner() *Phone {
	if r.own {
		return r.Phone
	}
	return nil
}

// namesMAC reports whether uri holds mac, ignoring case.
func namesMAC(uri, mac string) bool {
	if len(mac) == 0 || len(uri) < len(mac) {
		return false
	}
	for i := 0; i+len(mac) <= len(uri); i++ {
		if strings.EqualFold(uri[i:i+len(mac)], mac) {
			return true
		}
	}
	return false
}

// Static reports whether the route serves a file as it is on disk.
func (r *Route) Static() bool { return r.Phone == nil }

// Provider names the provider of the route's phone, "" for static routes.
func (r *Route) Provider() string {
	if r.Phone == nil {
		return ""
	}
	return r.Phone.Provider
}

// routeTable maps URIs to routes. Like res_phoneprov's hash container it
// keeps every route, and a lookup returns the one added first: static
// routes (added when profiles load) shadow dynamic ones, and the first
// profile wins among static routes (docs/asterisk.md#routes).
type routeTable struct {
	byURI map[string]*Route
	lower map[string]*Route // lower-cased URI → first route, for case-insensitive matching
	all   []*Route
}

func newRouteTable() *routeTable {
	return &routeTable{byURI: make(map[string]*Route)}
}

// grow makes room for n more routes, so that adding the routes of ten
// thousand phones does not rehash the table over and over.
func (t *routeTable) grow(n int) {
	t.all = slices.Grow(t.all, n)
	bigger := make(map[string]*Route, len(t.byURI)+n)
	maps.Copy(bigger, t.byURI)
	t.byURI = bigger
}

func (t *routeTable) add(r *Route) {
	r.seq = len(t.all)
	t.all = append(t.all, r)
	if _, dup := t.byURI[r.URI]; !dup {
		t.byURI[r.URI] = r
	}
}

// freeze prepares the case-insensitive index when it is wanted.
func (t *routeTable) freeze(caseInsensitive bool) {
	if !caseInsensitive {
		return
	}
	t.lower = make(map[string]*Route, len(t.byURI))
	for _, r := range t.all {
		k := strings.ToLower(r.URI)
		if _, dup := t.lower[k]; !dup {
			t.lower[k] = r
		}
	}
}

// lookup finds the route for uri: exact and case-sensitive, then, when the
// case-insensitive index exists, ignoring case.
func (t *routeTable) lookup(uri string) *Route {
	if r := t.byURI[uri]; r != nil {
		return r
	}
	if t.lower != nil {
		return t.lower[strings.ToLower(uri)]
	}
	return nil
}

// ordered returns every route in Asterisk's container order: by bucket of
// the URI's hash, then insertion order.
func (t *routeTable) ordered() []*Route {
	return ao2.Order(t.all, ao2.PhoneprovBuckets, func(r *Route) string { return r.URI })
}

// writeRoutes prints the route table exactly as `phoneprov show routes` does
// (docs/asterisk.md#phoneprov-show-routes): C printf columns with truncation,
// two spaces before the last column, static routes first, then dynamic ones.
func writeRoutes(w io.Writer, routes []*Route) error {
	var b strings.Builder
	static := func(profile, uri, location string) {
		b.WriteString(cField(profile, 20) + " " + cField(uri, 40) + "  " + cField(location, 30) + "\n")
	}
	dynamic := func(provider, profile, uri, template string) {
		b.WriteString(cField(provider, 20) + " " + cField(profile, 20) + " " + cField(uri, 40) + "  " + cField(template, 30) + "\n")
	}
	b.WriteString("Static routes\n\n")
	static("Profile", "Relative URI", "Physical location")
	for _, r := range routes {
		if r.Static() {
			static(r.Profile.Name, r.URI, r.File.Template)
		}
	}
	b.WriteString("\nDynamic routes\n\n")
	dynamic("Provider", "Profile", "Relative URI", "Template")
	for _, r := range routes {
		if !r.Static() {
			dynamic(r.Provider(), r.Profile.Name, r.URI, r.File.Template)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cField is C's "%-N.Ns": s cut to n bytes and padded with spaces to n
// bytes. (fmt counts runes, C counts bytes.)
func cField(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}
