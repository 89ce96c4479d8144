package tftp_test

import (
	"net"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// TestServerAddress: SERVER is the local address the request reached,
// formatted as on the HTTP side: IPv4 dotted, IPv6 without brackets,
// IPv4-mapped addresses (an IPv4 client of a dual-stack socket) unmapped.
func TestServerAddress(t *testing.T) {
	s := newSite(t, 1000)
	tests := []struct {
		listen string // host the server listens on
		dial   string // host the client sends to
		want   string
	}{
		{"127.0.0.1", "127.0.0.1", "127.0.0.1"},
		{"::1", "::1", "::1"},
		{"::", "::1", "::1"},             // dual-stack socket, IPv6 client
		{"::", "127.0.0.1", "127.0.0.1"}, // dual-stack socket, IPv4 client
	}
	for _, tt := range tests {
		t.Run(tt.listen+"→"+tt.dial, func(t *testing.T) {
			var rec recorder
			_, addr := startTFTP(t, s, tftpserver.Config{OnServe: rec.Record}, tt.listen)
			_, port := splitAddr(t, addr)
			to := net.JoinHostPort(tt.dial, port)

			want := "SERVER=" + tt.want + "\n"
			got, err := pinGet(to, "0004f2000001-server.cfg", 1468)
			if err != nil || string(got) != want {
				t.Errorf("pin client: %q, %v; want %q", got, err, want)
			}
			if got, out := hpaGet(t, to, "0004f2000001-server.cfg"); string(got) != want {
				t.Errorf("tftp-hpa: %q, want %q\n%s", got, want, out)
			}
			for _, r := range waitServed(t, &rec, "0004f2000001-server.cfg", 2) {
				if r.Local.String() != tt.want || r.Remote.Addr().String() != tt.dial {
					t.Errorf("report: local %v remote %v", r.Local, r.Remote)
				}
			}
		})
	}
}
