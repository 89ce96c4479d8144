package httpserver_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// golden is the reference data captured from a real Asterisk 20.20.1.
const golden = "../../../shared/asterisk/golden"

// goldenTime is the Date of the golden responses: the DST values of the
// America/New_York user are computed relative to "now" (golden README), so
// the test renders at the moment Asterisk did.
var goldenTime = time.Date(2026, 11, 22, 7, 17, 42, 0, time.UTC)

// dataDir makes DATA-DIR with phoneprov/ pointing at the given templates.
func dataDir(t testing.TB, templates string) string {
	t.Helper()
	abs, err := filepath.Abs(templates)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(abs, filepath.Join(dir, "phoneprov")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func loadGolden(t testing.TB) *phoneprov.Snapshot {
	t.Helper()
	snap, err := phoneprov.Load(phoneprov.Options{
		ConfigDir: filepath.Join(golden, "configs/etc-asterisk"),
		DataDir:   dataDir(t, filepath.Join(golden, "configs/phoneprov-templates")),
		Now:       func() time.Time { return goldenTime },
		LocalZone: time.UTC, // the reference host ran in UTC: users without a timezone get TZOFFSET=0
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range snap.Diagnostics {
		if d.Severity == phoneprov.Error {
			t.Errorf("unexpected error diagnostic: %s", d)
		}
	}
	return snap
}

// goldenResponse is one captured response.
type goldenResponse struct {
	name        string
	method, uri string
	status      int
	contentType string
	length      int
	body        []byte // nil when Asterisk sent none (HEAD)
}

func readGolden(t *testing.T) []goldenResponse {
	t.Helper()
	dir := filepath.Join(golden, "phoneprov-http")
	headers, err := filepath.Glob(filepath.Join(dir, "*.headers"))
	if err != nil || len(headers) == 0 {
		t.Fatalf("no golden responses in %s: %v", dir, err)
	}
	var out []goldenResponse
	for _, h := range headers {
		name := strings.TrimSuffix(filepath.Base(h), ".headers")
		g := goldenResponse{name: name, method: http.MethodGet}
		uri := name
		switch {
		case strings.HasPrefix(uri, "method_"):
			method, rest, _ := strings.Cut(strings.TrimPrefix(uri, "method_"), "_")
			g.method, uri = method, rest
		case strings.HasPrefix(uri, "edge_"):
			uri = strings.TrimPrefix(uri, "edge_")
			if uri == "ROOT" {
				uri = ""
			}
		}
		g.uri = strings.ReplaceAll(uri, "_", "/")
		raw, err := os.ReadFile(h)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		g.status = resp.StatusCode
		g.contentType = resp.Header.Get("Content-Type")
		g.length, _ = strconv.Atoi(resp.Header.Get("Content-Length"))
		if b, err := os.ReadFile(filepath.Join(dir, name+".body")); err == nil {
			g.body = b
		}
		out = append(out, g)
	}
	return out
}

// TestGoldenHTTP serves the golden configuration over real HTTP and
// compares every response Asterisk gave: status, Content-type, length and
// body bytes (docs/asterisk.md#serving-over-http, golden/README.md).
func TestGoldenHTTP(t *testing.T) {
	snap := loadGolden(t)
	srv := httptest.NewServer(httpserver.NewHandler(phoneprovtest.Fixed(snap), httpserver.Config{ServerName: "Asterisk/20.20.1"}))
	defer srv.Close()

	responses := readGolden(t)
	if len(responses) < 20 {
		t.Fatalf("only %d golden responses", len(responses))
	}
	for _, g := range responses {
		t.Run(g.name, func(t *testing.T) {
			req, err := http.NewRequest(g.method, srv.URL+"/phoneprov/"+g.uri, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != g.status {
				t.Errorf("status %d, want %d", resp.StatusCode, g.status)
			}
			if got := resp.Header.Get("Content-Type"); got != g.contentType {
				t.Errorf("Content-type %q, want %q", got, g.contentType)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-cache, no-store" {
				t.Errorf("Cache-Control %q", got)
			}
			if got, _ := strconv.Atoi(resp.Header.Get("Content-Length")); got != g.length {
				t.Errorf("Content-Length %d, want %d", got, g.length)
			}
			want := g.body
			if g.method == http.MethodHead {
				want = nil // HEAD never carries a body (Asterisk sends one on errors; see README)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("body differs from Asterisk's\n--- got\n%s\n--- want\n%s", body, want)
			}
		})
	}
}

// TestGoldenRoutes compares `phoneprov show routes` with Asterisk's.
func TestGoldenRoutes(t *testing.T) {
	snap := loadGolden(t)
	want, err := os.ReadFile(filepath.Join(golden, "phoneprov-show-routes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := snap.WriteRoutes(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("routes differ\n--- got\n%s\n--- want\n%s", got.String(), want)
	}
}
