package dhcp

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
)

// TestPart takes lease events as a part of the daemon: with an admin
// listener other hosts reach, the [dhcp] token is required, and an edit
// of it applies to the next event.
func TestPart(t *testing.T) {
	var logs testlog.Buffer
	var got []Event
	p := NewPart(PartConfig{Settings: settings.Defaults(), Admin: &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 8081},
		Record: func(e Event, _ Identity) bool { got = append(got, e); return true }, Logger: logs.Logger()})
	a := admin.New("test")
	d := daemon.New(daemon.Config{Admin: a})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "DHCP lease events will be refused") {
		t.Errorf("no warning:\n%s", logs.String())
	}
	post := func(token string) int {
		r := httptest.NewRequest("POST", LeasesPath, strings.NewReader(`{"events":[{"source":"dnsmasq","action":"add","mac":"00:15:65:aa:bb:cc","ip":"10.0.0.9"}]}`))
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, r)
		return rec.Code
	}
	const token = "tok-0123456789abcdef"
	if code := post(token); code != 403 {
		t.Errorf("without a token configured: %d", code)
	}
	if _, err := p.Reconfigure(settingstest.Load(t, "[dhcp]\ntoken = "+token+"\n")); err != nil {
		t.Fatal(err)
	}
	if code := post("wrong-token-0123456789"); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	if code := post(token); code != 200 || len(got) != 1 || got[0].MAC != "001565aabbcc" {
		t.Errorf("right token: %d %+v", code, got)
	}
	if st := p.Status().(Status); st.Auth != "token" || st.Recorded != 1 {
		t.Errorf("status %+v", st)
	}
	logs.NoSecrets(t, token)
}

func TestPartLoopback(t *testing.T) {
	p := NewPart(PartConfig{Settings: settings.Defaults(), Admin: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8081},
		Record: func(Event, Identity) bool { return true }})
	if st := p.Status().(Status); st.Auth != "not required" {
		t.Errorf("status %+v", st)
	}
}
