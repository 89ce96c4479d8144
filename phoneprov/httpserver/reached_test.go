package httpserver

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
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
