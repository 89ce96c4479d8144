package admin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthAndReady(t *testing.T) {
	s := New("test")
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz before Ready: %d", code)
	}
	loaded := false
	s.Ready(func() bool { return loaded })
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz not loaded: %d", code)
	}
	loaded = true
	if code, body := get("/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz loaded: %d %q", code, body)
	}
	// Degraded is still ready: phones are served.
	why := "serving the last good configuration"
	s.Degraded(func() string { return why })
	s.Degraded(func() string { return "" })
	if code, body := get("/readyz"); code != 200 || body != "degraded:\n- serving the last good configuration\n" {
		t.Errorf("/readyz degraded: %d %q", code, body)
	}
	why = ""
	if code, body := get("/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz recovered: %d %q", code, body)
	}
	s.Section("x", func() any { return map[string]int{"n": 1} })
	s.Section("off", func() any { return nil })
	s.PhoneSection("p", func(mac string) (any, bool) { return mac, mac == "0004f2000001" })
	if code, body := get("/status"); code != 200 || !strings.Contains(body, `"version": "test"`) || !strings.Contains(body, `"n": 1`) || strings.Contains(body, `"off"`) {
		t.Errorf("/status %d %s", code, body)
	}
	if code, body := get("/status/phones/0004f2000001"); code != 200 || !strings.Contains(body, `"p": "0004f2000001"`) {
		t.Errorf("phone %d %s", code, body)
	}
	if code, _ := get("/status/phones/nope"); code != 404 {
		t.Errorf("unknown phone %d", code)
	}
}
