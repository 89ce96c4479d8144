package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

func openStore(t *testing.T, dir string) *state.Store {
	t.Helper()
	st, err := state.Open(state.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// persisted returns a restored inventory registered with a store in dir.
func persisted(t *testing.T, dir string, now func() time.Time) (*Inventory, *state.Store) {
	t.Helper()
	st := openStore(t, dir)
	inv := New(Config{Now: now, MaxUnknown: 100})
	if err := inv.Restore(st); err != nil {
		t.Fatal(err)
	}
	st.Register(inv)
	return inv, st
}

func TestStoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	inv, st := persisted(t, dir, func() time.Time { return t0 })
	inv.Observe(Request{Proto: "http", UserAgent: "Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872", Path: "cfg000b828aa872.xml", Status: "200", At: t0})
	inv.Observe(Request{Proto: "tftp", Path: "cfg000b828aa872.xml", PhoneMAC: "000b828aa872", Status: "completed", Bytes: 812,
		RemoteIP: netip.MustParseAddr("192.0.2.9"), At: t0.Add(time.Second)})
	if n := inv.Pending(); n != 1 {
		t.Errorf("%d changes pending, want 1 (one device)", n)
	}
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := inv.Pending(); n != 0 {
		t.Errorf("%d changes pending after a flush", n)
	}
	saved, _ := inv.Get("000b828aa872")
	st.Close()

	again, st2 := persisted(t, dir, nil)
	defer st2.Close()
	d, ok := again.Get("000b828aa872")
	if !ok || d.Model != "GXP2135" || !d.FirstSeen.Equal(t0) || d.LastIP != "192.0.2.9" || d.Requests != 2 || len(d.Files) != 2 {
		t.Fatalf("after reopening %+v", d)
	}
	for i, f := range d.Files {
		w := saved.Files[i]
		if !f.At.Equal(w.At) || f.Proto != w.Proto || f.File != w.File || f.Status != w.Status || f.Bytes != w.Bytes {
			t.Errorf("fetch %d after reopening %+v, saved %+v", i, f, w)
		}
	}
	again.Observe(Request{Proto: "http", Path: "x.cfg", PhoneMAC: "000b828aa872", Status: "404", At: t0.Add(time.Minute)})
	if d, _ := again.Get("000b828aa872"); d.Files[2].Status != "404" || d.Files[1].Status != "completed" || d.Files[0].Proto != "http" {
		t.Errorf("after a new fetch %+v", d.Files)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("state directory holds %v, want only %s", entries, state.FileName)
	}
}

// poison makes the next commit fail, as a full disk would: a key longer
// than bbolt accepts.
type poison struct{ on bool }

func (p *poison) Collect(b *state.Batch) {
	if p.on {
		b.Put("poison", strings.Repeat("k", 40000), []byte("x"))
	}
}
func (p *poison) Committed(error) {}

func TestFailedSaveIsRetried(t *testing.T) {
	dir := t.TempDir()
	now := t0
	st := openStore(t, dir)
	p := &poison{on: true}
	st.Register(p)
	inv := New(Config{Now: func() time.Time { return now }, MaxUnknown: 2})
	inv.Restore(st)
	st.Register(inv)
	inv.Observe(Request{Proto: "http", Path: "0004f2000001.cfg", PhoneMAC: "0004f2000001", Status: "200", At: now})
	for i := 2; i <= 4; i++ { // unknown devices; MaxUnknown evicts the oldest
		now = now.Add(time.Second)
		inv.Observe(Request{Proto: "http", Path: fmt.Sprintf("0004f200000%d.cfg", i), Status: "404", At: now})
	}
	if err := st.Flush(); err == nil {
		t.Fatal("the poisoned flush succeeded")
	}
	if h := st.Health(); h.Writable || h.SaveErrors != 1 || h.LastError == "" || st.Degraded() == "" {
		t.Errorf("health after a failed save %+v", h)
	}
	if n := inv.Pending(); n == 0 {
		t.Fatal("a failed save cleared the changes")
	}
	// The next device is seen while saving fails; then the disk recovers.
	now = now.Add(time.Second)
	inv.Observe(Request{Proto: "http", Path: "0004f2000005.cfg", Status: "404", At: now})
	p.on = false
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	if h := st.Health(); !h.Writable || h.LastError != "" || st.Degraded() != "" {
		t.Errorf("health after recovering %+v", h)
	}
	st.Close()

	again, st2 := persisted(t, dir, func() time.Time { return now })
	defer st2.Close()
	var got []string
	for _, d := range again.All() {
		got = append(got, d.MAC)
	}
	want := []string{"0004f2000001", "0004f2000004", "0004f2000005"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the retried save: %v, want %v (evicted devices removed, the rest kept)", got, want)
	}
}

func TestMigrateJSON(t *testing.T) {
	dir := t.TempDir()
	legacy := filepath.Join(dir, "inventory.json")
	old := Device{MAC: "00:04:F2:A1:B2:C3", Vendor: "Polycom", Model: "VVX 400", FirstSeen: t0, LastSeen: t0, Requests: 3,
		Files: []Fetch{{At: t0, Proto: "http", File: "0004f2a1b2c3.cfg", Status: "200", Bytes: 10}}, Configured: true}
	b, _ := json.Marshal(map[string]any{"version": 1, "saved": t0, "devices": []Device{old}})
	os.WriteFile(legacy, b, 0o644)
	os.WriteFile(filepath.Join(dir, ".inventory-123.json"), []byte("{"), 0o644) // a crash's leftover

	inv, st := persisted(t, dir, func() time.Time { return t0 })
	if err := inv.MigrateJSON(st, legacy); err != nil {
		t.Fatal(err)
	}
	if d, ok := inv.Get("0004f2a1b2c3"); !ok || d.Model != "VVX 400" || d.Requests != 3 || d.Files[0].Status != "200" {
		t.Errorf("migrated %+v", d)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Error("inventory.json is still there: it would be imported again")
	}
	if _, err := os.Stat(legacy + ".migrated"); err != nil {
		t.Error(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".inventory-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
	st.Close()
	// Once only: a later inventory.json (say, restored from a backup by
	// mistake) is not merged over newer state.
	os.WriteFile(legacy, b, 0o644)
	again, st2 := persisted(t, dir, func() time.Time { return t0 })
	defer st2.Close()
	again.Observe(Request{Proto: "http", Path: "0004f2a1b2c3.cfg", PhoneMAC: "0004f2a1b2c3", Status: "200", At: t0.Add(time.Hour)})
	if err := again.MigrateJSON(st2, legacy); err != nil {
		t.Fatal(err)
	}
	if d, _ := again.Get("0004f2a1b2c3"); d.Requests != 4 {
		t.Errorf("after a second migration %+v", d)
	}

	// A corrupt file is set aside, never fatal.
	os.WriteFile(legacy, []byte("{not json"), 0o644)
	st2.Close()
	dir2 := t.TempDir()
	legacy2 := filepath.Join(dir2, "inventory.json")
	os.WriteFile(legacy2, []byte("{not json"), 0o644)
	third, st3 := persisted(t, dir2, func() time.Time { return t0 })
	defer st3.Close()
	if err := third.MigrateJSON(st3, legacy2); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(legacy2 + ".corrupt-*")
	if len(matches) != 1 || len(third.All()) != 0 {
		t.Errorf("corrupt file set aside as %v; %d devices", matches, len(third.All()))
	}
}

func TestNewDeviceLogged(t *testing.T) {
	var buf testlog.Buffer
	now := t0
	inv := New(Config{Now: func() time.Time { return now }, NewDeviceLogs: 3,
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	// A configured phone is not news.
	inv.Observe(Request{Proto: "http", Path: "0004f2000001.cfg", PhoneMAC: "0004f2000001", Status: "200", At: now})
	// A scanner: 20 unknown MACs at once.
	for i := 0; i < 20; i++ {
		inv.Observe(Request{Proto: "http", Path: fmt.Sprintf("0004f2%06x.cfg", 0x100+i), Status: "404",
			RemoteIP: netip.MustParseAddr("203.0.113.9"), At: now})
	}
	// The same device again is not news either.
	inv.Observe(Request{Proto: "http", Path: "0004f2000100.cfg", Status: "404", At: now})
	lines := strings.Count(buf.String(), "a device that is not configured")
	if lines != 3 {
		t.Fatalf("%d lines for 20 new devices at once, want 3:\n%s", lines, buf.String())
	}
	if !strings.Contains(buf.String(), "mac=0004f2000100") || !strings.Contains(buf.String(), "remote=203.0.113.9") || !strings.Contains(buf.String(), "status=404") {
		t.Errorf("line lacks the MAC, address or status:\n%s", buf.String())
	}
	// A minute later the limit has refilled, and the next line counts
	// those left out.
	now = now.Add(time.Minute)
	inv.Observe(Request{Proto: "http", UserAgent: "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", Path: "y000000000028.cfg", Status: "200", At: now})
	last := buf.String()[bytes.LastIndex([]byte(buf.String()), []byte("time=")):]
	if !strings.Contains(last, "mac=0015654aa937") || !strings.Contains(last, "not_logged_before=17") || !strings.Contains(last, "vendor=Yealink") {
		t.Errorf("line after the pause: %s", last)
	}
}

// BenchmarkObserveKnown is a boot storm's request recorded, in memory
// only and with persistence on: recording must stay an in-memory
// operation either way. "tftp" is a request without a User-Agent from a
// phone an HTTP request identified: no identification either. "phone"
// is a request that comes with the snapshot's phone, as the servers
// report them: its record is found in the phone's memo.
func BenchmarkObserveKnown(b *testing.B) {
	for _, c := range []struct {
		name    string
		persist bool
		ua      string
		phone   bool
	}{
		{"memory", false, polycomUA, false},
		{"persisted", true, polycomUA, false},
		{"tftp", false, "", false},
		{"phone", false, polycomUA, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			inv := New(Config{})
			var st *state.Store
			if c.persist {
				var err error
				if st, err = state.Open(state.Config{Dir: b.TempDir()}); err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				inv.Restore(st)
				st.Register(inv)
			}
			const phones = 10000
			macs := make([]string, phones)
			ps := make([]*phoneprov.Phone, phones)
			for i := range macs {
				macs[i] = fmt.Sprintf("0004f2%06x", i)
				if c.phone {
					ps[i] = &phoneprov.Phone{MAC: macs[i]}
				}
			}
			ip := netip.MustParseAddr("192.0.2.7")
			for i := range macs {
				inv.Observe(Request{Proto: "http", UserAgent: polycomUA, Path: "x.cfg", PhoneMAC: macs[i], Phone: ps[i], RemoteIP: ip, Status: "200"})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				inv.Observe(Request{Proto: "http", UserAgent: c.ua, Path: "x.cfg", PhoneMAC: macs[i%phones], Phone: ps[i%phones], RemoteIP: ip, Status: "200"})
				if c.persist && i%20000 == 19999 {
					b.StopTimer()
					st.Flush()
					b.StartTimer()
				}
			}
		})
	}
}

const polycomUA = "FileTransport PolycomVVX-VVX_400-UA/5.9.3.1234 Type/Application"

// TestSeenWrittenLess checks what the periodic flush writes: a new device
// or one that moved at once, a phone only fetching again not before
// SeenInterval has passed; an explicit Flush writes everything.
func TestSeenWrittenLess(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	now := t0
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	st, err := state.Open(state.Config{Dir: dir, Interval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inv := New(Config{Now: clock})
	if err := inv.Restore(st); err != nil {
		t.Fatal(err)
	}
	st.Register(inv)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		st.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	// stored reads the requests of mac saved in the store, -1 when none.
	stored := func(mac string) int {
		n := -1
		st.ForEach(Bucket, func(key string, value []byte) error {
			if d, ok := decodeRecord(value); ok && key == mac {
				n = int(d.Requests)
			}
			return nil
		})
		return n
	}
	// waitStored waits for the periodic flush to save want requests of mac.
	waitStored := func(mac string, want int) {
		t.Helper()
		for range 2000 {
			if stored(mac) == want {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("%s: %d requests saved, want %d", mac, stored(mac), want)
	}
	ip := netip.MustParseAddr("192.0.2.7")
	fetch := func(mac string, from netip.Addr) {
		inv.Observe(Request{Proto: "http", UserAgent: polycomUA, Path: mac + ".cfg", PhoneMAC: mac, RemoteIP: from, Status: "200"})
	}
	fetch("0004f2000001", ip) // new: saved at the next flush
	waitStored("0004f2000001", 1)
	fetch("0004f2000001", ip) // only fetching again, twice
	fetch("0004f2000001", ip)
	fetch("0004f2000002", ip) // new: saved at once …
	waitStored("0004f2000002", 1)
	if n := stored("0004f2000001"); n != 1 { // … while the routine fetches wait
		t.Errorf("routine fetches saved by a periodic flush before SeenInterval: %d requests", n)
	}
	if n := inv.Pending(); n != 1 {
		t.Errorf("%d changes pending, want 1", n)
	}
	fetch("0004f2000002", netip.MustParseAddr("192.0.2.8")) // moved: saved at once
	waitStored("0004f2000002", 2)
	mu.Lock()
	now = now.Add(SeenInterval)
	mu.Unlock()
	waitStored("0004f2000001", 3)
	fetch("0004f2000001", ip)
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := stored("0004f2000001"); n != 4 {
		t.Errorf("an explicit flush saved %d requests, want 4", n)
	}
}

// BenchmarkObserveParallel measures routine fetches of configured phones
// from every CPU at once, as a boot storm makes them: what the lock a
// request takes costs when another CPU took it last.
func BenchmarkObserveParallel(b *testing.B) {
	inv := New(Config{})
	const phones = 2000
	ps := make([]*phoneprov.Phone, phones)
	ip := netip.MustParseAddr("192.0.2.7")
	for i := range ps {
		ps[i] = &phoneprov.Phone{MAC: fmt.Sprintf("0004f2%06x", i)}
		inv.Observe(Request{Proto: "http", UserAgent: polycomUA, Path: "x.cfg", PhoneMAC: ps[i].NormalMAC(), Phone: ps[i], RemoteIP: ip, Status: "200"})
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(7919))
		for pb.Next() {
			i = (i + 7919) % phones
			p := ps[i]
			inv.Observe(Request{Proto: "http", UserAgent: polycomUA, Path: "x.cfg", PhoneMAC: p.NormalMAC(), Phone: p, RemoteIP: ip, Status: "200"})
		}
	})
}

// TestRoutineFetchesConcurrent runs phones' routine fetches (which take
// only their record's lock) beside everything that reads or changes
// records under the inventory's: flushes to the store, leases, listings,
// unknown devices evicting each other. Run with -race; every request is
// counted, and what the last flush saved is what the inventory holds.
func TestRoutineFetchesConcurrent(t *testing.T) {
	st, err := state.Open(state.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inv := New(Config{MaxUnknown: 5})
	if err := inv.Restore(st); err != nil {
		t.Fatal(err)
	}
	st.Register(inv)
	phones := make([]*phoneprov.Phone, 8)
	for i := range phones {
		phones[i] = &phoneprov.Phone{MAC: fmt.Sprintf("0004f2a1b2c%d", i)}
	}
	ip := netip.MustParseAddr("192.0.2.7")
	const perGoroutine = 400
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range perGoroutine {
				p := phones[(g+i)%len(phones)]
				inv.Observe(Request{Proto: "http", UserAgent: polycomUA, Path: "x.cfg", PhoneMAC: p.NormalMAC(), Phone: p, RemoteIP: ip, Status: "200"})
			}
		})
	}
	wg.Go(func() {
		for i := range 100 {
			st.Flush()
			inv.All()
			inv.Devices()
			inv.Pending()
			e, id := lease(t, "old", phones[i%len(phones)].MAC, "192.0.2.7", "-")
			inv.ObserveLease(e, id, true)
			inv.Observe(Request{Proto: "http", Path: fmt.Sprintf("0004f2ff%04x.cfg", i), Status: "404", RemoteIP: ip})
		}
	})
	wg.Wait()
	st.Flush()
	total := requestsOf(t, inv, phones)
	if total != 4*perGoroutine {
		t.Errorf("%d requests recorded, want %d", total, 4*perGoroutine)
	}
	saved := 0
	st.ForEach(Bucket, func(key string, value []byte) error {
		if d, ok := decodeRecord(value); ok && d.Configured {
			saved += int(d.Requests)
		}
		return nil
	})
	if saved != total {
		t.Errorf("%d requests saved, %d recorded", saved, total)
	}
}
