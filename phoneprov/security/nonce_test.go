package security

import (
	"strings"
	"testing"
	"time"
)

func TestNonceCheck(t *testing.T) {
	n, err := newNonces(time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nonce := n.mint(t0)
	other, _ := newNonces(time.Minute, 100)
	tampered := []byte(nonce)
	tampered[3] ^= 1
	tests := []struct {
		name  string
		nonce string
		at    time.Time
		want  nonceState
	}{
		{"fresh", nonce, t0, nonceValid},
		{"just before expiry", nonce, t0.Add(time.Minute - time.Nanosecond), nonceValid},
		{"expired", nonce, t0.Add(time.Minute), nonceStale},
		{"from the future", nonce, t0.Add(-time.Second), nonceStale},
		{"tampered", string(tampered), t0, nonceUnknown},
		{"another guard's", other.mint(t0), t0, nonceUnknown},
		{"empty", "", t0, nonceUnknown},
		{"not base64", strings.Repeat("!", len(nonce)), t0, nonceUnknown},
	}
	for _, tt := range tests {
		if got, _ := n.check(tt.nonce, tt.at); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	if n.mint(t0) == nonce {
		t.Error("two nonces alike")
	}
}

func TestNonceCounts(t *testing.T) {
	// RFC 7616 §3.3: the server should refuse a repeated nonce count; a
	// window of 64 lets requests from parallel connections arrive out of
	// order.
	n, _ := newNonces(time.Hour, 100)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nonce := n.mint(t0)
	_, issued := n.check(nonce, t0)
	steps := []struct {
		nc   uint32
		want countResult
	}{
		{1, countAccepted}, {1, countReplayed}, {3, countAccepted}, {2, countAccepted}, {2, countReplayed},
		{100, countAccepted}, {37, countAccepted}, {36, countReplayed}, // 100-36 = 64: out of the window
		{37, countReplayed}, {99, countAccepted}, {200, countAccepted}, {100, countReplayed},
	}
	for i, st := range steps {
		if got := n.accept(nonce, issued, st.nc, t0); got != st.want {
			t.Errorf("step %d nc=%d: %d, want %d", i, st.nc, got, st.want)
		}
	}
}

func TestNonceTableBounded(t *testing.T) {
	n, _ := newNonces(time.Hour, 3)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ns []string
	var issued []time.Time
	for i := range 5 {
		at := t0.Add(time.Duration(i) * time.Second)
		ns = append(ns, n.mint(at))
		_, iss := n.check(ns[i], at)
		issued = append(issued, iss)
	}
	for i := range 5 {
		if got := n.accept(ns[i], issued[i], 1, t0.Add(5*time.Second)); got != countAccepted {
			t.Fatalf("nonce %d: %d", i, got)
		}
	}
	if n.inUse() != 3 {
		t.Errorf("%d nonces remembered, limit 3", n.inUse())
	}
	// The forgotten ones cannot be replayed: their counts are gone, so
	// they are treated as stale, and so is any older nonce.
	if got := n.accept(ns[0], issued[0], 1, t0.Add(5*time.Second)); got != countForgotten {
		t.Errorf("forgotten nonce replayed: %d", got)
	}
	if got := n.accept(ns[4], issued[4], 1, t0.Add(5*time.Second)); got != countReplayed {
		t.Errorf("remembered nonce replayed: %d", got)
	}
}

func TestNonceExpiryFreesTable(t *testing.T) {
	n, _ := newNonces(time.Minute, 10)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		nonce := n.mint(t0)
		_, iss := n.check(nonce, t0)
		n.accept(nonce, iss, uint32(i+1), t0)
	}
	later := t0.Add(2 * time.Minute)
	nonce := n.mint(later)
	_, iss := n.check(nonce, later)
	n.accept(nonce, iss, 1, later)
	if n.inUse() != 1 {
		t.Errorf("%d nonces remembered after the others expired", n.inUse())
	}
}

func TestParseNC(t *testing.T) {
	for s, want := range map[string]uint32{"00000001": 1, "0000000a": 10, "0000000A": 10, "ffffffff": 1<<32 - 1} {
		if got, ok := parseNC(s); !ok || got != want {
			t.Errorf("parseNC(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "1", "00000000", "0000000g", "+0000001", "000000001", "0x000001"} {
		if _, ok := parseNC(s); ok {
			t.Errorf("parseNC(%q) accepted", s)
		}
	}
}
