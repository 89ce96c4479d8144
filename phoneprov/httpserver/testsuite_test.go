package httpserver_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// TestAsteriskTestsuite runs Asterisk's own phoneprov tests
// (asterisk/testsuite tests/phoneprov/*): the same configs and templates,
// the same request, and the expected values of their test-config.yaml.
func TestAsteriskTestsuite(t *testing.T) {
	const suite = "../../../shared/asterisk/testsuite"
	for _, dir := range []string{
		"tests/phoneprov/res_phoneprov_pjsip",
		"removed-9047ff56/tests/phoneprov/res_phoneprov",
	} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			dir := filepath.Join(suite, dir)
			data := t.TempDir()
			pp := filepath.Join(data, "phoneprov")
			if err := os.Mkdir(pp, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"cfgbase.txt", "cfgex.txt"} {
				copyFile(t, filepath.Join(dir, f), filepath.Join(pp, f))
			}
			snap, err := phoneprov.Load(phoneprov.Options{
				ConfigDir: filepath.Join(dir, "configs/ast1"),
				DataDir:   data,
			})
			if err != nil {
				t.Fatal(err)
			}
			// The test talks to Asterisk on 127.0.0.1, where SERVER comes
			// from when phoneprov.conf does not set it.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(httpserver.NewHandler(phoneprovtest.Fixed(snap), httpserver.Config{}))
			srv.Listener = ln
			srv.Start()
			defer srv.Close()

			resp, err := http.Get(srv.URL + "/phoneprov/cfgbase112233445566.txt")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d\n%s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/plain" {
				t.Errorf("Content-type %q", ct)
			}
			got := headerValues(string(body))
			want := expectedSubstitutions(t, filepath.Join(dir, "test-config.yaml"))
			if len(want) < 9 {
				t.Fatalf("only %d expectations read", len(want))
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
}

// headerValues parses "key: value" lines as the test's RFC 822 header
// parser does; the first occurrence of a key wins.
func headerValues(body string) map[string]string {
	out := make(map[string]string)
	for _, line := range strings.Split(body, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if _, dup := out[k]; !dup {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

// expectedSubstitutions reads the "substitutions:" map of a test-config.yaml.
func expectedSubstitutions(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(map[string]string)
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "substitutions:") {
			in = true
			continue
		}
		if !in || strings.TrimSpace(line) == "" {
			continue
		}
		if !strings.HasPrefix(line, " ") {
			break
		}
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		out[k] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
