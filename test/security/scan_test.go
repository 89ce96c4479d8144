package security_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// scanNames are the ways a scanner spells a per-phone file
// (docs/vendors.md#what-phones-fetch): Polycom, Cisco 79xx, Grandstream,
// Yealink, Snom.
var scanNames = []string{"%s.cfg", "SEP%s.cnf.xml", "cfg%s.xml", "%s.boot", "snom320-%s.htm"}

// TestScanOfRandomMACs: a scanner asking for 500 random MACs from one
// address gets at most scan_threshold 404s, then 403s; it never sees a
// secret, the ban is logged once and shown by Status, and the banned
// source loses the sensitive routes but keeps firmware.
func TestScanOfRandomMACs(t *testing.T) {
	s := newSite(t)
	srv := startServer(t, s, security.Config{ScanThreshold: 10, ScanWindow: time.Minute, BanTime: 10 * time.Minute, CountLoopback: true}, serverOptions{})
	rng := rand.New(rand.NewPCG(1, 2))
	var notFound, forbidden int
	for i := range 500 {
		mac := fmt.Sprintf("0004f2%06x", rng.IntN(1<<24))
		if mac == mac6001 || mac == mac7001 {
			continue
		}
		name := fmt.Sprintf(scanNames[i%len(scanNames)], mac)
		if i%2 == 1 {
			name = strings.Replace(name, mac, strings.ToUpper(mac), 1)
		}
		r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+name, nil)
		for _, sec := range allSecrets {
			if strings.Contains(r.body, sec) {
				t.Fatalf("request %d (%s) got a secret", i, name)
			}
		}
		switch r.status {
		case http.StatusNotFound:
			if forbidden > 0 {
				t.Fatalf("request %d: 404 after a 403", i)
			}
			notFound++
		case http.StatusForbidden:
			forbidden++
		default:
			t.Fatalf("request %d (%s): status %d", i, name, r.status)
		}
	}
	// Unknown routes are 404 until the threshold; then 403.
	if notFound != 10 || forbidden == 0 {
		t.Errorf("%d 404s and %d 403s; want exactly 10 404s, then 403s", notFound, forbidden)
	}
	if n := srv.log.count("source banned"); n != 1 {
		t.Errorf("ban logged %d times, want once", n)
	}
	st := srv.guard.Status()
	if len(st.Bans) != 1 || st.Bans[0].Source != "127.0.0.1" || st.Bans[0].UnknownMACs != 11 {
		t.Errorf("status bans %+v", st.Bans)
	}
	// Banned from sensitive routes, even a known phone's…
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+".cfg", nil); r.status != http.StatusForbidden || strings.Contains(r.body, secret6001) {
		t.Errorf("banned source, sensitive route: %d %q", r.status, r.body)
	}
	// …but not from firmware and shared files.
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/fw.bin", nil); r.status != http.StatusOK {
		t.Errorf("banned source, firmware: %d", r.status)
	}
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+"-directory.xml", nil); r.status != http.StatusOK {
		t.Errorf("banned source, non-sensitive per-phone file: %d", r.status)
	}
}

// TestSiteRebootNotBanned: 200 phones behind one address boot at once and
// walk their fallback chains (docs/vendors.md#fallback-chains): their own
// <mac>.cfg, <mac>-license.cfg and <mac>-phone.cfg that do not exist, the
// shared 000000000000.cfg. None of that is a scan; nobody is banned and every
// phone gets its own secret.
func TestSiteRebootNotBanned(t *testing.T) {
	s := newSite(t)
	macs := s.addUsers(200)
	srv := startServer(t, s, security.Config{ScanThreshold: 10, ScanWindow: time.Minute, BanTime: 10 * time.Minute, CountLoopback: true}, serverOptions{maxConns: 256})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for i, mac := range macs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range []string{mac + "-license.cfg", "000000000000.cfg", mac + ".cfg", mac + "-phone.cfg", mac + "-directory.xml", "fw.bin"} {
				resp, err := client.Get(srv.http + "/phoneprov/" + name)
				if err != nil {
					errs <- err.Error()
					return
				}
				body := readAll(resp)
				switch {
				case resp.StatusCode == http.StatusForbidden:
					errs <- name + ": 403"
				case name == mac+".cfg" && !strings.Contains(body, fmt.Sprintf("bulk-secret-%d\"", i)):
					errs <- name + ": not its own secret: " + body
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if st := srv.guard.Status(); len(st.Bans) != 0 || st.Counters.UnknownMACs != 0 {
		t.Errorf("status after the reboot: %+v", st)
	}
}

// TestExemptNeverBanned: a source inside scan_exempt (a site's NAT) is
// never banned however many unknown MACs it asks for.
func TestExemptNeverBanned(t *testing.T) {
	s := newSite(t)
	srv := startServer(t, s, security.Config{ScanThreshold: 3, ScanExempt: prefixes("127.0.0.0/8"), CountLoopback: true}, serverOptions{})
	for i := range 50 {
		if r := do(t, nil, http.MethodGet, srv.http+fmt.Sprintf("/phoneprov/0004f2%06x.cfg", 0x200000+i), nil); r.status != http.StatusNotFound {
			t.Fatalf("probe %d: %d", i, r.status)
		}
	}
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+".cfg", nil); r.status != http.StatusOK {
		t.Errorf("exempt source, sensitive route: %d", r.status)
	}
	if st := srv.guard.Status(); len(st.Bans) != 0 || st.Counters.UnknownMACs != 50 || st.ScanExempt[0] != "127.0.0.0/8" {
		t.Errorf("status %+v", st)
	}
}

// TestBansExpire: a ban ends after ban_time; counting starts afresh; and
// unknown MACs spread wider than scan_window do not add up.
func TestBansExpire(t *testing.T) {
	s := newSite(t)
	clk := newClock()
	srv := startServer(t, s, security.Config{ScanThreshold: 3, ScanWindow: time.Minute, BanTime: 10 * time.Minute, Now: clk.Now, CountLoopback: true}, serverOptions{})
	probe := func(i int) int {
		return do(t, nil, http.MethodGet, srv.http+fmt.Sprintf("/phoneprov/0004f2%06x.cfg", 0x300000+i), nil).status
	}
	for i := range 3 {
		if st := probe(i); st != http.StatusNotFound {
			t.Fatalf("probe %d: %d", i, st)
		}
	}
	if st := probe(3); st != http.StatusForbidden {
		t.Fatalf("fourth probe: %d, want 403", st)
	}
	clk.advance(9 * time.Minute)
	if st := probe(4); st != http.StatusForbidden {
		t.Errorf("9 minutes into the ban: %d, want 403", st)
	}
	clk.advance(time.Minute)
	if st := probe(5); st != http.StatusNotFound {
		t.Errorf("after ban_time: %d, want 404", st)
	}
	if len(srv.guard.Status().Bans) != 0 {
		t.Errorf("ban still listed")
	}
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+".cfg", nil); r.status != http.StatusOK {
		t.Errorf("after ban_time, sensitive route: %d", r.status)
	}
	// Two more in this window (3 with probe 5), then a window later three
	// more: never over the threshold within one window.
	probe(6)
	probe(7)
	clk.advance(61 * time.Second)
	for i := 8; i < 11; i++ {
		if st := probe(i); st != http.StatusNotFound {
			t.Errorf("probe %d in a new window: %d", i, st)
		}
	}
	// Asking again for a MAC already counted adds nothing.
	for range 5 {
		if st := probe(8); st != http.StatusNotFound {
			t.Errorf("repeated MAC: %d", st)
		}
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
