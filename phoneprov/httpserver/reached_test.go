package httpserver

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"unsafe"
)

// TestReached checks what a request tells the render: the local address,
// its port and the scheme, over HTTP and HTTPS.
func TestReached(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := reached(r)
		fmt.Fprintf(w, "%s %d %s", at.Server, at.Port, at.Scheme)
	})
	for _, tls := range []bool{false, true} {
		var srv *httptest.Server
		if tls {
			srv = httptest.NewTLSServer(handler)
		} else {
			srv = httptest.NewServer(handler)
		}
		resp, err := srv.Client().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		want := "127.0.0.1 " + port + " http"
		if tls {
			want += "s"
		}
		if string(body) != want {
			t.Errorf("TLS %v: %q, want %q", tls, body, want)
		}
	}
}

func TestReachedAt(t *testing.T) {
	for _, tt := range []struct {
		addr   net.Addr
		server string
		port   int
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8080}, "192.0.2.7", 8080},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.7"), Port: 8080}, "192.0.2.7", 8080},
		{&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 8080, Zone: "eth0"}, "fe80::1", 8080},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 80}, "2001:db8::1", 80},
		{&net.UDPAddr{IP: net.ParseIP("fe80::2"), Port: 69, Zone: "eth0"}, "fe80::2", 69},
		{&net.UnixAddr{Name: "/x", Net: "unix"}, "", 0},
		{nil, "", 0},
	} {
		if at := reachedAt(tt.addr); at.Server != tt.server || at.Port != tt.port || at.Scheme != "http" {
			t.Errorf("%v: %+v, want %q port %d", tt.addr, at, tt.server, tt.port)
		}
	}
}

// TestConnInfo checks that a server from NewServer hands its handler
// what the connection reached and where it came from, and that a
// request without a connection (httptest.NewRequest) gets the same from
// its own fields.
func TestConnInfo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 2)
	srv := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := reached(r)
		got <- fmt.Sprintf("%s %d %s from %s", at.Server, at.Port, at.Scheme, RemoteAddr(r))
	}))
	go srv.Serve(ln)
	defer srv.Close()
	for range 2 { // two requests on one connection
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		want := fmt.Sprintf("127.0.0.1 %d http from 127.0.0.1", ln.Addr().(*net.TCPAddr).Port)
		if s := <-got; s != want {
			t.Errorf("%q, want %q", s, want)
		}
	}

	// Over HTTPS (NewTLSServer) the scheme is https.
	certs := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate and client
	defer certs.Close()
	tln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tsrv := NewTLSServer(srv.Handler, certs.TLS)
	go tsrv.ServeTLS(tln, "", "")
	defer tsrv.Close()
	resp, err := certs.Client().Get("https://" + tln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := fmt.Sprintf("127.0.0.1 %d https from 127.0.0.1", tln.Addr().(*net.TCPAddr).Port)
	if s := <-got; s != want {
		t.Errorf("%q, want %q", s, want)
	}

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for addr, want := range map[string]string{
		"192.0.2.9:5060":          "192.0.2.9",
		"[::ffff:192.0.2.9]:5060": "192.0.2.9",
		"[fe80::9%eth0]:5060":     "fe80::9",
		"not an address":          "invalid IP",
	} {
		r.RemoteAddr = addr
		if got := RemoteAddr(r).String(); got != want {
			t.Errorf("RemoteAddr %q = %q, want %q", addr, got, want)
		}
	}
}

// TestPlacesShared checks that connections to one local address share its
// SERVER string (the render cache then compares it by pointer), that other
// addresses get their own, and that past maxPlaces addresses are still
// answered, only not remembered.
func TestPlacesShared(t *testing.T) {
	var p places
	a := &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 8080}
	first, second := p.reached(a), p.reached(&net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 8080})
	if first != second || unsafe.StringData(first.Server) != unsafe.StringData(second.Server) {
		t.Errorf("two connections to %v: %+v and %+v, not one string", a, first, second)
	}
	other := p.reached(&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.2"), Port: 8080})
	if other.Server != "192.0.2.2" || other.Port != 8080 {
		t.Errorf("other address: %+v", other)
	}
	for i := range maxPlaces + 10 {
		ip := net.IPv4(10, 0, byte(i>>8), byte(i))
		if at := p.reached(&net.TCPAddr{IP: ip, Port: 80}); at.Server != ip.String() {
			t.Fatalf("%v: %+v", ip, at)
		}
	}
	if len(p.m) != maxPlaces {
		t.Errorf("%d places remembered, want %d", len(p.m), maxPlaces)
	}
}
