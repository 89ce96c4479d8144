package phoneprov

import (
	"crypto/sha256"
	"encoding/binary"
	"path"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
)

// A plugin phone's files name its firmware through one template variable,
// Wazo's XX_fw_filename, which the plugin computes from the phone's model
// (wazo-yealink: "T46S(T48S,T42S,T41S)-66.86.0.15.rom", the file its
// firmware package installs under var/tftpboot/firmware/). Firmware
// rollouts decide, phone by phone, which file that is: the one the phone
// had while its wave has not started (a hold), the new one once it has.
// The choice is an input of the snapshot, asked once per phone when the
// snapshot is built (PluginOptions.Firmware), so that a wave starting is
// a reload like any other: the phones whose files change are found by
// the ordinary change detection and re-synced by the ordinary NOTIFY.

// FirmwareVar is the variable of a plugin's templates that names a
// phone's firmware file.
const FirmwareVar = "XX_fw_filename"

// FirmwarePin is the firmware file a phone's files must name instead of
// the plugin's choice.
type FirmwarePin struct {
	// File is the file name given to FirmwareVar; "" names none.
	File string
	// Hold: the pin keeps the phone at the firmware it had (a rollout
	// took it in, its wave has not started). A phone that gets a hold
	// where it had no pin was not edited: re-sync leaves it alone
	// (FirmwareHeld).
	Hold bool
}

// FirmwarePins chooses the firmware file of plugin phones; the firmware
// rollouts are one. It answers from memory: a snapshot asks while it
// loads.
type FirmwarePins interface {
	// FirmwarePin returns the pin of the phone with MAC mac (12 lower-case
	// hex digits) served by plugin; ok is false to leave the plugin's
	// choice.
	FirmwarePin(plugin, mac string) (pin FirmwarePin, ok bool)
}

// PhoneFirmware is what a snapshot knows of a plugin phone's firmware.
type PhoneFirmware struct {
	MAC    string // 12 lower-case hex digits
	Plugin string
	Vendor string
	Model  string
	// PluginFile is the file the plugin names for the phone's model (its
	// FirmwareVar); HasFile is false when the plugin computes none.
	PluginFile string
	HasFile    bool
	// Pin is what FirmwarePins said when the snapshot was built.
	Pin    FirmwarePin
	Pinned bool
}

// File is the firmware file the phone's files name.
func (f PhoneFirmware) File() string {
	if f.Pinned {
		return f.Pin.File
	}
	return f.PluginFile
}

// phoneFirmware is the firmware part of a plugin phone of a snapshot.
type phoneFirmware struct {
	file    string // the plugin's FirmwareVar for the phone's model
	hasFile bool
	pin     FirmwarePin
	pinned  bool
}

// noteFirmware records, for phone pp whose files the plugin computed
// (files), the file the plugin names and the pin FirmwarePins gives.
func (ps *pluginSet) noteFirmware(pp *pluginPhone, mac string, files []plugin.File) {
	for _, f := range files {
		if v, ok := f.Context.Get(FirmwareVar); ok {
			pp.firmware.file, _ = v.(string)
			pp.firmware.hasFile = true
			break
		}
	}
	if ps.opts.Firmware == nil || pp.plugin == nil {
		return
	}
	if pin, ok := ps.opts.Firmware.FirmwarePin(pp.plugin.Name, mac); ok {
		pp.firmware.pin, pp.firmware.pinned = pin, true
		if ps.pins == nil {
			ps.pins = make(map[string]FirmwarePin)
		}
		ps.pins[mac] = pin
	}
}

// pinFirmware gives the files of the device with MAC mac (as provd.Device
// holds it) the firmware file its pin names.
func (ps *pluginSet) pinFirmware(mac string, files []plugin.File) {
	pin, ok := ps.pin(mac)
	if !ok {
		return
	}
	for _, f := range files {
		if f.Context.Has(FirmwareVar) {
			f.Context.Set(FirmwareVar, pin.File)
		}
	}
}

// pin returns the pin of the device with MAC mac, in any notation.
func (ps *pluginSet) pin(mac string) (FirmwarePin, bool) {
	if len(ps.pins) == 0 {
		return FirmwarePin{}, false
	}
	pin, ok := ps.pins[provd.FormatMAC(mac, "", false)]
	return pin, ok
}

// pinKey is what a file's reuse key adds for the device's pin.
func (ps *pluginSet) pinKey(mac string) string {
	pin, ok := ps.pin(mac)
	if !ok {
		return ""
	}
	if pin.Hold {
		return "\x00hold\x00" + pin.File
	}
	return "\x00pin\x00" + pin.File
}

// PhoneFirmware returns the firmware of the plugin phone with MAC mac (any
// notation); ok is false for a phone no plugin serves, or one waiting to be
// identified.
func (s *Snapshot) PhoneFirmware(mac string) (PhoneFirmware, bool) {
	if s.plugins == nil {
		return PhoneFirmware{}, false
	}
	m, ok := family.NormalizeMAC(mac)
	if !ok {
		return PhoneFirmware{}, false
	}
	pp := s.plugins.byMAC[m]
	if pp == nil || pp.plugin == nil {
		return PhoneFirmware{}, false
	}
	fw := pp.firmware
	return PhoneFirmware{MAC: m, Plugin: pp.plugin.Name, Vendor: pp.dev.Vendor, Model: pp.dev.Model,
		PluginFile: fw.file, HasFile: fw.hasFile, Pin: fw.pin, Pinned: fw.pinned}, true
}

// PluginDir returns the directory of the plugin loaded under name.
func (s *Snapshot) PluginDir(name string) (string, bool) {
	if s.plugins == nil {
		return "", false
	}
	p := s.plugins.byName[name]
	if p == nil {
		return "", false
	}
	return p.Dir, true
}

// FirmwareHeld reports whether phone mac (as configured) got a hold in s
// and had no pin in prev: a rollout took it in, holding it at the
// firmware it had. Its files may change (the firmware it had is named, or
// none, where the plugin named the new one), but nothing was edited that
// it needs now: re-sync leaves it alone.
func (s *Snapshot) FirmwareHeld(prev *Snapshot, mac string) bool {
	if s.plugins == nil || prev == nil {
		return false
	}
	pp := s.plugins.phones[s.Phone(mac)]
	if pp == nil || !pp.firmware.pinned || !pp.firmware.pin.Hold {
		return false
	}
	if prev.plugins == nil {
		return true
	}
	was := prev.plugins.phones[prev.Phone(mac)]
	return was == nil || !was.firmware.pinned
}

// A plugin phone's fingerprint covers its plugin's static files (a new
// language file re-syncs every phone of the plugin), except firmware
// files: a firmware file counts only for the phones whose files name it.
// Installing a firmware package then re-syncs exactly the phones pointed
// at it — not the phones of other models, not the phones a rollout holds.

// staticEntry is one static file of a plugin, as its phones' fingerprints
// describe it.
type staticEntry struct {
	name string
	fp   []byte // name, size, modification time
}

// firmwareStatics are a plugin's static files split for the fingerprints.
type firmwareStatics struct {
	base  []byte            // the sum of the files that are nobody's firmware
	files map[string][]byte // the firmware files' entries, by base name
}

// noteStatic records static file name of plugin p.
func (ps *pluginSet) noteStatic(p *plugin.Plugin, name string, st StaticState) {
	if ps.staticFiles == nil {
		ps.staticFiles = make(map[*plugin.Plugin][]staticEntry)
	}
	fp := append([]byte(name), 0)
	fp = binary.BigEndian.AppendUint64(fp, uint64(st.Size))
	fp = binary.BigEndian.AppendUint64(fp, uint64(st.ModTime.UnixNano()))
	ps.staticFiles[p] = append(ps.staticFiles[p], staticEntry{name: name, fp: fp})
}

// staticsOf is the static part of plugin phone pp's fingerprint.
func (ps *pluginSet) staticsOf(pp *pluginPhone) []byte {
	ps.fwOnce.Do(ps.splitStatics)
	fs := ps.fwStatics[pp.plugin]
	if fs == nil {
		return ps.staticSums[pp.plugin]
	}
	file := pp.firmware.file
	if pp.firmware.pinned {
		file = pp.firmware.pin.File
	}
	own := fs.files[file]
	return append(fs.base[:len(fs.base):len(fs.base)], own...)
}

// splitStatics splits each plugin's static files into the firmware files
// its phones name (the plugin's choice or a pin) and the others.
func (ps *pluginSet) splitStatics() {
	names := map[*plugin.Plugin]map[string]bool{}
	for _, pp := range ps.phones {
		if pp.plugin == nil || !pp.firmware.hasFile {
			continue
		}
		set := names[pp.plugin]
		if set == nil {
			set = map[string]bool{}
			names[pp.plugin] = set
		}
		for _, f := range []string{pp.firmware.file, pp.firmware.pin.File} {
			if f != "" {
				set[f] = true
			}
		}
	}
	ps.fwStatics = map[*plugin.Plugin]*firmwareStatics{}
	for p, entries := range ps.staticFiles {
		fs := &firmwareStatics{files: map[string][]byte{}}
		h := sha256.New()
		for _, e := range entries {
			if base := path.Base(e.name); names[p][base] {
				fs.files[base] = append(fs.files[base], e.fp...)
				continue
			}
			h.Write(e.fp)
		}
		if len(fs.files) == 0 {
			continue // no firmware among them: the plugin's sum, as for any static file
		}
		fs.base = h.Sum(nil)
		ps.fwStatics[p] = fs
	}
}

// FirmwareMoved reports whether a pin moved phone mac (as configured) to
// another firmware file since prev — a rollout's wave reached it, or an
// abort returned it to its old firmware — as opposed to a hold taking it
// in. The phone must be told, whatever else came with the change (the
// PBX's first answer, its identification).
func (s *Snapshot) FirmwareMoved(prev *Snapshot, mac string) bool {
	if s.plugins == nil || prev == nil || prev.plugins == nil {
		return false
	}
	pp := s.plugins.phones[s.Phone(mac)]
	was := prev.plugins.phones[prev.Phone(mac)]
	if pp == nil || was == nil || !pp.firmware.pinned || !pp.firmware.hasFile {
		return false
	}
	if !was.firmware.pinned {
		return !pp.firmware.pin.Hold && pp.firmware.pin.File != was.firmware.file
	}
	return pp.firmware.pin.File != was.firmware.pin.File
}
