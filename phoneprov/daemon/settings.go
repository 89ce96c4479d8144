package daemon

import (
	"slices"
	"sort"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// applied is what the daemon knows of the settings in force.
type applied struct {
	s            *settings.Settings
	at           time.Time
	generation   uint64
	changed      []string
	needsRestart map[string][]string // by part
	refused      map[string]string   // by part: why it kept its old settings
}

func (a *applied) init(s *settings.Settings) {
	a.s, a.at = s, time.Now()
	a.needsRestart = make(map[string][]string)
	a.refused = make(map[string]string)
}

// apply reconfigures every part with s, the settings of snapshot
// generation, unless they are those in force, and logs what changed and
// what needs a restart.
func (d *Daemon) apply(s *settings.Settings, generation uint64) {
	d.mu.Lock()
	old := d.applied.s
	d.mu.Unlock()
	if old != nil && s.Same(old) {
		return
	}
	changed := settings.Changed(old, s)
	restart := make(map[string][]string)
	refused := make(map[string]string)
	for _, p := range d.parts {
		r, ok := p.(Reconfigurer)
		if !ok {
			continue
		}
		needs, err := r.Reconfigure(s)
		if err != nil {
			refused[p.Name()] = err.Error()
			d.log.Error("a part cannot apply the new settings; it keeps its previous ones", "part", p.Name(), "error", err)
		}
		if len(needs) > 0 {
			restart[p.Name()] = needs
		}
	}
	d.mu.Lock()
	before := d.applied.needsRestart
	d.applied.s, d.applied.at, d.applied.generation, d.applied.changed = s, time.Now(), generation, changed
	d.applied.needsRestart, d.applied.refused = restart, refused
	d.mu.Unlock()
	d.log.Info("settings applied", "changed", changed, "generation", generation)
	for name, needs := range restart {
		for _, n := range needs {
			if !slices.Contains(before[name], n) {
				d.log.Warn("needs restart: "+n, "part", name)
			}
		}
	}
}

// SettingsStatus is the "settings" section of /status.
type SettingsStatus struct {
	// Files are phoneprovd.conf and the files it includes; none when the
	// defaults apply.
	Files []string `json:"files"`
	// AppliedAt is when the settings in force were applied, with the
	// snapshot of Generation (0: those the daemon started with).
	AppliedAt  time.Time `json:"applied_at"`
	Generation uint64    `json:"generation"`
	// Changed are the sections the last edit applied changed.
	Changed []string `json:"changed"`
	// NeedsRestart lists the settings that differ from those some part
	// still runs with, because only a restart can change them.
	NeedsRestart []string `json:"needs_restart"`
	// Refused lists the parts that could not apply the settings and keep
	// their previous ones, with why.
	Refused []string `json:"refused,omitempty"`
}

// SettingsStatus reports the settings in force.
func (d *Daemon) SettingsStatus() SettingsStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := &d.applied
	st := SettingsStatus{AppliedAt: a.at, Generation: a.generation, Files: []string{},
		Changed: append([]string{}, a.changed...), NeedsRestart: []string{}}
	if a.s != nil {
		files, _ := a.s.Inputs()
		for _, f := range files {
			if !f.Missing {
				st.Files = append(st.Files, f.Path)
			}
		}
	}
	for _, needs := range a.needsRestart {
		st.NeedsRestart = append(st.NeedsRestart, needs...)
	}
	sort.Strings(st.NeedsRestart)
	for name, why := range a.refused {
		st.Refused = append(st.Refused, name+": "+why)
	}
	sort.Strings(st.Refused)
	return st
}

// NeedsRestart formats a setting that changed but keeps the value it had
// at start until a restart: "[general] http changed (in force until a
// restart: 127.0.0.1:8080)". inForce "" leaves the value out (a secret,
// or a whole section).
func NeedsRestart(setting, inForce string) string {
	if inForce == "" {
		return setting + " changed (in force until a restart: its previous value)"
	}
	return setting + " changed (in force until a restart: " + inForce + ")"
}
