package phoneprov

import "slices"

// What an administrator's view of a snapshot needs (the console): a
// phone's routes, and the secret values to mask in what it shows.

// PhoneRoutes returns the dynamic routes of phone p, in its profile's
// order. A route whose URI another route shadows (a static file, or a
// phone added earlier) is listed all the same; Route(r.URI) tells which
// one is served.
func (s *Snapshot) PhoneRoutes(p *Phone) []*Route {
	var out []*Route
	for _, r := range s.routes.all {
		if r.Phone == p {
			out = append(out, r)
		}
	}
	return out
}

// SecretValues returns the values of p's variables that carry a secret —
// SECRET and PROV_PASSWORD of each of its lines, and every setvar whose
// value was computed from a secret — without empty values or repeats,
// longest first.
func (s *Snapshot) SecretValues(p *Phone) []string {
	var out []string
	add := func(v string) {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, l := range p.Lines {
		for _, v := range l.Vars {
			if v.Name == "SECRET" || v.Name == "PROV_PASSWORD" || s.secretVars[v.Name] {
				add(v.Value)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
