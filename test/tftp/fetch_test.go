package tftp_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// servedRoutes are the routes every client fetches: dynamic (one printing
// SERVER, one with SECRET), and a static binary file.
var servedRoutes = []string{"0004f2000001.cfg", "0004f2000002.cfg", "0004f2000001-server.cfg", "firmware.bin"}

// TestFetchMatchesHTTP fetches every route with tftp-hpa, atftp and
// pin/tftp's client and compares the bytes with the HTTP response for the
// same route: the same snapshot, the same rendering (the route URI is the
// text after /phoneprov/, docs/asterisk.md#request-paths; SERVER is the
// address the phone reached, 127.0.0.1 for both).
func TestFetchMatchesHTTP(t *testing.T) {
	s := newSite(t, 200_000)
	var rec recorder
	_, addr := startTFTP(t, s, tftpserver.Config{OnServe: rec.Record}, "127.0.0.1")
	base := startHTTP(t, s)

	clients := []struct {
		name string
		get  func(t *testing.T, remote string) ([]byte, string)
	}{
		{"tftp-hpa", func(t *testing.T, remote string) ([]byte, string) { return hpaGet(t, addr, remote) }},
		{"tftp-hpa/leading-slash", func(t *testing.T, remote string) ([]byte, string) { return hpaGet(t, addr, "/"+remote) }},
		{"tftp-hpa/netascii", func(t *testing.T, remote string) ([]byte, string) {
			// Linux clients turn netascii back into the file's own bytes.
			local := t.TempDir() + "/got"
			out := hpa(t, addr, "ascii", "get "+remote+" "+local)
			return readIfReceived(t, local, out), out
		}},
		{"atftp", func(t *testing.T, remote string) ([]byte, string) { return atftpGet(t, addr, remote, 1468) }},
		{"pin", func(t *testing.T, remote string) ([]byte, string) {
			data, err := pinGet(addr, remote, 1468)
			return data, fmt.Sprint(err)
		}},
	}
	for _, uri := range servedRoutes {
		want := httpGet(t, base, uri)
		for _, c := range clients {
			t.Run(c.name+"/"+uri, func(t *testing.T) {
				got, out := c.get(t, uri)
				if got == nil {
					t.Fatalf("not received:\n%s", out)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%d bytes differ from HTTP's %d:\n got %.200q\nwant %.200q", len(got), len(want), got, want)
				}
			})
		}
	}
	if got := string(httpGet(t, base, "0004f2000001-server.cfg")); got != "SERVER=127.0.0.1\n" {
		t.Errorf("SERVER over HTTP = %q", got)
	}

	// OnServe reports each transfer: the route, the bytes, the rendered
	// body (sensitive: master.cfg prints SECRET).
	reports := waitServed(t, &rec, "0004f2000001.cfg", len(clients)-1) // the leading-slash client sent "/…"
	for _, r := range reports {
		if r.Outcome != tftpserver.Completed || r.Route == nil || r.Route.URI != "0004f2000001.cfg" ||
			r.Body == nil || !r.Body.Sensitive || r.Bytes < int64(r.Body.Len()) || r.Upload ||
			r.Local.String() != "127.0.0.1" || !r.Remote.Addr().IsLoopback() {
			t.Errorf("report %+v", r)
		}
	}
	for _, r := range waitServed(t, &rec, "firmware.bin", len(clients)-1) {
		if r.Outcome != tftpserver.Completed || r.Body != nil || r.Route == nil || !r.Route.Static() ||
			r.Bytes < int64(len(s.firmware)) {
			t.Errorf("report %+v", r)
		}
	}
}

// waitServed waits until OnServe has reported n transfers of filename (the
// report follows the client's last packet by one ACK) and returns them.
func waitServed(t *testing.T, rec *recorder, filename string, n int) []tftpserver.Served {
	t.Helper()
	return rec.Wait(t, n, func(s tftpserver.Served) bool { return s.Filename == filename })
}

// recorder collects what OnServe reports.
type recorder = phoneprovtest.Recorder[tftpserver.Served]

// oackLine finds atftp's trace of the OACK it received.
var oackLine = regexp.MustCompile(`received OACK <([^>]*)>`)

// TestOptionsNegotiated asserts from each client's packet trace that the
// server grants blksize (RFC 2348, capped at Config.BlockSize) and answers
// tsize with the exact length (RFC 2349): the rendered length for dynamic
// routes, the file size for static ones.
func TestOptionsNegotiated(t *testing.T) {
	s := newSite(t, 100_000)
	_, addr := startTFTP(t, s, tftpserver.Config{}, "127.0.0.1")
	base := startHTTP(t, s)

	tests := []struct {
		uri          string
		ask, granted int
	}{
		{"0004f2000001.cfg", 1468, 1468},
		{"firmware.bin", 1468, 1468},
		{"firmware.bin", 8192, tftpserver.DefaultBlockSize}, // capped
		{"firmware.bin", 600, 600},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.uri, tt.ask), func(t *testing.T) {
			want := httpGet(t, base, tt.uri)
			got, out := atftpGet(t, addr, tt.uri, tt.ask)
			if !bytes.Equal(got, want) {
				t.Fatalf("bytes differ:\n%s", out)
			}
			m := oackLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no OACK in the trace:\n%s", out)
			}
			for _, opt := range []string{"blksize: " + strconv.Itoa(tt.granted), "tsize: " + strconv.Itoa(len(want))} {
				if !strings.Contains(m[1], opt) {
					t.Errorf("OACK <%s> lacks %q", m[1], opt)
				}
			}
			// Every DATA but the last carries a full block.
			full := fmt.Sprintf("size %d>", tt.granted)
			if len(want) >= tt.granted && !strings.Contains(out, full) {
				t.Errorf("no DATA of %d bytes in the trace", tt.granted)
			}
		})
	}

	// tftp-hpa's client sends no options (it predates RFC 2347 support in
	// the client): the server answers with plain 512-byte DATA, no OACK.
	out := hpa(t, addr, "trace", "binary", "get firmware.bin "+t.TempDir()+"/fw")
	if !strings.Contains(out, "sent RRQ <file=firmware.bin, mode=octet>") ||
		!strings.Contains(out, "received DATA <block=1, 512 bytes>") || strings.Contains(out, "OACK") {
		t.Errorf("tftp-hpa trace:\n%.600s", out)
	}
}
