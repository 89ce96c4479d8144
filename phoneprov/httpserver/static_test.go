package httpserver

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// TestStaticConditionalAndRange checks what phones resuming a firmware
// download or re-checking a file get: ETag and Last-Modified on every
// static file, 304 for a file they have, 206 for a range — for a small
// file kept in memory and for a large one streamed from disk — and a
// download curl resumes after an interruption.
func TestStaticConditionalAndRange(t *testing.T) {
	big := bytes.Repeat([]byte("firmware-"), 60000) // 540 KB: streamed from disk
	small := "0123456789abcdefghij"
	site := phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":      "[general]\ndefault_profile = p\n[p]\nstatic_file => small.bin\nstatic_file => big.ld,application/octet-stream\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":          "[u]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
		"lib/phoneprov/t.cfg":     "x\n",
		"lib/phoneprov/small.bin": small,
		"lib/phoneprov/big.ld":    string(big),
	})
	snap := site.Load()
	// Each request reports once, after its response: last waits for the
	// report of the request just made.
	var served phoneprovtest.Recorder[Served]
	reports := 0
	last := func() Served {
		t.Helper()
		reports++
		return served.Wait(t, reports, nil)[reports-1]
	}
	srv := NewServer(NewHandler(phoneprovtest.Fixed(snap), Config{OnServe: served.Record}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String() + "/phoneprov/"
	get := func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		last()
		return resp, b
	}
	for _, tt := range []struct {
		path string
		body []byte
	}{{"small.bin", []byte(small)}, {"big.ld", big}} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(tt.path)
			etag, mod := resp.Header.Get("Etag"), resp.Header.Get("Last-Modified")
			if resp.StatusCode != 200 || !bytes.Equal(body, tt.body) || etag == "" || mod == "" || resp.Header.Get("Accept-Ranges") != "bytes" {
				t.Fatalf("%d etag %q last-modified %q accept-ranges %q", resp.StatusCode, etag, mod, resp.Header.Get("Accept-Ranges"))
			}
			if resp.Header.Get("Cache-Control") != "no-cache, no-store" {
				t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
			}
			if resp, _ := get(tt.path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match with its ETag: %d", resp.StatusCode)
			}
			if resp, _ := get(tt.path, "If-None-Match", `"other"`); resp.StatusCode != 200 {
				t.Errorf("If-None-Match with another ETag: %d", resp.StatusCode)
			}
			if resp, _ := get(tt.path, "If-Modified-Since", mod); resp.StatusCode != http.StatusNotModified {
				t.Errorf("If-Modified-Since its time: %d", resp.StatusCode)
			}
			resp, part := get(tt.path, "Range", "bytes=5-14")
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, tt.body[5:15]) ||
				resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 5-14/%d", len(tt.body)) {
				t.Errorf("range: %d %q %q", resp.StatusCode, part, resp.Header.Get("Content-Range"))
			}
			req, _ := http.NewRequest(http.MethodGet, base+tt.path, nil)
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-", len(tt.body)+10))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
				t.Errorf("range past the end: %d", resp.StatusCode)
			}
			if s := last(); s.Status != http.StatusRequestedRangeNotSatisfiable {
				t.Errorf("reported %d for the unsatisfiable range", s.Status)
			}
		})
	}
	// curl resumes an interrupted download.
	curl, err := exec.LookPath("curl")
	if err != nil {
		testtool.Missing(t, "curl (Debian package curl)")
	}
	out := filepath.Join(t.TempDir(), "big.ld")
	if err := os.WriteFile(out, big[:123457], 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(curl, "-sS", "-f", "-C", "-", "-o", out, base+"big.ld").CombinedOutput(); err != nil {
		t.Fatalf("curl -C -: %v\n%s", err, b)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, big) {
		t.Errorf("resumed download: %d bytes, want %d", len(got), len(big))
	}
	if last := last(); last.Status != http.StatusPartialContent || last.Bytes != int64(len(big)-123457) {
		t.Errorf("resume reported %d, %d bytes", last.Status, last.Bytes)
	}
}
