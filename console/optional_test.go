package console

import (
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeFirmware is a Firmware with two rollouts.
type fakeFirmware struct {
	mu       sync.Mutex
	rollouts []Rollout
	calls    []string
}

func (f *fakeFirmware) Rollouts() []Rollout {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Rollout(nil), f.rollouts...)
}

func (f *fakeFirmware) set(id string, paused bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.rollouts {
		if f.rollouts[i].ID == id {
			f.rollouts[i].Paused = paused
			f.rollouts[i].State = map[bool]string{true: "paused", false: "running"}[paused]
			f.calls = append(f.calls, id+map[bool]string{true: " paused", false: " resumed"}[paused])
			return nil
		}
	}
	return errors.New("no rollout " + id)
}

func (f *fakeFirmware) Pause(id string) error  { return f.set(id, true) }
func (f *fakeFirmware) Resume(id string) error { return f.set(id, false) }

func newFakeFirmware() *fakeFirmware {
	return &fakeFirmware{rollouts: []Rollout{
		{ID: "r1", Name: "VVX to 6.4.3", Vendor: "Polycom", Model: "VVX 411", From: "5.9.7.3480", To: "6.4.3.5018", State: "running",
			Phones: 40, Done: 30, Failed: 2, Started: siteNow.Add(-time.Hour), Updated: siteNow.Add(-time.Minute)},
		{ID: "r2", Name: "T46S to 66.86", Vendor: "Yealink", Model: "SIP-T46S", To: "66.86.0.15", State: "done", Phones: 12, Done: 12},
	}}
}

type fakeDHCP []DHCPDevice

func (f fakeDHCP) Devices() []DHCPDevice { return f }

func TestOptionalSectionsHidden(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	_, body := s.get("/")
	if strings.Contains(body, `href="/firmware"`) || strings.Contains(body, `href="/dhcp"`) {
		t.Error("the navigation shows parts that are not there")
	}
}

func TestFirmwareRollouts(t *testing.T) {
	fw := newFakeFirmware()
	s := newTestSite(t, siteOptions{firmware: fw})
	_, body := s.get("/")
	if !strings.Contains(body, `<a href="/firmware">Firmware</a>`) {
		t.Error("no Firmware in the navigation")
	}
	code, body := s.get("/firmware")
	for _, frag := range []string{"VVX to 6.4.3", "5.9.7.3480 → 6.4.3.5018", `<rect width="75"`, "30 of 40 done, 2 failed, 8 to go", `action="/firmware/r1/pause"`} {
		if code != 200 || !strings.Contains(body, frag) {
			t.Errorf("%d: the firmware page lacks %s", code, frag)
		}
	}
	if strings.Contains(body, `action="/firmware/r2/`) {
		t.Error("a finished rollout can be paused")
	}
	f := s.form("/firmware")
	code, loc, _ := s.post(f, url.Values{tokenField: {f.token}}, nil)
	if code != 303 || loc != "/firmware?done=paused" || strings.Join(fw.calls, ",") != "r1 paused" {
		t.Fatalf("pause: %d %q %v", code, loc, fw.calls)
	}
	f = s.form("/firmware")
	if f.action != "/firmware/r1/resume" {
		t.Fatalf("a paused rollout offers %q", f.action)
	}
	// Forged: refused, nothing changes.
	if code, _, _ := s.post(f, url.Values{tokenField: {"forged"}}, nil); code != 403 || len(fw.calls) != 1 {
		t.Errorf("forged resume: %d %v", code, fw.calls)
	}
	f.action = "/firmware/r9/resume"
	if code, _, body := s.post(f, url.Values{tokenField: {f.token}}, nil); code != 400 || !strings.Contains(body, "no rollout r9") {
		t.Errorf("unknown rollout: %d", code)
	}
}

func TestDHCPOnlyDevices(t *testing.T) {
	s := newTestSite(t, siteOptions{dhcp: fakeDHCP{
		{MAC: "00:04:F2:A1:00:01", IP: "10.0.1.21"}, // asked for its files: not listed
		{MAC: "80:5E:C0:B0:00:09", IP: "10.0.1.99", Hostname: "SIP-T46S", VendorClass: "yealink", Vendor: "Yealink", Model: "SIP-T46S", LastSeen: siteNow.Add(-time.Minute)},
		{MAC: "0004f2b00008", IP: "10.0.1.98", VendorClass: "Polycom-VVX411", Offered: "http://10.0.0.1:8080/phoneprov/"},
	}})
	code, body := s.get("/dhcp")
	if code != 200 {
		t.Fatal(code)
	}
	if !strings.Contains(body, "805ec0b00009") || !strings.Contains(body, "0004f2b00008") || strings.Contains(body, "0004f2a10001") {
		t.Errorf("the DHCP page:\n%s", body)
	}
	if strings.Index(body, "0004f2b00008") > strings.Index(body, "805ec0b00009") || !strings.Contains(body, `<span class="badge warn">nothing</span>`) {
		t.Error("not in MAC order, or the missing offer is not flagged")
	}
}
