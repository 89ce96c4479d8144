package dhcp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// recorder is a fake of the daemon's inventory: it keeps what it is given
// and records only phones.
type recorder struct {
	mu     sync.Mutex
	events []Event
	ids    []Identity
}

func (r *recorder) record(e Event, id Identity) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	r.ids = append(r.ids, id)
	return id.Vendor != ""
}

func newTestServer(t *testing.T, cfg HandlerConfig) (*httptest.Server, *recorder, *Handler, *testlog.Buffer) {
	t.Helper()
	rec := &recorder{}
	logs := new(testlog.Buffer)
	cfg.Families, cfg.Record, cfg.Logger = families.List(), rec.record, logs.Logger()
	h := NewHandler(cfg)
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, rec, h, logs
}

func post(t *testing.T, url, body string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHandlerLeases(t *testing.T) {
	srv, rec, h, _ := newTestServer(t, HandlerConfig{})
	events := []Event{
		{Source: "dnsmasq", Action: "add", MAC: "00:0f:d3:aa:bb:01", IP: "10.99.0.51", VendorClass: vc("digium_D40_1_1_0_0_48178")},
		{Source: "dnsmasq", Action: "add", MAC: "52:54:00:12:34:56", IP: "10.99.0.52", VendorClass: vc("MSFT 5.0")},
	}
	res, err := Send(context.Background(), nil, srv.URL, "", events)
	if err != nil || res.Recorded != 1 || res.Ignored != 1 {
		t.Fatalf("Send: %+v, %v", res, err)
	}
	if len(rec.events) != 2 || rec.events[0].MAC != "000fd3aabb01" || rec.ids[0] != (Identity{Vendor: "Digium", Model: "D40", Firmware: "1.1.0.0.48178", Source: SourceVendorClass}) {
		t.Errorf("recorded %+v %+v", rec.events, rec.ids)
	}
	if st := h.Status(); st.Events != 2 || st.Recorded != 1 || st.Ignored != 1 || st.Auth != "not required" || st.LastSource != "dnsmasq" {
		t.Errorf("status %+v", st)
	}
	// An invalid event refuses the whole batch, naming it.
	code, body := post(t, srv.URL+LeasesPath, `{"events": [{"source": "dnsmasq", "action": "add", "mac": "00:15:65:aa:bb:cc", "ip": "10.0.0.1"},
		{"source": "dnsmasq", "action": "add", "mac": "00:15:65:aa:bb:cc", "ip": "nope"}]}`)
	if code != http.StatusBadRequest || !strings.Contains(body, "events[1]") || len(rec.events) != 2 {
		t.Errorf("a bad event: %d %s (recorded %d)", code, body, len(rec.events))
	}
	for _, bad := range []string{``, `[]`, `{"events": [], "extra": 1}`, `{"events": [{"source": "x", "action": "add", "mac": "00:15:65:aa:bb:cc", "ip": "10.0.0.1"}]}`} {
		if code, body := post(t, srv.URL+LeasesPath, bad); code != http.StatusBadRequest {
			t.Errorf("%q: %d %s", bad, code, body)
		}
	}
	many, _ := json.Marshal(Batch{Events: make([]Event, MaxEvents+1)})
	if code, _ := post(t, srv.URL+LeasesPath, string(many)); code != http.StatusBadRequest {
		t.Errorf("%d events: %d", MaxEvents+1, code)
	}
	if code, _ := post(t, srv.URL+LeasesPath, `{"events": [`+strings.Repeat(" ", MaxBody)+`]}`); code != http.StatusBadRequest {
		t.Errorf("a body over %d bytes: %d", MaxBody, code)
	}
}

func TestHandlerDHCPInfo(t *testing.T) {
	srv, rec, _, _ := newTestServer(t, HandlerConfig{})
	body := string(FormatDHCPInfo(Event{Action: "commit", IP: "10.34.1.111", MAC: "00:0f:d3:aa:bb:01", VendorClass: vc("digium_D40_1_1_0_0_48178")}))
	for _, path := range []string{DHCPInfoPath, ProvdDHCPInfoPath} {
		if code, out := post(t, srv.URL+path, body, "Content-Type", "application/vnd.proformatique.provd+json"); code != http.StatusNoContent {
			t.Errorf("%s: %d %s", path, code, out)
		}
	}
	if len(rec.events) != 2 || rec.ids[0].Model != "D40" || rec.ids[0].Firmware != "1.1.0.0.48178" || rec.events[0].Source != SourceProvd {
		t.Errorf("recorded %+v %+v", rec.events, rec.ids)
	}
	if code, _ := post(t, srv.URL+DHCPInfoPath, `{"dhcp_info": {"op": "expiry", "ip": "10.34.1.111"}}`); code != http.StatusNoContent || len(rec.events) != 2 {
		t.Errorf("expiry without a MAC: %d, %d events", code, len(rec.events))
	}
	if code, out := post(t, srv.URL+DHCPInfoPath, `{"dhcp_info": {"op": "bogus", "ip": "10.34.1.111"}}`); code != http.StatusBadRequest || !strings.Contains(out, "invalid operation value") {
		t.Errorf("a bad op: %d %s", code, out)
	}
	if code, _ := post(t, srv.URL+"/dev_mgr/dhcpinfo/x", body); code != http.StatusNotFound {
		t.Errorf("another path: %d", code)
	}
}

func TestHandlerToken(t *testing.T) {
	const token = "s3cr3t-token-0123456789"
	srv, rec, h, logs := newTestServer(t, HandlerConfig{RequireToken: true, Token: token})
	event := []Event{{Source: "isc", Action: "commit", MAC: "00:15:65:aa:bb:cc", IP: "10.0.0.9", VendorClass: vc("yealink")}}
	if _, err := Send(context.Background(), nil, srv.URL, "", event); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("no token: %v", err)
	}
	if _, err := Send(context.Background(), nil, srv.URL, "bad-guess-xyz", event); err == nil || strings.Contains(err.Error(), "bad-guess-xyz") {
		t.Errorf("a wrong token: %v", err)
	}
	if res, err := Send(context.Background(), nil, srv.URL, token, event); err != nil || res.Recorded != 1 {
		t.Errorf("the token: %+v, %v", res, err)
	}
	// provd's relays send X-Auth-Token.
	body := string(FormatDHCPInfo(Event{Action: "commit", IP: "10.0.0.9", MAC: "00:15:65:aa:bb:cc", VendorClass: vc("yealink")}))
	if code, _ := post(t, srv.URL+DHCPInfoPath, body, "X-Auth-Token", token); code != http.StatusNoContent {
		t.Errorf("X-Auth-Token: %d", code)
	}
	if code, _ := post(t, srv.URL+DHCPInfoPath, body, "X-Auth-Token", "nope"); code != http.StatusUnauthorized {
		t.Errorf("a wrong X-Auth-Token: %d", code)
	}
	if len(rec.events) != 2 {
		t.Errorf("%d events recorded, want the 2 authenticated", len(rec.events))
	}
	if st := h.Status(); st.Unauthorized != 3 || st.Auth != "token" {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(logs.String(), "missing or wrong token") {
		t.Errorf("the refusal was not logged:\n%s", logs)
	}
	logs.NoSecrets(t, token, "nope", "bad-guess-xyz")

	// Not loopback and no token set: everything is refused, and says why.
	srv2, rec2, h2, _ := newTestServer(t, HandlerConfig{RequireToken: true})
	if _, err := Send(context.Background(), nil, srv2.URL, "anything", event); err == nil || !strings.Contains(err.Error(), "[dhcp] token is not set") {
		t.Errorf("no token configured: %v", err)
	}
	if len(rec2.events) != 0 || h2.Status().Auth != "refused" {
		t.Errorf("recorded %d; status %+v", len(rec2.events), h2.Status())
	}
}

func TestSendUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	if _, err := Send(context.Background(), nil, url, "", []Event{{}}); err == nil || !strings.Contains(err.Error(), "does not take DHCP lease events") {
		t.Errorf("an old daemon: %v", err)
	}
	srv.Close()
	if _, err := Send(context.Background(), nil, strings.TrimPrefix(url, "http://"), "tok", []Event{{}}); err == nil || !strings.Contains(err.Error(), "is phoneprovd running?") || strings.Contains(err.Error(), "tok") {
		t.Errorf("nobody listening: %v", err)
	}
}
