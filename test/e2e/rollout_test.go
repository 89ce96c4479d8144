package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/firmware/rollout"
	"github.com/pin/tftp/v3"
)

// fakeFleet is the site's phones, each a goroutine that acts on the
// NOTIFYs Asterisk (the AMI fake) sends it as a Yealink does: fetch its
// file with its User-Agent, fetch the firmware it names (over HTTP in two
// ranges, as a phone resuming, or over TFTP), reboot — its contact goes
// and comes back Reachable through the AMI fake — and fetch its file again
// with the new version in its User-Agent. A phone may stop before a step
// (behaviour), or wait for its gate before acting.
type fakeFleet struct {
	t      *testing.T
	s      *firmwareSite
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	behaviour map[string]string        // MAC → the step it never does
	gate      map[string]chan struct{} // MAC → closed when it may act
	version   map[string]string
	acted     map[string]int // NOTIFYs acted on
	notified  map[string]int // NOTIFYs received
}

// tftpPhone fetches its firmware over TFTP.
const tftpPhone = 0

func newFakeFleet(t *testing.T, s *firmwareSite) *fakeFleet {
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeFleet{t: t, s: s, cancel: cancel, behaviour: map[string]string{}, gate: map[string]chan struct{}{},
		version: map[string]string{}, acted: map[string]int{}, notified: map[string]int{}}
	for _, p := range s.phones {
		f.version[p.MAC] = p.Version
	}
	for i, p := range s.phones {
		f.wg.Add(1)
		go f.run(ctx, i, p)
	}
	t.Cleanup(func() {
		cancel()
		f.wg.Wait()
	})
	return f
}

// local is the loopback address phone i uses, its own: its TFTP fetches
// are attributed to it by address.
func local(i int) string { return "127.0.0." + strconv.Itoa(10+i) }

// boot makes every phone fetch its file once, as at power-on.
func (f *fakeFleet) boot() {
	for i, p := range f.s.phones {
		if _, _, err := f.s.get(local(i), p.MAC+".cfg", userAgent(p.Model, p.Version, p.MAC), nil); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fakeFleet) set(mac, behaviour string) {
	f.mu.Lock()
	f.behaviour[mac] = behaviour
	f.mu.Unlock()
}

func (f *fakeFleet) hold(mac string) {
	f.mu.Lock()
	f.gate[mac] = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeFleet) release() {
	f.mu.Lock()
	for mac, g := range f.gate {
		close(g)
		delete(f.gate, mac)
	}
	f.mu.Unlock()
}

func (f *fakeFleet) notifies(mac string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.notified[mac]
}

// run is phone i: it waits for NOTIFYs and acts on each.
func (f *fakeFleet) run(ctx context.Context, i int, p sitePhone) {
	defer f.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
		n := 0
		for _, no := range f.s.ami.Notifies() {
			if no.Endpoint == p.Endpoint {
				n++
			}
		}
		f.mu.Lock()
		f.notified[p.MAC] = n
		todo := n > f.acted[p.MAC]
		f.acted[p.MAC] = n
		behaviour, gate, version := f.behaviour[p.MAC], f.gate[p.MAC], f.version[p.MAC]
		f.mu.Unlock()
		if !todo || behaviour == rollout.StepConfig {
			continue
		}
		if gate != nil {
			select {
			case <-gate:
			case <-ctx.Done():
				return
			}
		}
		if err := f.resync(i, p, behaviour, version); err != nil && ctx.Err() == nil {
			f.t.Errorf("phone %s: %v", p.MAC, err)
		}
	}
}

// resync is what a Yealink told to check-sync does.
func (f *fakeFleet) resync(i int, p sitePhone, behaviour, version string) error {
	s := f.s
	_, cfg, err := s.get(local(i), p.MAC+".cfg", userAgent(p.Model, version, p.MAC), nil)
	if err != nil {
		return err
	}
	u, err := url.Parse(firmwareURL(cfg))
	if err != nil || strings.HasSuffix(u.Path, "/") || behaviour == rollout.StepFirmware {
		return err // held: no firmware to fetch
	}
	file := strings.TrimPrefix(u.Path, "/phoneprov/")
	var rom []byte
	if i == tftpPhone {
		c, err := tftp.NewClient("127.0.0.1:" + strconv.Itoa(s.tftpPort))
		if err != nil {
			return err
		}
		if err := c.SetLocalAddr(local(i)); err != nil {
			return err
		}
		wt, err := c.Receive(file, "octet")
		if err != nil {
			return fmt.Errorf("tftp %s: %w", file, err)
		}
		var b bytes.Buffer
		if _, err := wt.WriteTo(&b); err != nil {
			return err
		}
		rom = b.Bytes()
	} else {
		ua := userAgent(p.Model, version, p.MAC)
		resp, first, err := s.get(local(i), file, ua, map[string]string{"Range": "bytes=0-99999"})
		if err == nil && resp.StatusCode == http.StatusNotFound {
			return nil // not installed: the phone keeps its firmware
		}
		if err != nil || resp.StatusCode != http.StatusPartialContent {
			return fmt.Errorf("the firmware's first part: %v %v", resp, err)
		}
		resp, rest, err := s.get(local(i), file, ua, map[string]string{"Range": "bytes=100000-"})
		if err != nil || resp.StatusCode != http.StatusPartialContent {
			return fmt.Errorf("the firmware's rest: %v %v", resp, err)
		}
		rom = append(first, rest...)
	}
	if !bytes.Equal(rom, s.rom) {
		return fmt.Errorf("the firmware %s: %d bytes, not the package's", file, len(rom))
	}
	if behaviour == rollout.StepRegister {
		return nil // never comes back
	}
	// Reboot: the contact goes, and comes back.
	s.ami.RemoveContact(p.Endpoint, s.contactURI(p))
	time.Sleep(20 * time.Millisecond)
	s.ami.AddContact(amitest.Contact{AOR: p.Endpoint, URI: s.contactURI(p), Status: "Reachable"})
	if behaviour != rollout.StepVersion {
		version = t4sVersion
		f.mu.Lock()
		f.version[p.MAC] = version
		f.mu.Unlock()
	}
	_, _, err = s.get(local(i), p.MAC+".cfg", userAgent(p.Model, version, p.MAC), nil)
	return err
}

// rolloutDetail reads one rollout from the admin API.
func (s *firmwareSite) rolloutDetail(id string) rollout.Detail {
	s.t.Helper()
	resp, err := http.Get("http://" + s.d.Load().admin + "/firmware/rollouts/" + id)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var d rollout.Detail
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		s.t.Fatal(err)
	}
	return d
}

// waitState waits for rollout id to reach state.
func (s *firmwareSite) waitState(id, state string, within time.Duration) rollout.Detail {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		d := s.rolloutDetail(id)
		if d.State == state {
			return d
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("rollout %s is %s, not %s: %s", id, d.State, state, d.Message)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// firmwareCmd runs phoneprovd firmware against the running daemon.
func (s *firmwareSite) firmwareCmd(args ...string) result {
	s.t.Helper()
	return run(s.t, "", append(append([]string{"firmware"}, args...), "-admin", s.d.Load().admin)...)
}

// served returns the firmware URL phone i's file names now.
func (s *firmwareSite) served(i int) string {
	s.t.Helper()
	p := s.phones[i]
	_, cfg, err := s.get(local(i), p.MAC+".cfg", userAgent(p.Model, p.Version, p.MAC), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return firmwareURL(cfg)
}

// startRollout creates a rollout of the T4xS package with the command.
func (s *firmwareSite) startRollout(args ...string) string {
	s.t.Helper()
	r := s.firmwareCmd(append([]string{"rollout"}, append(args, yealinkPlugin, t4sPackage)...)...)
	m := regexp.MustCompile(`^rollout (r\d+): `).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		s.t.Fatalf("firmware rollout: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return m[1]
}

// byWave returns the rollout's phones (their index in the site) by wave.
func (s *firmwareSite) byWave(d rollout.Detail) map[int][]int {
	index := map[string]int{}
	for i, p := range s.phones {
		index[p.MAC] = i
	}
	out := map[int][]int{}
	for _, p := range d.PhoneList {
		out[p.Wave] = append(out[p.Wave], index[p.MAC])
	}
	return out
}

// TestRolloutHealthyFleet: a rollout created before its package is
// installed holds the T46S phones at no firmware without a NOTIFY; once
// `pkgs install` put the firmware in place, each wave's phones — and only
// they — are re-synced, fetch their file and the firmware (one over
// TFTP), come back registered with the new version, and the rollout goes
// through its three waves to done. The T27G is never touched.
func TestRolloutHealthyFleet(t *testing.T) {
	s := newFirmwareSite(t, 8, "")
	d := s.start()
	fleet := newFakeFleet(t, s)
	fleet.boot()
	t27g := len(s.phones) - 1
	before := s.served(t27g)
	if want := d.url("/phoneprov/" + t4sRoute); s.served(1) != want {
		t.Fatalf("before the rollout, a T46S is served %q, want %q", s.served(1), want)
	}

	id := s.startRollout("-waves", "25%,50%,100%", "-deadline", "2m")
	eventually(t, "the T46S held at no firmware", func() bool {
		for i := range 8 {
			if !strings.HasSuffix(s.served(i), "/phoneprov/firmware/") {
				return false
			}
		}
		return true
	})
	if n := len(s.ami.Notifies()); n != 0 {
		t.Errorf("holding the phones sent %d NOTIFYs", n)
	}
	det := s.rolloutDetail(id)
	if det.State != rollout.Pending || !strings.Contains(det.Message, "waiting for package "+t4sPackage+" to be installed") || det.Phones != 8 {
		t.Fatalf("before the install: %s %s", det.State, det.Message)
	}

	s.install()
	det = s.waitState(id, rollout.Done, 90*time.Second)
	if det.Upgraded != 8 || det.Failed != 0 || len(det.Waves) != 3 {
		t.Fatalf("done: %+v", det.Summary)
	}
	for _, w := range det.Waves {
		if w.Result != "succeeded" {
			t.Errorf("wave %+v", w)
		}
	}
	vias := map[string]int{}
	for _, p := range det.PhoneList {
		vias[p.FirmwareVia]++
		if p.ConfigVia != "fetched" || p.Registered.Before(p.Firmware) || p.Reported != t4sVersion {
			t.Errorf("phone %s: %+v", p.MAC, p)
		}
	}
	if vias["tftp"] != 1 || vias["http"] != 7 {
		t.Errorf("firmware fetched over %v", vias)
	}
	for i := range 8 {
		if n := fleet.notifies(s.phones[i].MAC); n != 1 {
			t.Errorf("%s got %d NOTIFYs, want the one of its wave", s.phones[i].MAC, n)
		}
		if got := s.served(i); got != d.url("/phoneprov/"+t4sRoute) {
			t.Errorf("after the rollout %s is served %q", s.phones[i].MAC, got)
		}
	}
	if n := fleet.notifies(s.phones[t27g].MAC); n != 0 || s.served(t27g) != before {
		t.Errorf("the T27G got %d NOTIFYs and is served %q (was %q)", n, s.served(t27g), before)
	}
	st := s.firmwareCmd("status")
	if st.code != 0 || !regexp.MustCompile(id+`\s+done\s+3/3\s+8\s+8\s+0\s+0\s+`+yealinkPlugin).MatchString(st.stdout) {
		t.Errorf("firmware status: %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	code, page := d.adminGet(t, "/firmware")
	if code != http.StatusOK || !strings.Contains(page, t4sPackage) || !strings.Contains(page, "8 of 8 done") {
		t.Errorf("the console's firmware page: %d", code)
	}
}

// TestRolloutFailingWaveHalts: two phones of the second wave fail, one
// never fetching the firmware, one coming back with its old version; the
// rollout halts naming both and the step each failed at, the third
// wave's phones are neither notified nor given the firmware, and abort
// returns the failed phones to their old configuration (notifying them).
func TestRolloutFailingWaveHalts(t *testing.T) {
	s := newFirmwareSite(t, 8, "")
	s.start()
	fleet := newFakeFleet(t, s)
	fleet.boot()
	id := s.startRollout("-waves", "25%,75%,100%", "-deadline", "3s", "-max-failures", "2")
	waves := s.byWave(s.rolloutDetail(id))
	if len(waves[0]) != 2 || len(waves[1]) != 4 || len(waves[2]) != 2 {
		t.Fatalf("waves %v", waves)
	}
	noFirmware, oldVersion := s.phones[waves[1][0]].MAC, s.phones[waves[1][1]].MAC
	fleet.set(noFirmware, rollout.StepFirmware)
	fleet.set(oldVersion, rollout.StepVersion)
	s.install()
	det := s.waitState(id, rollout.Halted, 90*time.Second)
	for _, frag := range []string{"halted: wave 2 of 3 has 2 failed phones of 4", noFirmware + " at firmware (fetched its configuration at",
		oldVersion + " at version (registered again at", "reports firmware " + t4sOld + ", not " + t4sVersion, "the 2 phones of the later waves keep their old firmware"} {
		if !strings.Contains(det.Message, frag) {
			t.Errorf("the message lacks %q:\n%s", frag, det.Message)
		}
	}
	time.Sleep(2 * time.Second) // nothing more happens
	det = s.rolloutDetail(id)
	if det.State != rollout.Halted || det.Upgraded != 4 || det.Failed != 2 || det.Waiting != 2 {
		t.Fatalf("halted: %+v", det.Summary)
	}
	for _, i := range waves[2] {
		if n := fleet.notifies(s.phones[i].MAC); n != 0 || !strings.HasSuffix(s.served(i), "/firmware/") {
			t.Errorf("a phone of wave 3 got %d NOTIFYs and is served %q", n, s.served(i))
		}
	}
	st := s.firmwareCmd("status", id)
	for _, re := range []string{noFirmware + `\s+T46S\s+2\s+failed\s+firmware\s+` + t4sOld, oldVersion + `\s+T46S\s+2\s+failed\s+version\s+` + t4sOld, `rollout ` + id + `: halted, wave 2/3`} {
		if !regexp.MustCompile(re).MatchString(st.stdout) {
			t.Errorf("firmware status %s lacks %s:\n%s", id, re, st.stdout)
		}
	}

	ab := s.firmwareCmd("abort", id)
	if ab.code != 0 || !strings.Contains(ab.stdout, id+": aborted: aborted by an administrator: 4 phones not upgraded") {
		t.Fatalf("abort: %d %s%s", ab.code, ab.stdout, ab.stderr)
	}
	eventually(t, "the failed phones notified of their old configuration", func() bool {
		return fleet.notifies(noFirmware) == 2 && fleet.notifies(oldVersion) == 2
	})
	for _, i := range append(waves[2], waves[1][0], waves[1][1]) {
		if got := s.served(i); !strings.HasSuffix(got, "/firmware/") {
			t.Errorf("after abort %s is served %q", s.phones[i].MAC, got)
		}
	}
	if r := s.firmwareCmd("resume", id); r.code != 1 || !strings.Contains(r.stderr, "only a paused or halted one can be resumed") {
		t.Errorf("resume after abort: %d %s", r.code, r.stderr)
	}
}

// TestRolloutSurvivesRestart: phoneprovd is killed while the second
// wave's phones have been notified but not yet acted; started again on the
// same state it serves the held and the upgrading phones as before, the
// phones act, and the rollout goes on to done.
func TestRolloutSurvivesRestart(t *testing.T) {
	s := newFirmwareSite(t, 6, "")
	first := s.start()
	fleet := newFakeFleet(t, s)
	fleet.boot()
	id := s.startRollout("-waves", "2,4,100%", "-deadline", "2m")
	waves := s.byWave(s.rolloutDetail(id))
	for _, i := range waves[1] {
		fleet.hold(s.phones[i].MAC)
	}
	s.install()
	eventually(t, "wave 2 started and notified", func() bool {
		if s.rolloutDetail(id).Wave != 1 {
			return false
		}
		for _, i := range waves[1] {
			if fleet.notifies(s.phones[i].MAC) == 0 {
				return false
			}
		}
		return true
	})
	time.Sleep(time.Second) // the state is saved every 500 ms
	saved := s.rolloutDetail(id)
	first.cmd.Process.Kill()
	first.cmd.Wait()

	s.start()
	det := s.rolloutDetail(id)
	if det.State != rollout.Running || det.Wave != 1 || det.Upgraded != 2 || det.Upgrading != 2 || det.Waiting != 2 ||
		!det.Waves[1].Started.Equal(saved.Waves[1].Started) {
		t.Fatalf("after the restart: %s %+v", det.State, det.Summary)
	}
	for _, i := range waves[2] {
		if got := s.served(i); !strings.HasSuffix(got, "/firmware/") {
			t.Errorf("after the restart a phone of wave 3 is served %q", got)
		}
	}
	for _, i := range waves[1] {
		if got := s.served(i); !strings.HasSuffix(got, "/"+url.PathEscape(t4sFile)) && !strings.HasSuffix(got, "/"+t4sFile) {
			t.Errorf("after the restart a phone of wave 2 is served %q", got)
		}
	}
	fleet.release()
	det = s.waitState(id, rollout.Done, 90*time.Second)
	if det.Upgraded != 6 || det.Failed != 0 {
		t.Fatalf("done: %+v", det.Summary)
	}
	for _, i := range waves[1] {
		if n := fleet.notifies(s.phones[i].MAC); n != 1 {
			t.Errorf("a phone of wave 2 got %d NOTIFYs: its wave started again after the restart", n)
		}
	}
}
