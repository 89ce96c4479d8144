package loadtest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// testPhones returns n phones with six distinct paths each (the first two
// static), and the body each path must answer.
func testPhones(n int) ([]phone, map[string][]byte) {
	bodies := make(map[string][]byte)
	var phones []phone
	for i := range n {
		p := phone{mac: strings.Repeat("0", 11) + string(rune('a'+i)), static: [filesPerPhone]bool{true, true}}
		for j := range p.paths {
			p.paths[j] = "/phoneprov/" + p.mac + "-" + string(rune('0'+j))
			bodies[p.paths[j]] = []byte("body of " + p.paths[j])
		}
		phones = append(phones, p)
	}
	return phones, bodies
}

// countingServer serves bodies (or broken for the paths in it) and counts
// the connections clients opened and the requests per path.
type countingServer struct {
	*httptest.Server
	mu       sync.Mutex
	conns    int
	requests map[string]int
	agents   map[string]bool
}

func newCountingServer(t *testing.T, bodies map[string][]byte, broken map[string]int) *countingServer {
	cs := &countingServer{requests: make(map[string]int), agents: make(map[string]bool)}
	cs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.requests[r.URL.Path]++
		cs.agents[r.UserAgent()] = true
		cs.mu.Unlock()
		if code, ok := broken[r.URL.Path]; ok {
			w.WriteHeader(code)
			w.Write([]byte("wrong"))
			return
		}
		w.Write(bodies[r.URL.Path])
	}))
	cs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			cs.mu.Lock()
			cs.conns++
			cs.mu.Unlock()
		}
	}
	cs.Start()
	t.Cleanup(cs.Close)
	return cs
}

// TestStorm checks what a storm does on the wire: every phone fetches
// each of its files once (its dynamic ones only in a dynamic-only
// workload), as a VVX, over one connection per phone or a pool kept for
// the whole storm.
func TestStorm(t *testing.T) {
	const n, clients = 12, 3
	phones, bodies := testPhones(n)
	tests := []struct {
		w             workload
		perPhone      int
		maxConns      int // at most, since the pool may dial a spare
		exactConns    bool
		fetchesStatic bool
	}{
		{workload{mode: keepAlive}, 6, 2 * clients, false, true},
		{workload{mode: connPerPhone}, 6, n, true, true},
		{workload{mode: keepAlive, dynamicOnly: true}, 4, 2 * clients, false, false},
	}
	for _, tt := range tests {
		cs := newCountingServer(t, bodies, nil)
		st := storm{workload: tt.w, phones: phones, bodies: bodies, clients: clients}
		if got := st.requests(); got != n*tt.perPhone {
			t.Errorf("%v: %d requests planned, want %d", tt.w, got, n*tt.perPhone)
		}
		out, err := st.run(context.Background(), cs.URL)
		if err != nil {
			t.Fatalf("%v: %v", tt.w, err)
		}
		if len(out.latencies) != n*tt.perPhone || out.elapsed <= 0 {
			t.Errorf("%v: %d latencies in %v, want %d", tt.w, len(out.latencies), out.elapsed, n*tt.perPhone)
		}
		cs.mu.Lock()
		for _, p := range phones {
			for i, path := range p.paths {
				want := 1
				if p.static[i] && !tt.fetchesStatic {
					want = 0
				}
				if cs.requests[path] != want {
					t.Errorf("%v: %s fetched %d times, want %d", tt.w, path, cs.requests[path], want)
				}
			}
		}
		if (tt.exactConns && cs.conns != tt.maxConns) || cs.conns > tt.maxConns {
			t.Errorf("%v: %d connections, want %d at most (exactly: %v)", tt.w, cs.conns, tt.maxConns, tt.exactConns)
		}
		if len(cs.agents) != 1 || !cs.agents[userAgent] {
			t.Errorf("%v: user agents %v", tt.w, cs.agents)
		}
		cs.mu.Unlock()
	}
}

// TestStormFails checks that a wrong answer stops the storm with an error
// naming the path: a wrong body, or a status other than 200.
func TestStormFails(t *testing.T) {
	phones, bodies := testPhones(8)
	bad := phones[5].paths[3]
	for _, code := range []int{http.StatusOK, http.StatusNotFound, http.StatusInternalServerError} {
		cs := newCountingServer(t, bodies, map[string]int{bad: code})
		st := storm{phones: phones, bodies: bodies, clients: 2}
		_, err := st.run(context.Background(), cs.URL)
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("answer %d with a wrong body: error %v, want one naming %s", code, err, bad)
		}
	}
	// Nobody listening.
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	st := storm{phones: phones, bodies: bodies, clients: 2}
	if _, err := st.run(context.Background(), "http://"+addr); err == nil {
		t.Error("a storm against a closed port succeeded")
	}
}
