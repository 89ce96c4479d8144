package fetch

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// content returns n bytes of test data and its SHA-1.
func content(n int) ([]byte, string) {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	s := sha1.Sum(b)
	return b, hex.EncodeToString(s[:])
}

// origin is a loopback file server whose behaviour for the n-th request
// (from 1) is chosen by the test. It records every request.
type origin struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	handle   func(n int, w http.ResponseWriter, r *http.Request)
}

func newOrigin(t *testing.T, handle func(n int, w http.ResponseWriter, r *http.Request)) *origin {
	o := &origin{handle: handle}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.requests = append(o.requests, r.Clone(context.Background()))
		n := len(o.requests)
		o.mu.Unlock()
		o.handle(n, w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *origin) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.requests)
}

func (o *origin) request(i int) *http.Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.requests[i]
}

// serve answers with data, honouring a Range request.
func serve(w http.ResponseWriter, r *http.Request, data []byte) {
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// dropAfter sends the headers for all of data and the first n bytes, then
// breaks the connection.
func dropAfter(w http.ResponseWriter, data []byte, n int) {
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data[:n])
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

func testCache(t *testing.T) (*Cache, *bytes.Buffer) {
	var out bytes.Buffer
	c := &Cache{Dir: filepath.Join(t.TempDir(), "cache"), Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Progress: &Reporter{w: &out}}
	return c, &out
}

// cacheFiles lists the names in the cache directory.
func cacheFiles(t *testing.T, c *Cache) []string {
	t.Helper()
	entries, err := os.ReadDir(c.Dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestFetchOnce(t *testing.T) {
	data, sum := content(300 << 10)
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) { serve(w, r, data) })
	c, out := testCache(t)
	f := File{Name: "fw.rom", URL: o.URL + "/fw/fw.rom", Size: int64(len(data)), SHA1: sum}
	p, err := c.Fetch(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) || p != filepath.Join(c.Dir, "fw.rom") {
		t.Fatalf("cached %s differs", p)
	}
	if _, err := c.Fetch(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if o.count() != 1 {
		t.Errorf("%d requests, want 1: the second Fetch must use the cache", o.count())
	}
	if got := strings.Join(cacheFiles(t, c), " "); got != "fw.rom" {
		t.Errorf("cache holds %s", got)
	}
	if !strings.Contains(out.String(), "fw.rom: in the cache, checked") || !strings.Contains(out.String(), "size and SHA-1 checked") {
		t.Errorf("progress:\n%s", out)
	}
	if ua := o.request(0).Header.Get("User-Agent"); ua != "phoneprovd" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestFetchWrongSHA1KeepsNothing(t *testing.T) {
	data, _ := content(1000)
	_, other := content(999)
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) { serve(w, r, data) })
	c, _ := testCache(t)
	_, err := c.Fetch(context.Background(), File{Name: "fw.rom", URL: o.URL + "/fw.rom", Size: 1000, SHA1: other})
	var mm *MismatchError
	if !errors.As(err, &mm) || mm.What != "SHA-1" || mm.Want != other {
		t.Fatalf("err = %v, want a SHA-1 mismatch", err)
	}
	_, got := content(1000)
	want := fmt.Sprintf("fw.rom: SHA-1 mismatch: expected %s, got %s; nothing kept", other, got)
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
	if files := cacheFiles(t, c); len(files) != 0 {
		t.Errorf("cache keeps %v", files)
	}
	if o.count() != 1 {
		t.Errorf("%d requests: a mismatch of a fresh download is not retried", o.count())
	}
}

func TestFetchResumesTruncatedDownload(t *testing.T) {
	data, sum := content(200 << 10)
	o := newOrigin(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			dropAfter(w, data, 70000)
			return
		}
		serve(w, r, data)
	})
	c, out := testCache(t)
	p, err := c.Fetch(context.Background(), File{Name: "fw.rom", URL: o.URL + "/fw.rom", Size: int64(len(data)), SHA1: sum})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
		t.Fatal("resumed file differs")
	}
	if o.count() != 2 {
		t.Fatalf("%d requests, want 2", o.count())
	}
	if rg := o.request(1).Header.Get("Range"); rg != "bytes=70000-" {
		t.Errorf("second request Range = %q, want bytes=70000-", rg)
	}
	if !strings.Contains(out.String(), "resuming at 68.4 KiB") {
		t.Errorf("progress does not say it resumed:\n%s", out)
	}
}

func TestFetchServerIgnoringRange(t *testing.T) {
	data, sum := content(50000)
	o := newOrigin(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			dropAfter(w, data, 1000)
			return
		}
		w.Write(data) // 200, whole body, Range ignored
	})
	c, _ := testCache(t)
	p, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/x", Size: 50000, SHA1: sum})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
		t.Fatal("file differs")
	}
}

func TestFetchResumeOfBadPartStartsOver(t *testing.T) {
	data, sum := content(50000)
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) { serve(w, r, data) })
	c, _ := testCache(t)
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A .part left by an earlier run, with wrong bytes.
	if err := os.WriteFile(filepath.Join(c.Dir, "x.part"), bytes.Repeat([]byte{0xee}, 20000), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/x", Size: 50000, SHA1: sum})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
		t.Fatal("file differs")
	}
	if o.count() != 2 || o.request(0).Header.Get("Range") != "bytes=20000-" || o.request(1).Header.Get("Range") != "" {
		t.Errorf("requests: %d, ranges %q %q", o.count(), o.request(0).Header.Get("Range"), o.request(1).Header.Get("Range"))
	}
}

func TestFetch404(t *testing.T) {
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	c, _ := testCache(t)
	_, sum := content(10)
	_, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/gone.rom", Size: 10, SHA1: sum})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || err.Error() != "GET "+o.URL+"/gone.rom: 404 Not Found" {
		t.Fatalf("err = %v", err)
	}
	if o.count() != 1 {
		t.Errorf("%d requests: a 404 is not retried", o.count())
	}
	if files := cacheFiles(t, c); len(files) != 0 {
		t.Errorf("cache keeps %v", files)
	}
}

func TestFetchRetriesServerErrors(t *testing.T) {
	data, sum := content(1000)
	o := newOrigin(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		serve(w, r, data)
	})
	c, _ := testCache(t)
	if _, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/x", Size: 1000, SHA1: sum}); err != nil {
		t.Fatal(err)
	}
	if o.count() != 3 {
		t.Errorf("%d requests, want 3", o.count())
	}
}

func TestFetchGivesUp(t *testing.T) {
	data, sum := content(1000)
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) { dropAfter(w, data, 100) })
	c, _ := testCache(t)
	c.Attempts = 3
	_, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/x", Size: 1000, SHA1: sum})
	if err == nil || !strings.Contains(err.Error(), "x: giving up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if o.count() != 3 {
		t.Errorf("%d requests, want 3", o.count())
	}
	// The bytes received are kept for a later run to resume.
	if files := cacheFiles(t, c); strings.Join(files, " ") != "x.part" {
		t.Errorf("cache holds %v", files)
	}
}

func TestFetchOversizedBodyKeepsNothing(t *testing.T) {
	data, sum := content(1000)
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // chunked: no Content-Length to check first
		w.Write(append(data, 'x'))
	})
	c, _ := testCache(t)
	_, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/x", Size: 1000, SHA1: sum})
	var mm *MismatchError
	if !errors.As(err, &mm) || mm.What != "size" {
		t.Fatalf("err = %v", err)
	}
	if files := cacheFiles(t, c); len(files) != 0 {
		t.Errorf("cache keeps %v", files)
	}
}

// cancelAt is a Progress that cancels the download once n bytes are in.
type cancelAt struct {
	n      int64
	cancel context.CancelFunc
	got    int64
}

func (c *cancelAt) Cached(string) {}
func (c *cancelAt) Begin(_, _ string, _, offset int64) Task {
	c.got = offset
	return c
}
func (c *cancelAt) Add(n int64) {
	if c.got += n; c.got >= c.n {
		c.cancel()
	}
}
func (c *cancelAt) Done(error) {}

func TestFetchCancelKeepsPartForResume(t *testing.T) {
	data, sum := content(300000)
	o := newOrigin(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data[:100000])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		serve(w, r, data)
	})
	c, _ := testCache(t)
	ctx, cancel := context.WithCancel(context.Background())
	c.Progress = &cancelAt{n: 40000, cancel: cancel}
	f := File{Name: "x", URL: o.URL + "/x", Size: int64(len(data)), SHA1: sum}
	_, err := c.Fetch(ctx, f)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "download interrupted at") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "x")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("an interrupted download left the final file")
	}
	fi, err := os.Stat(filepath.Join(c.Dir, "x.part"))
	if err != nil || fi.Size() < 40000 {
		t.Fatalf("part file: %v %v", fi, err)
	}
	c.Progress = nil
	if _, err := c.Fetch(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if rg := o.request(1).Header.Get("Range"); rg != fmt.Sprintf("bytes=%d-", fi.Size()) {
		t.Errorf("second run Range %q, want bytes=%d-", rg, fi.Size())
	}
}

func TestFetchStallIsRetried(t *testing.T) {
	data, sum := content(5000)
	o := newOrigin(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data[:100])
			w.(http.Flusher).Flush()
			<-r.Context().Done() // never sends the rest
			return
		}
		serve(w, r, data)
	})
	c, _ := testCache(t)
	c.Stall = 50 * time.Millisecond
	if _, err := c.Fetch(context.Background(), File{Name: "x", URL: o.URL + "/x", Size: 5000, SHA1: sum}); err != nil {
		t.Fatal(err)
	}
	if rg := o.request(1).Header.Get("Range"); rg != "bytes=100-" {
		t.Errorf("Range after a stall = %q", rg)
	}
}

func TestFetchManualFile(t *testing.T) {
	data, sum := content(57)
	c, _ := testCache(t)
	f := File{Name: "licence.bin", Size: 57, SHA1: sum}
	_, err := c.Fetch(context.Background(), f)
	var me *ManualError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a ManualError", err)
	}
	path := filepath.Join(c.Dir, "licence.bin")
	want := "licence.bin has no download URL (pkgs.db leaves it empty): get it from the vendor and copy it to " + path + " (57 bytes, SHA-1 " + sum + ")"
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
	// A wrong file put there is reported and left alone.
	os.MkdirAll(c.Dir, 0o755)
	if err := os.WriteFile(path, data[:50], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = c.Fetch(context.Background(), f)
	if err == nil || err.Error() != "licence.bin: size mismatch: expected 57 bytes, got 50 bytes; replace "+path+" with the right file" {
		t.Errorf("wrong manual file: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error("the administrator's file was removed")
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := c.Fetch(context.Background(), f); err != nil || p != path {
		t.Errorf("right manual file: %q %v", p, err)
	}
}

func TestFetchLoginSite(t *testing.T) {
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "login", http.StatusUnauthorized)
	})
	c, _ := testCache(t)
	_, sum := content(3)
	_, err := c.Fetch(context.Background(), File{Name: "x.zip", URL: o.URL + "/x.zip", Size: 3, SHA1: sum, Login: true})
	var me *ManualError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "x.zip needs a login at "+o.URL+"/x.zip (401 Unauthorized): get it from the vendor and copy it to") {
		t.Fatalf("err = %v", err)
	}
}

func TestFetchRejectsBadNames(t *testing.T) {
	c, _ := testCache(t)
	_, sum := content(1)
	for _, name := range []string{"", "..", "a/b", "x.part"} {
		if _, err := c.Fetch(context.Background(), File{Name: name, URL: "http://127.0.0.1/", Size: 1, SHA1: sum}); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	if _, err := c.Fetch(context.Background(), File{Name: "x", URL: "http://127.0.0.1/", Size: 1, SHA1: "abcd"}); err == nil {
		t.Error("short digest accepted")
	}
}

// TestFetchThroughProxy checks that the proxy comes from the environment:
// a loopback proxy receives the request for a host that does not exist.
func TestFetchThroughProxy(t *testing.T) {
	data, sum := content(4000)
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.String())
		mu.Unlock()
		if r.URL.Host != "firmware.vendor.invalid" {
			http.Error(w, "unexpected host", http.StatusBadGateway)
			return
		}
		serve(w, r, data)
	}))
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	c, _ := testCache(t) // Client nil: NewClient reads the environment
	if _, err := c.Fetch(context.Background(), File{Name: "fw.rom", URL: "http://firmware.vendor.invalid/fw.rom", Size: 4000, SHA1: sum}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != "GET http://firmware.vendor.invalid/fw.rom" {
		t.Errorf("proxy saw %v", seen)
	}
}

func TestGet(t *testing.T) {
	o := newOrigin(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			http.Error(w, "later", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"p": {}}`)
	})
	c, _ := testCache(t)
	data, err := c.Get(context.Background(), o.URL+"/plugins.db", 1<<20)
	if err != nil || string(data) != `{"p": {}}` {
		t.Fatalf("Get = %q, %v", data, err)
	}
	if _, err := c.Get(context.Background(), o.URL+"/plugins.db", 3); err == nil || !strings.Contains(err.Error(), "larger than 3 bytes") {
		t.Errorf("oversized Get: %v", err)
	}
}

func TestFetchReplacesWrongCachedFile(t *testing.T) {
	data, sum := content(3000)
	o := newOrigin(t, func(_ int, w http.ResponseWriter, r *http.Request) { serve(w, r, data) })
	c, _ := testCache(t)
	os.MkdirAll(c.Dir, 0o755)
	// Same size, other bytes: only the SHA-1 tells.
	if err := os.WriteFile(filepath.Join(c.Dir, "x"), bytes.Repeat([]byte{1}, 3000), 0o644); err != nil {
		t.Fatal(err)
	}
	f := File{Name: "x", URL: o.URL + "/x", Size: 3000, SHA1: sum}
	if ok, err := c.Have(f); ok || err == nil {
		t.Errorf("Have = %v, %v for a wrong file", ok, err)
	}
	p, err := c.Fetch(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) || o.count() != 1 {
		t.Errorf("wrong cached file not replaced (%d requests)", o.count())
	}
	if ok, err := c.Have(f); !ok || err != nil {
		t.Errorf("Have = %v, %v", ok, err)
	}
}
