package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/firmware/rollout"
)

// stubFleet is a fleet of three T46S and a T27G, the package installed.
type stubFleet struct{}

func (stubFleet) Phones(plugin string) ([]rollout.Candidate, error) {
	var out []rollout.Candidate
	for _, mac := range []string{"805ec0aa0001", "805ec0aa0002", "805ec0aa0003"} {
		out = append(out, rollout.Candidate{MAC: mac, Vendor: "Yealink", Model: "T46S", Profile: "desk", PluginFile: "t46s.rom", HasFile: true, File: "t46s.rom", Firmware: "66.86.0.10"})
	}
	return append(out, rollout.Candidate{MAC: "805ec0bb0001", Model: "T27G", PluginFile: "t27g.rom", HasFile: true, File: "t27g.rom"}), nil
}

func (stubFleet) Package(plugin, id string) (rollout.Package, error) {
	return rollout.Package{ID: id, Version: "66.86.0.15", Files: []string{"firmware/t46s.rom"}, Installed: true}, nil
}

func (stubFleet) Device(mac string) (rollout.Device, bool) { return rollout.Device{}, false }

// TestFirmwareCommand: the command drives the admin API — rollout (with
// -select file= read by the command), status, pause, resume, abort — and
// the console sees the rollouts.
func TestFirmwareCommand(t *testing.T) {
	m := rollout.New(rollout.Config{Fleet: stubFleet{}})
	mux := http.NewServeMux()
	m.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	admin := strings.TrimPrefix(srv.URL, "http://")
	macs := filepath.Join(t.TempDir(), "macs.txt")
	os.WriteFile(macs, []byte("# two phones\n80:5e:c0:aa:00:01\n805EC0AA0002\n"), 0o644)
	cmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), &env{stdout: &out, stderr: &errb}, append(append([]string{"firmware"}, args...), "-admin", admin))
		return code, out.String(), errb.String()
	}
	code, out, errs := cmd("rollout", "-waves", "50%,100%", "-select", "file="+macs, "-select", "model=T46S", "wazo-yealink-v86", "T46S-fw", "-deadline", "10m")
	if code != 0 || !strings.Contains(out, "rollout r1: 2 phones of wazo-yealink-v86 (T46S) to 66.86.0.15 in 2 waves (1, 1 phones); 0 already run it") ||
		!strings.Contains(out, "follow it with: phoneprovd firmware status r1") {
		t.Fatalf("rollout: %d\n%s%s", code, out, errs)
	}
	code, out, _ = cmd("status")
	if code != 0 || !strings.Contains(out, "r1  pending  -/2   2       0         0       2        wazo-yealink-v86  T46S-fw  66.86.0.15") {
		t.Errorf("status: %d\n%s", code, out)
	}
	code, out, _ = cmd("status", "r1")
	for _, want := range []string{"rollout r1: pending, wave -/2", "wazo-yealink-v86 T46S-fw → 66.86.0.15 (T46S), firmware t46s.rom",
		"waves 50%,100%, deadline 10m0s per step, halts at 5% failures", "wave 1: 1 phones (halts at 1 failed): not started"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status r1 lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ = cmd("pause", "r1"); code != 0 || !strings.HasPrefix(out, "r1: paused: paused by an administrator") {
		t.Errorf("pause: %d %s", code, out)
	}
	cf := consoleFirmware{m}
	ro := cf.Rollouts()
	if len(ro) != 1 || ro[0].ID != "r1" || ro[0].Name != "T46S-fw" || ro[0].Vendor != "Yealink" || ro[0].Model != "T46S" || ro[0].From != "66.86.0.10" ||
		ro[0].To != "66.86.0.15" || ro[0].State != "paused" || !ro[0].Paused || ro[0].Phones != 2 || ro[0].Done != 0 || ro[0].Started.IsZero() {
		t.Errorf("console: %+v", ro)
	}
	if err := cf.Resume("r1"); err != nil {
		t.Error(err)
	}
	if err := cf.Resume("r1"); err == nil || !strings.Contains(err.Error(), "only a paused or halted one can be resumed") {
		t.Errorf("resume twice: %v", err)
	}
	if code, out, _ = cmd("abort", "r1"); code != 0 || !strings.Contains(out, "r1: aborted:") {
		t.Errorf("abort: %d %s", code, out)
	}
	for _, c := range []struct {
		args []string
		code int
		frag string
	}{
		{[]string{"abort", "r9"}, 1, "phoneprovd: no such rollout: r9"},
		{[]string{"rollout", "wazo-yealink-v86"}, 2, "usage: phoneprovd firmware"},
		{[]string{"explode"}, 2, `unknown subcommand "explode"`},
		{[]string{"rollout", "-select", "file=/nonexistent", "p", "k"}, 1, "/nonexistent"},
		{[]string{"rollout", "-waves", "10%", "wazo-yealink-v86", "T46S-fw"}, 1, "the last wave must be 100%"},
	} {
		code, _, errs := cmd(c.args...)
		if code != c.code || !strings.Contains(errs, c.frag) {
			t.Errorf("%v: %d %q, want %d %q", c.args, code, errs, c.code, c.frag)
		}
	}
}
