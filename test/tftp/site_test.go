// Package tftp_test drives phoneprovd's TFTP server end to end: real
// sockets, the tftp-hpa and atftp clients, and the HTTP handler serving the
// same snapshot for comparison.
package tftp_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// phoneprovConf has every kind of route the tests fetch: static files that
// are served, one outside the data directory by "..", one through a
// symbolic link, a missing one and a directory; dynamic files for two
// phones, one of them printing SERVER.
const phoneprovConf = `[general]
default_profile = polycom
serverport = 5060

[polycom]
mime_type => text/xml
static_file => ../outside.txt
static_file => link.bin
static_file => missing.bin
static_file => dir
staticdir => polycom/
static_file => firmware.bin,application/octet-stream
${MAC}.cfg => polycom/master.cfg
${MAC}-server.cfg => server.cfg
`

const usersConf = `[6001]
username = 6001
fullname = Alice Zürich
secret = s3cret-6001
macaddress = 0004f2000001
autoprov = yes

[6002]
username = 6002
fullname = Bob
secret = s3cret-6002
macaddress = 0004f2000002
autoprov = yes
`

// masterCfg is binary-unfriendly on purpose: UTF-8, CRLF, a lone CR.
const masterCfg = "<?xml version=\"1.0\" standalone=\"yes\"?>\n" +
	"<!-- ${MAC} provisioned by ${SERVER}:${SERVER_PORT} -->\r\n" +
	"<reg reg.1.address=\"${USERNAME}\" reg.1.label=\"${DISPLAY_NAME}\" reg.1.auth.password=\"${SECRET}\"\r" +
	" reg.1.server.1.address=\"${SERVER}\" reg.1.server.1.port=\"${SERVER_PORT}\"/>\n"

// outsideText is what no request may ever receive.
const outsideText = "SECRET OUTSIDE THE DATA DIRECTORY\n"

// site is a throwaway Asterisk configuration and data directory.
type site struct {
	*phoneprovtest.Site
	outside  string // a file beside DataDir/phoneprov
	firmware []byte // DataDir/phoneprov/polycom/firmware.bin
	snap     *phoneprov.Snapshot
}

// Snapshot implements phoneprov.SnapshotSource.
func (s *site) Snapshot() *phoneprov.Snapshot { return s.snap }

// newSite writes the configuration with a firmware file of firmwareSize
// random bytes and loads it.
func newSite(t testing.TB, firmwareSize int) *site {
	t.Helper()
	firmware := make([]byte, firmwareSize)
	rand.Read(firmware)
	s := &site{firmware: firmware, Site: phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":                 phoneprovConf,
		"etc/users.conf":                     usersConf,
		"lib/phoneprov/polycom/master.cfg":   masterCfg,
		"lib/phoneprov/server.cfg":           "SERVER=${SERVER}\n",
		"lib/phoneprov/polycom/firmware.bin": string(firmware),
		"lib/outside.txt":                    outsideText,
	})}
	s.outside = s.Path("lib/outside.txt")
	if err := os.Symlink(s.outside, s.Path("lib/phoneprov/link.bin")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(s.Path("lib/phoneprov/dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.load()
	return s
}

// load loads the site again.
func (s *site) load() { s.snap = s.Load() }

// startTFTP serves src with cfg on a kernel-chosen port of host
// ("127.0.0.1", "::1", "::") and returns the server and its address. The
// server is shut down when the test ends.
func startTFTP(t testing.TB, src phoneprov.SnapshotSource, cfg tftpserver.Config, host string) (*tftpserver.Server, string) {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(host)})
	if err != nil {
		t.Fatalf("cannot listen on %s: %v", host, err)
	}
	srv := tftpserver.New(src, cfg)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(conn) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, tftpserver.ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	addr := conn.LocalAddr().String()
	waitReady(t, addr)
	return srv, addr
}

// waitReady returns once the server at addr answers a request: then its
// engine runs and reports the interface of each request, on which blksize
// negotiation depends (a request queued before gets 512-byte blocks).
func waitReady(t testing.TB, addr string) {
	t.Helper()
	c := newRawClient(t, addr)
	for range 10 {
		c.request(opRRQ, "readiness-probe")
		if _, ok := c.receive(time.Second); ok {
			return
		}
	}
	t.Fatalf("the server at %s does not answer", addr)
}

// startHTTP serves src with phoneprovd's HTTP handler on 127.0.0.1.
func startHTTP(t testing.TB, src phoneprov.SnapshotSource) string {
	t.Helper()
	srv := httptest.NewServer(httpserver.NewHandler(src, httpserver.Config{}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// httpGet fetches a route over HTTP; the reference for TFTP's bytes.
func httpGet(t testing.TB, base, uri string) []byte {
	t.Helper()
	resp, err := http.Get(base + "/phoneprov/" + uri)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %s: %s", uri, resp.Status)
	}
	return body
}

// containsOutside reports whether data holds the secret kept outside the
// data directory.
func containsOutside(data []byte) bool {
	return bytes.Contains(data, []byte(strings.TrimSpace(outsideText)))
}
