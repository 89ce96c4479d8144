package phoneprov

import "testing"

// TestRouteOwner checks that a route is its phone's own only when its URI
// names the phone's MAC: a file every phone fetches, added by the first
// of them, belongs to none (the inventory must not record other phones'
// fetches of it against the first one).
func TestRouteOwner(t *testing.T) {
	st := newSite(t)
	st.cf("phoneprov.conf", `
		[general]
		default_profile = y
		[y]
		static_file => fw.rom
		y000000000066.cfg => c.cfg
		${MAC}.cfg => c.cfg
		SEP${TOUPPER(${MAC})}.cnf.xml => c.cfg
		by-user/${USERNAME}.cfg => c.cfg
	`)
	st.cf("users.conf", "[a]\nusername = 6001\nmacaddress = 805ec0aabb01\nautoprov = yes\n[b]\nusername = 6002\nmacaddress = 805ec0aabb02\nautoprov = yes\n")
	st.tmpl("c.cfg", "x\n")
	st.tmpl("fw.rom", "fw")
	snap := st.load()
	for uri, want := range map[string]string{
		"y000000000066.cfg":       "",
		"805ec0aabb02.cfg":        "805ec0aabb02",
		"SEP805EC0AABB01.cnf.xml": "805ec0aabb01",
		"by-user/6001.cfg":        "",
		"fw.rom":                  "",
	} {
		r := snap.Route(uri)
		if r == nil {
			t.Fatalf("no route %s", uri)
		}
		got := ""
		if p := r.Owner(); p != nil {
			got = p.MAC
		}
		if got != want {
			t.Errorf("%s: owner %q, want %q", uri, got, want)
		}
	}
}
