package rollout

import (
	"time"
)

// States of a rollout.
const (
	// Pending: created, the selected phones held; the first wave starts
	// at the next check (once the package is installed).
	Pending = "pending"
	// Running: a wave is under way, or the next one is about to start.
	Running = "running"
	// Paused by the administrator: no new wave starts; the phones of the
	// wave under way are still followed.
	Paused = "paused"
	// Halted: a wave's failures reached its threshold. The phones of the
	// later waves keep their old configuration; resume accepts the
	// failures and goes on, abort returns every phone not upgraded to its
	// old configuration.
	Halted = "halted"
	// Done: every wave succeeded. The rollout no longer chooses the
	// phones' firmware file: the plugin does again (the same file).
	Done = "done"
	// Aborted: the phones not upgraded are held at their old firmware
	// until another rollout takes them.
	Aborted = "aborted"
)

// active reports whether a rollout in state st may still change.
func active(st string) bool {
	return st == Pending || st == Running || st == Paused || st == Halted
}

// Statuses of a phone in a rollout.
const (
	// Waiting: its wave has not started; it is served its old
	// configuration.
	Waiting = "waiting"
	// Upgrading: its wave started; it is served the new firmware and
	// followed step by step.
	Upgrading = "upgrading"
	// Upgraded: it fetched its configuration and the firmware, registered
	// again and reports the new version.
	Upgraded = "upgraded"
	// Failed: a step did not happen in time (Step, Reason).
	Failed = "failed"
	// Current: it already ran the new version when the rollout was
	// created; it is in no wave.
	Current = "current"
	// Reverted: the rollout was aborted before it upgraded; it is served
	// its old configuration again.
	Reverted = "reverted"
)

// The steps a phone goes through, named in failures.
const (
	StepConfig   = "config"   // fetch its new configuration
	StepFirmware = "firmware" // fetch the firmware file
	StepRegister = "register" // register again after fetching it
	StepVersion  = "version"  // report the new version in its User-Agent
)

// Rollout is one rollout, as saved and as the API shows it (without its
// phones in the list).
type Rollout struct {
	ID      string `json:"id"`
	Seq     int    `json:"seq"`
	Plugin  string `json:"plugin"`
	Package string `json:"package"`
	// Version is the package's firmware version, which the phones must
	// report; File the file name their configuration names, Route where
	// it is served (relative to var/tftpboot; known once the package is
	// installed).
	Version string   `json:"version"`
	File    string   `json:"file"`
	Route   string   `json:"route,omitempty"`
	Vendor  string   `json:"vendor,omitempty"`
	Models  []string `json:"models"`
	// From are the versions the phones reported when it was created.
	From     []string `json:"from,omitempty"`
	Settings Settings `json:"settings"`

	State   string    `json:"state"`
	Wave    int       `json:"wave"` // the wave under way or last started, -1 before the first
	Waves   []Wave    `json:"waves"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	Message string    `json:"message,omitempty"`

	phones []*Phone
	index  map[string]*Phone // by MAC
}

// Settings are what the administrator asked.
type Settings struct {
	Waves       string        `json:"waves"`
	Select      []string      `json:"select,omitempty"`
	MACs        int           `json:"macs,omitempty"` // MACs given as a list
	Deadline    time.Duration `json:"deadline"`
	MaxFailures string        `json:"max_failures"`
}

// Wave is one wave of a rollout.
type Wave struct {
	Size      int       `json:"size"`
	Threshold int       `json:"threshold"` // failed phones that halt it
	Started   time.Time `json:"started,omitzero"`
	Ended     time.Time `json:"ended,omitzero"`
	// Result is "", "succeeded" or "halted".
	Result string `json:"result,omitempty"`
	// Accepted: resumed after it halted, its failures accepted.
	Accepted bool `json:"accepted,omitempty"`
}

// Phone is one phone of a rollout.
type Phone struct {
	MAC       string   `json:"mac"` // 12 lower-case hex digits
	Order     int      `json:"order"`
	Model     string   `json:"model"`
	Profile   string   `json:"profile,omitempty"`
	Endpoints []string `json:"endpoints,omitempty"`
	// Old is the firmware file it is held at ("" for none); From the
	// version it reported when the rollout was created.
	Old  string `json:"old"`
	From string `json:"from,omitempty"`
	Wave int    `json:"wave"` // index, -1 for a phone already current

	Status string `json:"status"`
	// When each step happened: its wave started, its new configuration
	// was first served, it fetched it, the firmware, registered, and
	// reported the new version.
	Started    time.Time `json:"started,omitzero"`
	Served     time.Time `json:"served,omitzero"`
	Config     time.Time `json:"config,omitzero"`
	Firmware   time.Time `json:"firmware,omitzero"`
	Registered time.Time `json:"registered,omitzero"` // the latest registration seen
	Version    time.Time `json:"version,omitzero"`
	Ended      time.Time `json:"ended,omitzero"`
	// How the configuration and the firmware were fetched: http, tftp, or
	// implied by a later step.
	ConfigVia   string `json:"config_via,omitempty"`
	FirmwareVia string `json:"firmware_via,omitempty"`
	// Reported is the firmware version its User-Agent reported last.
	Reported string `json:"reported,omitempty"`
	// Step and Reason say why it failed.
	Step   string `json:"step,omitempty"`
	Reason string `json:"reason,omitempty"`

	r         *Rollout
	served    bool   // its new configuration is served
	servedGen uint64 // from this snapshot generation on
}

// Summary is a rollout with its phones counted.
type Summary struct {
	Rollout
	Phones    int `json:"phones"`
	Waiting   int `json:"waiting"`
	Upgrading int `json:"upgrading"`
	Upgraded  int `json:"upgraded"`
	Failed    int `json:"failed"`
	Current   int `json:"current"`
	Reverted  int `json:"reverted"`
}

// Detail is a rollout with its phones.
type Detail struct {
	Summary
	PhoneList []Phone `json:"phone_list"`
}

// summary counts r's phones.
func (r *Rollout) summary() Summary {
	s := Summary{Rollout: *r, Phones: len(r.phones)}
	s.Rollout.phones, s.Rollout.index = nil, nil
	s.Models = append([]string(nil), r.Models...)
	s.From = append([]string(nil), r.From...)
	s.Waves = append([]Wave(nil), r.Waves...)
	s.Settings.Select = append([]string(nil), r.Settings.Select...)
	for _, p := range r.phones {
		switch p.Status {
		case Waiting:
			s.Waiting++
		case Upgrading:
			s.Upgrading++
		case Upgraded:
			s.Upgraded++
		case Failed:
			s.Failed++
		case Current:
			s.Current++
		case Reverted:
			s.Reverted++
		}
	}
	return s
}

// ofWave returns the phones of wave w.
func (r *Rollout) ofWave(w int) []*Phone {
	var out []*Phone
	for _, p := range r.phones {
		if p.Wave == w {
			out = append(out, p)
		}
	}
	return out
}
