package main

import (
	"fmt"
	"path"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// securityDiagnostics reports [security] settings that refuse phones their
// own files: with auth = digest (or basic), no site-wide auth_user and
// auth_password and no client_ca, a phone without its own PROV_USER and
// PROV_PASSWORD gets 403 for every sensitive file (those that carry its
// SIP secret).
func securityDiagnostics(snap *phoneprov.Snapshot, s *settings.Settings) []phoneprov.Diagnostic {
	sec := s.Security
	if sec.Auth == settings.AuthNone || sec.AuthUser != "" || len(sec.ClientCA) > 0 {
		return nil
	}
	routes := make(map[*phoneprov.Phone][]*phoneprov.Route)
	for _, r := range snap.Routes() {
		if r.Phone != nil && snap.Route(r.URI) == r {
			routes[r.Phone] = append(routes[r.Phone], r)
		}
	}
	var refused []string
	for _, p := range snap.Phones() {
		user, _ := p.Lines[0].Vars.Find("PROV_USER")
		password, _ := p.Lines[0].Vars.Find("PROV_PASSWORD")
		if user != "" && password != "" {
			continue
		}
		if sensitiveRoute(snap, routes[p], sec.Sensitive) != "" {
			refused = append(refused, p.MAC)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	list := strings.Join(refused[:min(len(refused), 5)], ", ")
	if len(refused) > 5 {
		list += ", …"
	}
	return []phoneprov.Diagnostic{{
		Severity: phoneprov.Error,
		Msg: fmt.Sprintf("%s: [security] auth = %s, but there is no auth_user/auth_password and %d of %d phones have no PROV_USER/PROV_PASSWORD: every sensitive file of theirs is refused with 403 (%s)",
			s.Where("security", "auth"), sec.Auth, len(refused), len(snap.Phones()), list),
	}}
}

// sensitiveRoute returns the first of routes that is sensitive: its body
// depends on or holds a secret, or it matches a sensitive glob.
func sensitiveRoute(snap *phoneprov.Snapshot, routes []*phoneprov.Route, globs []string) string {
	for _, r := range routes {
		for _, g := range globs {
			if ok, _ := path.Match(g, r.URI); ok {
				return r.URI
			}
		}
		if body, err := snap.Render(r, ""); err == nil && (body.Sensitive || body.HoldsSecret) {
			return r.URI
		}
	}
	return ""
}
