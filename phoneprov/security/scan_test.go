package security

import (
	"net/netip"
	"runtime"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)

func mac(i int) [6]byte { return [6]byte{0, 4, 0xf2, byte(i >> 16), byte(i >> 8), byte(i)} }

func TestScanThreshold(t *testing.T) {
	// docs/vendors.md#scans-and-bans: distinct unknown MACs and failed
	// authentications per source per window; over the threshold, a ban.
	tr := newScanTracker(3, time.Minute, 10*time.Minute, 100)
	src := netip.MustParsePrefix("192.0.2.1/32")
	other := netip.MustParsePrefix("192.0.2.2/32")
	steps := []struct {
		what   string
		at     time.Duration
		src    netip.Prefix
		mac    int // -1: a failed authentication
		banned bool
	}{
		{"first MAC", 0, src, 1, false},
		{"same MAC again", time.Second, src, 1, false},
		{"second MAC", 2 * time.Second, src, 2, false},
		{"a failure", 3 * time.Second, src, -1, false},
		{"another source", 4 * time.Second, other, 3, false},
		{"fourth event: over", 5 * time.Second, src, 3, true},
		{"banned: nothing counts", 6 * time.Second, src, 4, true},
		{"other source unaffected", 7 * time.Second, other, 4, false},
	}
	for _, st := range steps {
		var banned bool
		var ev *banEvent
		if st.mac < 0 {
			banned, ev = tr.failure(st.src, t0.Add(st.at))
		} else {
			banned, ev = tr.unknownMAC(st.src, mac(st.mac), t0.Add(st.at))
		}
		if banned != st.banned {
			t.Errorf("%s: banned %v", st.what, banned)
		}
		if (ev != nil) != (st.what == "fourth event: over") {
			t.Errorf("%s: event %+v", st.what, ev)
		}
		if ev != nil && (ev.macs != 3 || ev.fails != 1 || !ev.until.Equal(t0.Add(5*time.Second+10*time.Minute))) {
			t.Errorf("%s: event %+v", st.what, ev)
		}
	}
	if !tr.banned(src, t0.Add(10*time.Minute)) || tr.banned(src, t0.Add(5*time.Second+10*time.Minute)) {
		t.Error("ban does not last exactly ban_time")
	}
	// After the ban the count starts from zero.
	for i := range 3 {
		if b, _ := tr.unknownMAC(src, mac(10+i), t0.Add(11*time.Minute)); b {
			t.Errorf("after the ban, MAC %d banned", i)
		}
	}
	if b := tr.bans(t0.Add(11 * time.Minute)); len(b) != 0 {
		t.Errorf("bans %+v", b)
	}
}

func TestScanWindowSlides(t *testing.T) {
	tr := newScanTracker(2, time.Minute, time.Hour, 100)
	src := netip.MustParsePrefix("192.0.2.1/32")
	tr.unknownMAC(src, mac(1), t0)
	tr.unknownMAC(src, mac(2), t0.Add(30*time.Second))
	// mac 1 is a minute old: out of the window.
	if b, _ := tr.unknownMAC(src, mac(3), t0.Add(time.Minute)); b {
		t.Error("an event older than the window counted")
	}
	// Seeing mac 2 again refreshes it; mac 4 makes three in the window.
	tr.unknownMAC(src, mac(2), t0.Add(80*time.Second))
	if b, _ := tr.unknownMAC(src, mac(4), t0.Add(85*time.Second)); !b {
		t.Error("three distinct MACs within the window did not ban")
	}
}

func TestScanMemoryBounded(t *testing.T) {
	// A scanner with a million source addresses cannot grow the table
	// past its limit; the least recently active source goes first, and
	// a banned source that keeps asking stays.
	tr := newScanTracker(1, time.Minute, time.Hour, 1000)
	banned := netip.MustParsePrefix("198.51.100.7/32")
	tr.unknownMAC(banned, mac(1), t0)
	tr.unknownMAC(banned, mac(2), t0)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for i := range n {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		tr.unknownMAC(netip.PrefixFrom(a, 32), mac(i), t0.Add(time.Second))
		if i%500 == 0 && !tr.banned(banned, t0.Add(time.Second)) {
			t.Fatalf("ban forgotten after %d sources", i)
		}
	}
	if n := tr.tracked(); n != 1000 {
		t.Errorf("%d sources tracked, limit 1000", n)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Errorf("heap grew by %d bytes for 1000 tracked sources", grew)
	}
}

func TestSourceKey(t *testing.T) {
	// One IPv6 host usually owns a /64: its addresses count as one source.
	tests := []struct {
		addr string
		bits int
		want string
	}{
		{"192.0.2.7", 64, "192.0.2.7/32"},
		{"::ffff:192.0.2.7", 64, "192.0.2.7/32"},
		{"2001:db8:1:2:aaaa::1", 64, "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb::9", 64, "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb::9", 128, "2001:db8:1:2:bbbb::9/128"},
		{"fe80::1%eth0", 64, "fe80::/64"},
	}
	for _, tt := range tests {
		if got := sourceKey(netip.MustParseAddr(tt.addr), tt.bits); got.String() != tt.want {
			t.Errorf("sourceKey(%s, %d) = %s, want %s", tt.addr, tt.bits, got, tt.want)
		}
	}
}

func BenchmarkScanUnknownMAC(b *testing.B) {
	tr := newScanTracker(10, time.Minute, time.Hour, 65536)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		tr.unknownMAC(netip.PrefixFrom(a, 32), mac(i), t0)
		i++
	}
}

// TestAnyBan checks the count that lets requests skip the tracker while no
// source is banned: up with a ban, down when it expires, is lifted or its
// source is forgotten.
func TestAnyBan(t *testing.T) {
	tr := newScanTracker(1, time.Minute, 10*time.Minute, 2)
	a, b, c := netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("192.0.2.2/32"), netip.MustParsePrefix("192.0.2.3/32")
	ban := func(src netip.Prefix, at time.Time) {
		t.Helper()
		tr.failure(src, at)
		if banned, _ := tr.failure(src, at); !banned {
			t.Fatalf("%s not banned", src)
		}
	}
	want := func(n int64) {
		t.Helper()
		if got := tr.withBan.Load(); got != n || tr.anyBan() != (n > 0) {
			t.Fatalf("withBan = %d (anyBan %v), want %d", got, tr.anyBan(), n)
		}
	}
	want(0)
	ban(a, t0)
	want(1)
	if tr.banned(a, t0.Add(time.Minute)) != true {
		t.Error("a not banned")
	}
	want(1)
	if tr.banned(a, t0.Add(11*time.Minute)) { // expired: lifted on sight
		t.Error("a still banned")
	}
	want(0)
	ban(a, t0.Add(12*time.Minute))
	ban(b, t0.Add(12*time.Minute))
	want(2)
	tr.unban(func(p netip.Prefix) bool { return p == b }, t0.Add(13*time.Minute))
	want(1)
	ban(b, t0.Add(14*time.Minute))
	want(2)
	tr.failure(c, t0.Add(15*time.Minute)) // the table holds 2: a, the least recent, goes
	want(1)
	tr.configure(1, time.Minute, 10*time.Minute, 0) // forgets every source
	want(0)
}
