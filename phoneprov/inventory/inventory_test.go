package inventory

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

var t0 = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func TestObserve(t *testing.T) {
	inv := New(Config{Now: func() time.Time { return t0 }})
	ip := netip.MustParseAddr("192.0.2.7")
	// A configured phone's route: the MAC comes from the phone.
	inv.Observe(Request{Proto: "http", UserAgent: "FileTransport PolycomVVX-VVX_400-UA/5.9.3.1234 Type/Application",
		Path: "0004f2a1b2c3.cfg", PhoneMAC: "0004F2A1B2C3", RemoteIP: ip, Status: "200", Bytes: 158, At: t0})
	d, ok := inv.Get("00:04:f2:a1:b2:c3")
	if !ok || d.Vendor != "Polycom" || d.Model != "VVX 400" || d.Firmware != "5.9.3.1234" || !d.Configured || d.LastIP != "192.0.2.7" || len(d.Files) != 1 {
		t.Fatalf("device %+v", d)
	}
	// An unknown Yealink identified by its User-Agent's MAC.
	inv.Observe(Request{Proto: "http", UserAgent: "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", Path: "y000000000028.cfg", Status: "404", At: t0})
	if d, ok := inv.Get("0015654aa937"); !ok || d.Vendor != "Yealink" || d.Configured {
		t.Errorf("yealink %+v", d)
	}
	// A later request identified only by path keeps the User-Agent's model.
	inv.Observe(Request{Proto: "tftp", Path: "0004f2a1b2c3.cfg", PhoneMAC: "0004f2a1b2c3", Status: "completed", At: t0.Add(time.Minute)})
	if d, _ := inv.Get("0004f2a1b2c3"); d.Model != "VVX 400" || d.Requests != 2 || !d.LastSeen.Equal(t0.Add(time.Minute)) {
		t.Errorf("after a TFTP request %+v", d)
	}
	// A request without any MAC is not recorded.
	before := len(inv.All())
	inv.Observe(Request{Proto: "http", UserAgent: "curl/8.0", Path: "sip.ld", Status: "200"})
	if len(inv.All()) != before {
		t.Error("recorded a request without a MAC")
	}
	// The phone moves (DHCP); IPv4-mapped addresses are shown as IPv4.
	for _, moved := range []string{"::ffff:192.0.2.8", "192.0.2.7"} {
		inv.Observe(Request{Proto: "http", Path: "0004f2a1b2c3.cfg", PhoneMAC: "0004f2a1b2c3", RemoteIP: netip.MustParseAddr(moved), Status: "200"})
		if d, _ := inv.Get("0004f2a1b2c3"); d.LastIP != strings.TrimPrefix(moved, "::ffff:") {
			t.Errorf("after a request from %s, LastIP = %q", moved, d.LastIP)
		}
	}
	// History is bounded, in order, newest last.
	for i := 0; i < 50; i++ {
		inv.Observe(Request{Proto: "http", Path: fmt.Sprintf("f%d", i), PhoneMAC: "0004f2a1b2c3", Status: "200"})
		d, _ := inv.Get("0004f2a1b2c3")
		kept := cap(inv.devices["0004f2a1b2c3"].history)
		if n := len(d.Files); n > HistoryLen || kept > HistoryLen || d.Files[n-1].File != fmt.Sprintf("f%d", i) {
			t.Fatalf("after f%d: history %d (room for %d), last %+v", i, n, kept, d.Files[n-1])
		}
	}
	if d, _ := inv.Get("0004f2a1b2c3"); len(d.Files) != HistoryLen || d.Files[0].File != "f30" || d.Files[HistoryLen-1].File != "f49" {
		t.Errorf("history %d, first %+v, last %+v", len(d.Files), d.Files[0], d.Files[len(d.Files)-1])
	}
}

func TestUnknownDevicesBounded(t *testing.T) {
	now := t0
	inv := New(Config{MaxUnknown: 100, MaxAge: time.Hour, Now: func() time.Time { return now }})
	inv.Observe(Request{Proto: "http", Path: "0004f2000000.cfg", PhoneMAC: "0004f2000000", Status: "200", At: now})
	// A scanner inventing 1,000 MACs.
	for i := 1; i <= 1000; i++ {
		now = now.Add(time.Second)
		inv.Observe(Request{Proto: "http", Path: fmt.Sprintf("0004f2%06x.cfg", i), Status: "404", At: now})
	}
	all := inv.All()
	if len(all) > 101 {
		t.Fatalf("%d devices kept", len(all))
	}
	if _, ok := inv.Get("0004f2000000"); !ok {
		t.Error("the configured phone was evicted")
	}
	if _, ok := inv.Get(fmt.Sprintf("0004f2%06x", 1000)); !ok {
		t.Error("the newest unknown device was evicted")
	}
	// Aged out.
	now = now.Add(2 * time.Hour)
	inv.Observe(Request{Proto: "http", Path: "0004f2ffffff.cfg", Status: "404", At: now})
	if n := len(inv.All()); n != 2 {
		t.Errorf("%d devices after aging", n)
	}
}

func TestWords(t *testing.T) {
	var w words
	if w.id("") != 0 || w.word(0) != "" {
		t.Error(`"" is not word 0`)
	}
	a, b := w.id("http"), w.id("200")
	if a == b || w.id("http") != a || w.word(a) != "http" || w.word(b) != "200" || w.word(999) != "" {
		t.Errorf("words: http=%d 200=%d list=%q", a, b, *w.list.Load())
	}
	if i, ok := w.lookup("http"); !ok || i != a {
		t.Errorf("lookup(http) = %d, %v", i, ok)
	}
	if _, ok := w.lookup("404"); ok {
		t.Error("lookup found a word never added")
	}
	// Past scanWords the index answers id; lookup (lock-free) declines.
	for i := range 3 * scanWords {
		s := fmt.Sprint("status-", i)
		if got := w.word(w.id(s)); got != s {
			t.Fatalf("word(id(%q)) = %q", s, got)
		}
	}
	if w.id("http") != a || w.word(a) != "http" {
		t.Error("an early word moved")
	}
	if _, ok := w.lookup("http"); ok {
		t.Error("lookup scanned more than scanWords words")
	}
}

// TestWordsConcurrent reads words while another goroutine adds them, as
// routine fetches do without the inventory's lock (run with -race).
func TestWordsConcurrent(t *testing.T) {
	var w words
	w.id("http")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			w.id(fmt.Sprint(i))
		}
	}()
	for range 1000 {
		if i, ok := w.lookup("http"); ok && w.word(i) != "http" {
			t.Fatal("lookup and word disagree")
		}
	}
	<-done
	if w.word(w.id("199")) != "199" {
		t.Error("a word added concurrently is lost")
	}
}

func TestDevicesWithoutHistory(t *testing.T) {
	inv := New(Config{Now: func() time.Time { return t0 }})
	for i := 0; i < 3; i++ {
		inv.Observe(Request{Proto: "http", Path: fmt.Sprintf("0004f2%06d.cfg", i), PhoneMAC: fmt.Sprintf("0004f2%06d", i), Status: "200", At: t0})
	}
	devs := inv.Devices()
	if len(devs) != 3 {
		t.Fatalf("%d devices", len(devs))
	}
	for _, d := range devs {
		all, _ := inv.Get(d.MAC)
		if d.Files != nil || d.Requests != 1 || !d.Configured || !d.LastSeen.Equal(t0) || len(all.Files) != 1 {
			t.Errorf("%+v (with history: %d files)", d, len(all.Files))
		}
	}
}

// TestPhoneMemo: a configured phone's record is kept with the snapshot's
// phone and found there on its next requests; another inventory does not
// use it, and a record forgotten since is not written to.
func TestPhoneMemo(t *testing.T) {
	phone := &phoneprov.Phone{MAC: "0004F2A1B2C3"}
	ip := netip.MustParseAddr("192.0.2.7")
	req := Request{Proto: "http", UserAgent: polycomUA, Path: "0004f2a1b2c3.cfg", PhoneMAC: phone.NormalMAC(), Phone: phone, RemoteIP: ip, Status: "200", At: t0}
	inv := New(Config{Now: func() time.Time { return t0 }})
	inv.Observe(req)
	d, ok := phone.Memo().(*record)
	if !ok || d != inv.devices["0004f2a1b2c3"] {
		t.Fatalf("memo %v, want the inventory's record", phone.Memo())
	}
	inv.Observe(req)
	if got, _ := inv.Get("0004f2a1b2c3"); got.Requests != 2 || got.Model != "VVX 400" {
		t.Errorf("after a request through the memo: %+v", got)
	}

	other := New(Config{Now: func() time.Time { return t0 }})
	other.Observe(req)
	if got, _ := other.Get("0004f2a1b2c3"); got.Requests != 1 {
		t.Errorf("another inventory: %d requests, want 1", got.Requests)
	}
	if got, _ := inv.Get("0004f2a1b2c3"); got.Requests != 2 {
		t.Errorf("another inventory's request counted in the first: %d", got.Requests)
	}

	// other now holds the memo; give it back to inv, then forget the phone.
	inv.Observe(req)
	inv.mu.Lock()
	inv.forgetLocked("0004f2a1b2c3")
	inv.mu.Unlock()
	inv.Observe(req)
	if got, ok := inv.Get("0004f2a1b2c3"); !ok || got.Requests != 1 || d.Requests != 3 {
		t.Errorf("after forgetting: %+v (%v), forgotten record %d requests", got, ok, d.Requests)
	}
}

// TestPhoneMemoNotRoutine checks that a request of a phone with a memo
// that is no routine fetch — from another address, or with a word the
// inventory has not seen — is recorded in full (the move noted, the word
// added), not by the record-only path.
func TestPhoneMemoNotRoutine(t *testing.T) {
	phone := &phoneprov.Phone{MAC: "0004F2A1B2C3"}
	req := Request{Proto: "http", UserAgent: polycomUA, Path: "0004f2a1b2c3.cfg", PhoneMAC: phone.NormalMAC(), Phone: phone,
		RemoteIP: netip.MustParseAddr("192.0.2.7"), Status: "200", At: t0}
	inv := New(Config{Now: func() time.Time { return t0 }})
	inv.Observe(req)
	moved := req
	moved.RemoteIP = netip.MustParseAddr("192.0.2.8")
	inv.Observe(moved)
	if got, _ := inv.Get("0004f2a1b2c3"); got.Requests != 2 || got.LastIP != "192.0.2.8" {
		t.Errorf("after a move: %+v", got)
	}
	inv.mu.Lock()
	mac := inv.byAddr[netip.MustParseAddr("192.0.2.8")]
	inv.mu.Unlock()
	if mac != "0004f2a1b2c3" {
		t.Errorf("the new address is %q's, want the phone's", mac)
	}
	moved.Status = "304"
	inv.Observe(moved)
	if got, _ := inv.Get("0004f2a1b2c3"); got.Requests != 3 || got.Files[2].Status != "304" {
		t.Errorf("after a new status: %+v", got)
	}
	inv.Observe(moved) // now routine: same address, words known
	if got, _ := inv.Get("0004f2a1b2c3"); got.Requests != 4 || len(got.Files) != 4 || got.Files[3].Status != "304" {
		t.Errorf("a routine fetch after the move: %+v", got)
	}
}

// TestPhoneMemoConcurrent records requests of a few phones from many
// goroutines at once, through the memo (run with -race): none is lost.
func TestPhoneMemoConcurrent(t *testing.T) {
	inv := New(Config{})
	phones := make([]*phoneprov.Phone, 4)
	for i := range phones {
		phones[i] = &phoneprov.Phone{MAC: fmt.Sprintf("0004f2a1b2c%d", i)}
	}
	ip := netip.MustParseAddr("192.0.2.7")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				p := phones[(g+i)%len(phones)]
				inv.Observe(Request{Proto: "http", UserAgent: polycomUA, Path: "x.cfg", PhoneMAC: p.NormalMAC(), Phone: p, RemoteIP: ip, Status: "200"})
			}
		})
	}
	wg.Wait()
	if total := requestsOf(t, inv, phones); total != 8*500 {
		t.Errorf("%d requests recorded, want %d", total, 8*500)
	}
}

// requestsOf sums the requests inv recorded of phones, each of which it
// must know.
func requestsOf(t *testing.T, inv *Inventory, phones []*phoneprov.Phone) int {
	t.Helper()
	total := 0
	for _, p := range phones {
		d, ok := inv.Get(p.NormalMAC())
		if !ok {
			t.Fatalf("%s not recorded", p.MAC)
		}
		total += int(d.Requests)
	}
	return total
}
