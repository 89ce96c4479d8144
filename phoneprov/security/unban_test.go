package security

import (
	"fmt"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// TestLoopbackExemptAndUnban: loopback is never banned unless asked; a
// ban is lifted by address, by prefix or all at once, before it expires.
func TestLoopbackExemptAndUnban(t *testing.T) {
	snap := testSnapshot(t)
	probe := func(g *Guard, remote string, n int) int {
		st := 404
		for i := 0; i < n; i++ {
			uri := fmt.Sprintf("0004f2%06x.cfg", 0x300000+i)
			if rf := g.Unmatched(newHTTPRequest(remote, "/phoneprov/"+uri), snap, uri); rf != nil {
				st = rf.Status
			} else {
				st = 404
			}
		}
		return st
	}
	var logs testlog.Buffer
	g, _ := newTestGuard(t, Config{ScanThreshold: 3, Logger: logs.Logger()})
	for _, lo := range []string{"127.0.0.1:5060", "[::1]:5060", "[::ffff:127.0.0.9]:1"} {
		if st := probe(g, lo, 20); st != 404 {
			t.Errorf("%s: %d after 20 unknown MACs; loopback is exempt by default", lo, st)
		}
	}
	counting, _ := newTestGuard(t, Config{ScanThreshold: 3, CountLoopback: true})
	if st := probe(counting, "127.0.0.1:5060", 5); st != 403 {
		t.Errorf("loopback with CountLoopback: %d, want 403", st)
	}

	for _, src := range []string{"192.0.2.7:1", "192.0.2.8:1", "[2001:db8:0:1::7]:1"} {
		if st := probe(g, src, 5); st != 403 {
			t.Fatalf("%s not banned: %d", src, st)
		}
	}
	if got, err := g.Unban("192.0.2.7"); err != nil || fmt.Sprint(got) != "[192.0.2.7]" {
		t.Errorf("unban one: %v %v", got, err)
	}
	if st := probe(g, "192.0.2.7:1", 1); st != 404 {
		t.Errorf("after unban: %d", st)
	}
	if st := probe(g, "192.0.2.8:1", 1); st != 403 {
		t.Errorf("another source was unbanned: %d", st)
	}
	// An address inside a banned IPv6 /64 names it.
	if got, _ := g.Unban("2001:db8:0:1::99"); fmt.Sprint(got) != "[2001:db8:0:1::/64]" {
		t.Errorf("unban by an address of the /64: %v", got)
	}
	if got, _ := g.Unban("192.0.2.0/24"); fmt.Sprint(got) != "[192.0.2.8]" {
		t.Errorf("unban by prefix: %v", got)
	}
	if got, _ := g.Unban("all"); len(got) != 0 {
		t.Errorf("nothing left to unban, got %v", got)
	}
	probe(g, "198.51.100.1:1", 5)
	probe(g, "198.51.100.2:1", 5)
	if got, _ := g.Unban("all"); len(got) != 2 || len(g.Status().Bans) != 0 {
		t.Errorf("unban all: %v; bans %v", got, g.Status().Bans)
	}
	if _, err := g.Unban("not-an-address"); err == nil {
		t.Error("a bad address was accepted")
	}
	if n := strings.Count(logs.String(), "ban lifted by an administrator"); n != 5 {
		t.Errorf("%d unbans logged, want 5", n)
	}
}
