package rollout

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHealthyFleet: 20 T46S go through three waves (2, 8 and 10 phones);
// before its wave a phone is held (its file names no firmware, quietly),
// from its wave on it names the new file; T27G phones, which the package
// is not for, are never touched; once done the plugin names the firmware
// again.
func TestHealthyFleet(t *testing.T) {
	s := newSite(t, newFleet(20, 3))
	sum := s.create(Request{Waves: "10%,50%,100%"})
	if sum.ID != "r1" || sum.State != Pending || sum.Phones != 20 || sum.Waiting != 20 || sum.Version != newFW || sum.File != newFile ||
		sum.Route != route || !slices.Equal(sum.Models, []string{"T46S"}) || !slices.Equal(sum.From, []string{oldFW}) || sum.Vendor != "Yealink" {
		t.Fatalf("created: %+v", sum)
	}
	var sizes, thresholds []int
	for _, w := range sum.Waves {
		sizes, thresholds = append(sizes, w.Size), append(thresholds, w.Threshold)
	}
	if !slices.Equal(sizes, []int{2, 8, 10}) || !slices.Equal(thresholds, []int{1, 1, 1}) {
		t.Fatalf("waves %v, thresholds %v", sizes, thresholds)
	}
	for _, c := range s.fleet.phones {
		file, hold, ok := s.m.Pin(plugin, c.MAC)
		switch {
		case c.Model == "T27G" && ok:
			t.Errorf("%s (T27G) is pinned", c.MAC)
		case c.Model == "T46S" && (!ok || !hold || file != ""):
			t.Errorf("%s is not held at no file: %q %v %v", c.MAC, file, hold, ok)
		}
	}
	if _, _, ok := s.m.Pin("wazo-other", s.fleet.phones[0].MAC); ok {
		t.Error("a pin for another plugin")
	}

	s.step() // the holds are served, wave 1 starts and is served
	if n := len(s.phones("r1", Upgrading)); n != 2 {
		t.Fatalf("%d phones under way in wave 1", n)
	}
	if !strings.Contains(s.reloads[len(s.reloads)-2], "r1 created: 20 phones held") || !strings.Contains(s.reloads[len(s.reloads)-1], "wave 1 of 3 (2 phones)") {
		t.Errorf("reloads: %q", s.reloads)
	}
	for _, mac := range s.phones("r1", Upgrading) {
		if file, hold, _ := s.m.Pin(plugin, mac); file != newFile || hold || s.files[mac] != newFile {
			t.Errorf("%s under way names %q (hold %v), is served %q", mac, file, hold, s.files[mac])
		}
	}
	for round := 0; round < 10 && s.get("r1").State != Done; round++ {
		s.playWave("r1", nil)
	}
	d := s.get("r1")
	if d.State != Done || d.Upgraded != 20 || d.Failed != 0 || !strings.HasPrefix(d.Message, "done: 20 phones upgraded") {
		t.Fatalf("after the waves: %s %+v", d.State, d.Summary)
	}
	for _, w := range d.Waves {
		if w.Result != "succeeded" || w.Started.IsZero() || w.Ended.IsZero() {
			t.Errorf("wave %+v", w)
		}
	}
	p := d.PhoneList[0]
	if p.Served.IsZero() || p.Config.IsZero() || p.ConfigVia != "fetched" || p.FirmwareVia != "http" || p.Registered.Before(p.Firmware) ||
		p.Version.IsZero() || p.Reported != newFW || p.Step != "" {
		t.Errorf("an upgraded phone: %+v", p)
	}
	if _, _, ok := s.m.Pin(plugin, p.MAC); ok {
		t.Error("a done rollout still pins")
	}
	if !strings.Contains(s.reloads[len(s.reloads)-1], "r1 done") {
		t.Errorf("no reload when done: %q", s.reloads)
	}
}

// TestFailingWaveHalts: in the second wave one phone never fetches the
// firmware: once the deadline passes it fails at that step, the rollout
// halts naming it, the third wave's phones stay held; resume accepts the
// failure and goes on to the end.
func TestFailingWaveHalts(t *testing.T) {
	s := newSite(t, newFleet(20, 0))
	s.create(Request{Waves: "10%,50%,100%", Deadline: "10m"})
	s.step()
	s.playWave("r1", nil) // wave 1 succeeds, wave 2 starts
	second := s.phones("r1", Upgrading)
	if len(second) != 8 {
		t.Fatalf("%d phones in wave 2", len(second))
	}
	bad := second[3]
	s.playWave("r1", map[string]string{bad: noFetch})
	if st := s.get("r1").State; st != Running {
		t.Fatalf("before the deadline: %s", st)
	}
	s.clock.Advance(9 * time.Minute)
	s.step()
	if st := s.get("r1").State; st != Running {
		t.Fatalf("within the deadline: %s", st)
	}
	s.clock.Advance(2 * time.Minute)
	s.step()
	d := s.get("r1")
	if d.State != Halted || d.Failed != 1 || d.Waves[1].Result != "halted" || d.Waves[2].Started.IsZero() == false {
		t.Fatalf("after the deadline: %s %+v", d.State, d.Summary)
	}
	for _, frag := range []string{"halted: wave 2 of 3 has 1 failed phones of 8", bad + " at firmware (fetched its configuration at", "but not " + route + " within 10m)", "the 10 phones of the later waves keep their old firmware"} {
		if !strings.Contains(d.Message, frag) {
			t.Errorf("message lacks %q: %s", frag, d.Message)
		}
	}
	for _, p := range d.PhoneList {
		if p.Wave == 2 {
			if file, hold, ok := s.m.Pin(plugin, p.MAC); p.Status != Waiting || !ok || !hold || file != "" {
				t.Errorf("a phone of wave 3: %s, pin %q %v %v", p.Status, file, hold, ok)
			}
		}
		if p.MAC == bad && (p.Status != Failed || p.Step != StepFirmware) {
			t.Errorf("the failed phone: %+v", p)
		}
	}
	s.step()
	if n := len(s.phones("r1", Upgrading)); n != 0 || s.get("r1").State != Halted {
		t.Fatal("a halted rollout went on")
	}
	if _, err := s.m.Pause("r1"); err == nil {
		t.Error("a halted rollout paused")
	}
	if _, err := s.m.Resume("r1"); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5 && s.get("r1").State != Done; round++ {
		s.playWave("r1", nil)
	}
	if d := s.get("r1"); d.State != Done || d.Upgraded != 19 || d.Failed != 1 || !d.Waves[1].Accepted {
		t.Fatalf("after resume: %s %+v", d.State, d.Summary)
	}
}

// TestFailureSteps: each step a phone does not go through is the step it
// fails at, with what was seen; a threshold of 5 lets the wave of four
// failures end, and the fifth phone succeed.
func TestFailureSteps(t *testing.T) {
	s := newSite(t, newFleet(5, 0))
	s.create(Request{Waves: "100%", Deadline: "5m", MaxFailures: "5"})
	s.step()
	macs := s.phones("r1", Upgrading)
	behaviour := map[string]string{macs[0]: noConfig, macs[1]: noFetch, macs[2]: noReg, macs[3]: noVersion}
	s.playWave("r1", behaviour)
	s.clock.Advance(6 * time.Minute)
	s.step()
	d := s.get("r1")
	if d.State != Done || d.Failed != 4 || d.Upgraded != 1 {
		t.Fatalf("%s %+v", d.State, d.Summary)
	}
	want := map[string][2]string{
		macs[0]: {StepConfig, "did not fetch its new configuration within 5m of 2026-11-22 10:00:00"},
		macs[1]: {StepFirmware, "fetched its configuration at"},
		macs[2]: {StepRegister, "fetched the firmware at 2026-11-22 10:00:0"},
		macs[3]: {StepVersion, "registered again at 2026-11-22 10:00:"},
	}
	for _, p := range d.PhoneList {
		w, ok := want[p.MAC]
		if !ok {
			continue
		}
		if p.Status != Failed || p.Step != w[0] || !strings.Contains(p.Reason, w[1]) {
			t.Errorf("%s: %s at %s (%s), want %s (%s)", p.MAC, p.Status, p.Step, p.Reason, w[0], w[1])
		}
	}
	for _, p := range d.PhoneList {
		if p.MAC == macs[3] && !strings.HasSuffix(p.Reason, "but reports firmware "+oldFW+", not "+newFW) {
			t.Errorf("version failure: %s", p.Reason)
		}
		if p.MAC == macs[2] && !strings.Contains(p.Reason, "(http) but did not register again within 5m") {
			t.Errorf("register failure: %s", p.Reason)
		}
	}
}

// TestTFTPAndImpliedSteps: a firmware fetched over TFTP counts; a phone
// whose fetch was not attributed to it (a shared address) but which
// reports the new version counts once it registers after its wave
// started; an HTTP 404 for the firmware does not count.
func TestTFTPAndImpliedSteps(t *testing.T) {
	s := newSite(t, newFleet(3, 0))
	s.create(Request{Waves: "100%", Deadline: "5m", MaxFailures: "3"})
	s.step()
	macs := s.phones("r1", Upgrading)
	s.clock.Advance(time.Second)
	now := s.clock.Now()
	s.fleet.fetch(macs[0], now, "tftp", "/"+route, "completed")
	s.fleet.fetch(macs[1], now, "http", route, "404")
	for _, mac := range macs {
		s.m.Contact("", "ep"+mac, true, now.Add(time.Second)) // AMI without EndpointName: the AOR
	}
	s.fleet.report(macs[0], newFW)
	s.fleet.report(macs[2], newFW)
	s.clock.Advance(2 * time.Second)
	s.step()
	got := map[string]Phone{}
	for _, p := range s.get("r1").PhoneList {
		got[p.MAC] = p
	}
	if p := got[macs[0]]; p.Status != Upgraded || p.FirmwareVia != "tftp" || p.ConfigVia != "implied by the firmware fetch" {
		t.Errorf("TFTP: %+v", p)
	}
	if p := got[macs[2]]; p.Status != Upgraded || p.FirmwareVia != "implied by the new version" {
		t.Errorf("implied: %+v", p)
	}
	if p := got[macs[1]]; p.Status != Upgrading || !p.Firmware.IsZero() {
		t.Errorf("a 404 counted: %+v", p)
	}
}

// TestPauseResume: a paused rollout finishes the wave under way but
// starts no other; resume starts the next.
func TestPauseResume(t *testing.T) {
	s := newSite(t, newFleet(10, 0))
	s.create(Request{Waves: "50%,100%"})
	s.step()
	if _, err := s.m.Pause("r1"); err != nil {
		t.Fatal(err)
	}
	s.playWave("r1", nil)
	s.step()
	d := s.get("r1")
	if d.State != Paused || d.Upgraded != 5 || d.Waiting != 5 || d.Waves[0].Result != "succeeded" || !strings.Contains(d.Message, "paused by an administrator after wave 1 of 2") {
		t.Fatalf("paused: %s %+v", d.State, d.Summary)
	}
	if _, err := s.m.Resume("r1"); err != nil {
		t.Fatal(err)
	}
	s.step()
	if n := len(s.phones("r1", Upgrading)); n != 5 {
		t.Fatalf("%d phones under way after resume", n)
	}
	_, err := s.m.Resume("r1")
	wantErr(t, err, ErrState, "only a paused or halted one can be resumed")
	_, err = s.m.Pause("r9")
	wantErr(t, err, ErrNotFound, "r9")
}

// TestAbort: abort returns every phone not upgraded — waiting, under way,
// failed — to its old configuration (a hold, worth a NOTIFY for those
// that had started), keeps the upgraded ones on the new firmware, and lets
// another rollout take the phones.
func TestAbort(t *testing.T) {
	f := newFleet(10, 0)
	for i := range f.phones {
		f.phones[i].File = "T46S(T48S,T42S,T41S)-66.86.0.10.rom" // an earlier rollout's file
	}
	s := newSite(t, f)
	s.create(Request{Waves: "20%,60%,100%"})
	s.step()
	s.playWave("r1", nil) // wave 1 done, wave 2 starts
	second := s.phones("r1", Upgrading)
	s.upgrade(second[0], healthy)
	s.step()
	sum, err := s.m.Abort("r1")
	if err != nil {
		t.Fatal(err)
	}
	if sum.State != Aborted || sum.Upgraded != 3 || sum.Reverted != 7 || !strings.Contains(sum.Message, "7 phones not upgraded are served their old configuration (3 of them had started)") {
		t.Fatalf("aborted: %+v", sum)
	}
	for _, p := range s.get("r1").PhoneList {
		file, hold, ok := s.m.Pin(plugin, p.MAC)
		switch p.Status {
		case Upgraded:
			if !ok || hold || file != newFile {
				t.Errorf("upgraded %s: %q %v %v", p.MAC, file, hold, ok)
			}
		case Reverted:
			if !ok || !hold || file != "T46S(T48S,T42S,T41S)-66.86.0.10.rom" {
				t.Errorf("reverted %s: %q %v %v", p.MAC, file, hold, ok)
			}
		default:
			t.Errorf("%s is %s after abort", p.MAC, p.Status)
		}
	}
	s.step()
	if !strings.Contains(s.reloads[len(s.reloads)-1], "r1 aborted") {
		t.Errorf("no reload after abort: %q", s.reloads)
	}
	_, err = s.m.Abort("r1")
	wantErr(t, err, ErrState, "aborted already")
	// The phones are free for another rollout, which now holds them.
	sum2 := s.create(Request{Waves: "100%"})
	if sum2.ID != "r2" || sum2.Phones != 10 || sum2.Current != 0 {
		t.Fatalf("second rollout: %+v", sum2)
	}
}

// TestCreateErrors: what a rollout cannot be created from says why.
func TestCreateErrors(t *testing.T) {
	s := newSite(t, newFleet(4, 2))
	for _, c := range []struct {
		req  Request
		frag string
	}{
		{Request{Plugin: plugin, Package: pkgID, Waves: "10%,5%"}, "does not go beyond wave 1"},
		{Request{Plugin: plugin, Package: pkgID, Waves: "50%"}, "the last wave must be 100%"},
		{Request{Plugin: plugin, Package: pkgID, Deadline: "soon"}, `deadline: "soon"`},
		{Request{Plugin: plugin, Package: pkgID, MaxFailures: "0"}, "max-failures"},
		{Request{Plugin: plugin, Package: pkgID, Select: []string{"color=red"}}, `unknown key "color"`},
		{Request{Plugin: plugin, Package: "nope"}, "has no package nope"},
		{Request{Plugin: "wazo-x", Package: pkgID}, "has no package"},
		{Request{Plugin: plugin, Package: pkgID, Select: []string{"model=T27G"}}, "is for no selected phone of wazo-yealink-v86: it brings " + newFile + "; for the selected phones the plugin names T27G → T27G-69.86.0.15.rom"},
		{Request{Plugin: plugin, Package: pkgID, Select: []string{"profile=nope"}}, "no phone of wazo-yealink-v86 matches profile=nope"},
	} {
		_, err := s.m.Create(c.req)
		wantErr(t, err, ErrInvalid, c.frag)
	}
	for _, mac := range []string{"805ec0aa0000", "805ec0aa0001", "805ec0aa0002", "805ec0aa0003"} {
		s.fleet.report(mac, newFW)
	}
	for i := range s.fleet.phones {
		if d := s.fleet.devices[s.fleet.phones[i].MAC]; d != nil {
			s.fleet.phones[i].Firmware = d.Firmware
		}
	}
	_, err := s.m.Create(Request{Plugin: plugin, Package: pkgID, Select: []string{"model=T46S"}})
	wantErr(t, err, ErrInvalid, "the 4 selected phones already run "+newFW)
	for i := range s.fleet.phones {
		s.fleet.phones[i].HasFile, s.fleet.phones[i].PluginFile = false, "" // as wazo-digium's
	}
	_, err = s.m.Create(Request{Plugin: plugin, Package: pkgID, Select: []string{"model=T27G"}})
	wantErr(t, err, ErrInvalid, "the plugin names T27G → no firmware file (its templates name the firmware themselves)")
	if len(s.m.List()) != 0 {
		t.Error("a refused request left a rollout")
	}
}

// TestSelectAndConflict: -select narrows the phones; a phone already in
// an active rollout cannot be taken by another; phones already on the
// version are current and in no wave.
func TestSelectAndConflict(t *testing.T) {
	f := newFleet(6, 0)
	f.phones[5].Firmware = newFW
	s := newSite(t, f)
	sum := s.create(Request{MACs: []string{"80:5e:c0:aa:00:00", "805EC0AA0001"}, Select: []string{"model=T4*", "firmware=66.86.*"}})
	if sum.Phones != 2 || sum.Settings.MACs != 2 {
		t.Fatalf("selected %d phones", sum.Phones)
	}
	_, err := s.m.Create(Request{Plugin: plugin, Package: pkgID})
	wantErr(t, err, ErrConflict, "805ec0aa0000 (r1)")
	sum2 := s.create(Request{Select: []string{"mac=805ec0aa0002,805ec0aa0003,805ec0aa0005"}})
	if sum2.Phones != 3 || sum2.Current != 1 || sum2.Waiting != 2 || len(sum2.Waves) != 2 {
		t.Fatalf("second rollout: %+v", sum2)
	}
	if file, hold, ok := s.m.Pin(plugin, "805ec0aa0005"); !ok || hold || file != newFile {
		t.Errorf("a current phone: %q %v %v", file, hold, ok)
	}
	if got := s.m.List(); len(got) != 2 || got[0].ID != "r2" {
		t.Errorf("list: %+v", got)
	}
}

// TestWaitsForThePackage: a rollout of a package not yet installed holds
// its phones and starts its first wave once it is installed.
func TestWaitsForThePackage(t *testing.T) {
	f := newFleet(4, 0)
	f.pkg = Package{ID: pkgID, Version: newFW, Files: []string{newFile}} // pkgs.db's download name
	s := newSite(t, f)
	sum := s.create(Request{})
	if sum.Route != "" || !strings.Contains(sum.Message, "waiting for package "+pkgID+" to be installed (phoneprovd pkgs install "+plugin+" "+pkgID+")") {
		t.Fatalf("created: %+v", sum)
	}
	s.step()
	s.step()
	if d := s.get("r1"); d.State != Pending || d.Waiting != 4 || d.Wave != -1 {
		t.Fatalf("started without the package: %s %+v", d.State, d.Summary)
	}
	f.mu.Lock()
	f.pkg = Package{ID: pkgID, Version: newFW, Files: []string{"firmware/", route}, Installed: true}
	f.mu.Unlock()
	s.step()
	if d := s.get("r1"); d.State != Running || d.Route != route || d.Upgrading != 1 {
		t.Fatalf("after the install: %s %+v", d.State, d.Summary)
	}
}

// TestNeverServed: a phone whose new configuration is never served (it
// left the plugin's phones) fails at the config step, saying so.
func TestNeverServed(t *testing.T) {
	s := newSite(t, newFleet(1, 0))
	s.create(Request{Waves: "100%", Deadline: "1m"})
	s.fleet.phones = nil // removed from the configuration
	s.step()
	s.clock.Advance(2 * time.Minute)
	s.step()
	d := s.get("r1")
	if d.State != Halted || d.PhoneList[0].Step != StepConfig || !strings.Contains(d.PhoneList[0].Reason, "never served") {
		t.Fatalf("%s %+v", d.State, d.PhoneList[0])
	}
}

// TestNoRegistrations: without AMI or ARI the register step is not
// checked; the version step still is.
func TestNoRegistrations(t *testing.T) {
	s := newSite(t, newFleet(2, 0))
	s.m.cfg.NoRegistrations = true
	s.create(Request{Waves: "100%", Deadline: "1m", MaxFailures: "2"})
	s.step()
	macs := s.phones("r1", Upgrading)
	s.upgrade(macs[0], healthy)
	s.upgrade(macs[1], noVersion)
	s.m.Contact("ep"+macs[0], "", false, s.clock.Now()) // nothing registered counts
	s.clock.Advance(2 * time.Minute)
	s.step()
	d := s.get("r1")
	if d.Upgraded != 1 || d.Failed != 1 {
		t.Fatalf("%+v", d.Summary)
	}
	for _, p := range d.PhoneList {
		if p.Status == Failed && (p.Step != StepVersion || !strings.HasPrefix(p.Reason, "fetched the firmware at")) {
			t.Errorf("%+v", p)
		}
	}
}

// TestPackageVersionChanges: a package upgraded under a rollout halts it
// before its next wave; resume tries again (and halts again while the
// version differs); abort ends it.
func TestPackageVersionChanges(t *testing.T) {
	s := newSite(t, newFleet(4, 0))
	s.create(Request{Waves: "50%,100%"})
	s.fleet.mu.Lock()
	s.fleet.pkg.Version = "66.86.0.20"
	s.fleet.mu.Unlock()
	s.step()
	d := s.get("r1")
	if d.State != Halted || d.Wave != -1 || !strings.Contains(d.Message, "is now version 66.86.0.20, not "+newFW) {
		t.Fatalf("%s %+v", d.State, d.Summary)
	}
	if _, err := s.m.Resume("r1"); err != nil {
		t.Fatal(err)
	}
	s.step()
	if d := s.get("r1"); d.State != Halted || d.Upgrading != 0 {
		t.Fatalf("after resume: %s %+v", d.State, d.Summary)
	}
	if sum, err := s.m.Abort("r1"); err != nil || sum.Reverted != 4 {
		t.Fatalf("abort: %v %+v", err, sum)
	}
}
