package phoneprov

import "testing"

// TestPublish: a snapshot's generation is given once, by its publisher,
// and every body rendered from it carries it; a second number panics.
func TestPublish(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		default_profile = p
		[p]
		${MAC}.cfg => t.cfg
	`).tmpl("t.cfg", "${USERNAME}").cf("users.conf", `
		[6001]
		autoprov = yes
		macaddress = 0004f2000001
		username = 6001
	`)
	snap := s.load()
	if g := snap.Generation(); g != 0 {
		t.Fatalf("Generation of an unpublished snapshot = %d", g)
	}
	snap.Publish(7)
	if g := snap.Generation(); g != 7 {
		t.Errorf("Generation = %d, want 7", g)
	}
	body, err := snap.Render(snap.Route("0004f2000001.cfg"), "192.0.2.1")
	if err != nil || body.Generation != 7 {
		t.Errorf("body generation %d (err %v), want 7", body.Generation, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("a second Publish did not panic")
		}
		if g := snap.Generation(); g != 7 {
			t.Errorf("Generation after a second Publish = %d, want 7", g)
		}
	}()
	snap.Publish(8)
}
