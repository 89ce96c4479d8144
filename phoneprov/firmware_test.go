package phoneprov

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakePins is a FirmwarePins set by the test.
type fakePins struct {
	mu   sync.Mutex
	pins map[string]FirmwarePin // by plugin + " " + MAC
	asks int
}

func (f *fakePins) FirmwarePin(plugin, mac string) (FirmwarePin, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asks++
	p, ok := f.pins[plugin+" "+mac]
	return p, ok
}

func (f *fakePins) set(plugin, mac string, pin *FirmwarePin) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if pin == nil {
		delete(f.pins, plugin+" "+mac)
		return
	}
	f.pins[plugin+" "+mac] = *pin
}

// TestFirmwarePins: a pin replaces the file the Yealink plugin names in
// the phone's file, for that phone only; each change of pin is a change
// of the phone's fingerprint (so a wave start is found by the ordinary change
// detection), a hold where there was no pin is FirmwareHeld (no NOTIFY),
// a hold after the new file is not (abort tells the phone).
func TestFirmwarePins(t *testing.T) {
	const (
		t54w    = "805ec0000054" // a T54W of unseen-yealink
		t46s    = "805ec0aabb46" // a T46S whose per-device template prints the file
		plugin  = "wazo-yealink-v86"
		t54File = "T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom"
	)
	pins := &fakePins{pins: map[string]FirmwarePin{}}
	opts := pluginSite(t, nil)
	opts.Plugins.Firmware = pins
	load := func(prev *Snapshot) (*Snapshot, map[string]Fingerprint) {
		t.Helper()
		snap, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		var prevSnap *Snapshot
		if prev != nil {
			prevSnap = prev
		}
		return snap, snap.Fingerprints("127.0.0.1", prevSnap)
	}
	body := func(snap *Snapshot, uri string) string {
		t.Helper()
		_, b := serve(t, snap, uri, "", "127.0.0.1")
		return string(b)
	}
	firmwareLine := func(s string) string {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "static.firmware.url") {
				return l
			}
		}
		return ""
	}

	s0, d0 := load(nil)
	fw, ok := s0.PhoneFirmware("80:5E:C0:00:00:54")
	if !ok || fw.Plugin != plugin || fw.Model != "T54W" || fw.Vendor != "Yealink" || !fw.HasFile || fw.PluginFile != t54File || fw.Pinned || fw.File() != t54File {
		t.Fatalf("PhoneFirmware: %+v %v", fw, ok)
	}
	if fw, ok := s0.PhoneFirmware("000fd3aabb02"); !ok || fw.HasFile || fw.File() != "" {
		t.Errorf("a Digium phone, whose templates name the firmware themselves: %+v %v", fw, ok)
	}
	if _, ok := s0.PhoneFirmware("0004f2000000"); ok {
		t.Error("a phone that is not configured has a firmware")
	}
	if dir, ok := s0.PluginDir(plugin); !ok || !strings.HasSuffix(dir, "/plugins/"+plugin) {
		t.Errorf("PluginDir: %q %v", dir, ok)
	}
	if got := firmwareLine(body(s0, t54w+".cfg")); got != "static.firmware.url = http://192.0.2.10:8667/firmware/"+t54File {
		t.Fatalf("unpinned: %q", got)
	}

	// A hold naming no file: the phone's file changes, quietly.
	pins.set(plugin, t54w, &FirmwarePin{File: "", Hold: true})
	s1, d1 := load(s0)
	if got := firmwareLine(body(s1, t54w+".cfg")); got != "static.firmware.url = http://192.0.2.10:8667/firmware/" {
		t.Errorf("held: %q", got)
	}
	if got := firmwareLine(body(s1, t46s+".cfg")); !strings.HasSuffix(got, "/firmware/T46S(T48S,T42S,T41S)-66.86.0.15.rom") {
		t.Errorf("another phone changed: %q", got)
	}
	ch := Diff(d0, d1)
	if !slices.Equal(ch.Changed, []string{t54w}) {
		t.Errorf("changes after the hold: %+v", ch)
	}
	if !s1.FirmwareHeld(s0, t54w) || s1.FirmwareHeld(s0, t46s) || s1.FirmwareMoved(s0, t54w) {
		t.Error("FirmwareHeld, FirmwareMoved: the hold is not told apart")
	}
	if fw, _ := s1.PhoneFirmware(t54w); !fw.Pinned || !fw.Pin.Hold || fw.File() != "" || fw.PluginFile != t54File {
		t.Errorf("held PhoneFirmware: %+v", fw)
	}

	// The wave starts: the new file, a change worth a NOTIFY.
	pins.set(plugin, t54w, &FirmwarePin{File: t54File})
	s2, d2 := load(s1)
	if got := firmwareLine(body(s2, t54w+".cfg")); got != "static.firmware.url = http://192.0.2.10:8667/firmware/"+t54File {
		t.Errorf("new: %q", got)
	}
	if ch := Diff(d1, d2); !slices.Equal(ch.Changed, []string{t54w}) || s2.FirmwareHeld(s1, t54w) || !s2.FirmwareMoved(s1, t54w) {
		t.Errorf("changes after the wave started: %+v, held %v", ch, s2.FirmwareHeld(s1, t54w))
	}
	// Abort: back to a hold, which the phone must be told.
	pins.set(plugin, t54w, &FirmwarePin{File: "old.rom", Hold: true})
	s3, d3 := load(s2)
	if ch := Diff(d2, d3); !slices.Equal(ch.Changed, []string{t54w}) || s3.FirmwareHeld(s2, t54w) || !s3.FirmwareMoved(s2, t54w) {
		t.Errorf("changes after abort: %+v, held %v", ch, s3.FirmwareHeld(s2, t54w))
	}
	if got := firmwareLine(body(s3, t54w+".cfg")); got != "static.firmware.url = http://192.0.2.10:8667/firmware/old.rom" {
		t.Errorf("aborted: %q", got)
	}
	// A per-device template reads the pinned value too.
	pins.set(plugin, t46s, &FirmwarePin{File: "x.rom"})
	s4, _ := load(s3)
	if got := body(s4, t46s+".cfg"); !strings.Contains(got, "custom.model = x.rom\n") {
		t.Errorf("per-device template:\n%s", got)
	}
	// Released: the plugin's choice again, the same bytes as before any pin.
	pins.set(plugin, t54w, nil)
	s5, _ := load(s4)
	if body(s5, t54w+".cfg") != body(s0, t54w+".cfg") || s5.FirmwareMoved(s4, t54w) {
		t.Error("released: not the plugin's file, or moved")
	}
}

// TestFirmwareStaticsFingerprint: a firmware file installed in a plugin's
// var/tftpboot changes the fingerprint of exactly the phones whose files name
// it (not another model's, not a phone held elsewhere); any other static
// file changes every phone of the plugin, as before.
func TestFirmwareStaticsFingerprint(t *testing.T) {
	const (
		t54w    = "805ec0000054"
		t54File = "T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom"
		t46File = "T46S(T48S,T42S,T41S)-66.86.0.15.rom"
	)
	pins := &fakePins{pins: map[string]FirmwarePin{}}
	opts := pluginSite(t, nil)
	opts.Plugins.Firmware = pins
	tftpboot := filepath.Join(opts.DataDir, "plugins", "wazo-yealink-v86", "var", "tftpboot")
	load := func() map[string]Fingerprint {
		t.Helper()
		snap, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		return snap.Fingerprints("127.0.0.1", nil)
	}
	write := func(name string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(tftpboot, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tftpboot, name), []byte("rom "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	yealinks := []string{"805ec0000033", t54w, "805ec0aabb46"}
	d0 := load()
	write("firmware/" + t54File)
	d1 := load()
	if ch := Diff(d0, d1); !slices.Equal(ch.Changed, []string{t54w}) {
		t.Errorf("the T54W's firmware installed: %+v", ch)
	}
	write("firmware/" + t46File)
	d2 := load()
	if ch := Diff(d1, d2); !slices.Equal(ch.Changed, []string{"805ec0aabb46"}) {
		t.Errorf("the T46S's firmware installed: %+v", ch)
	}
	// A T54W held by a rollout does not hear of its new firmware.
	pins.set("wazo-yealink-v86", t54w, &FirmwarePin{Hold: true})
	d3 := load()
	if err := os.Chtimes(filepath.Join(tftpboot, "firmware", t54File), time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	d4 := load()
	if ch := Diff(d3, d4); len(ch.Changed) != 0 {
		t.Errorf("a held phone's firmware file replaced: %+v", ch)
	}
	write("lang/004.GUI.French.lang")
	d5 := load()
	if ch := Diff(d4, d5); !slices.Equal(ch.Changed, yealinks) {
		t.Errorf("a language file installed: %+v", ch)
	}
}
