package reload

import (
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Status is what the manager reports about itself (the admin /status).
type Status struct {
	Generation   uint64      `json:"generation"`
	LoadedAt     time.Time   `json:"loaded_at"`
	LoadTook     string      `json:"load_took"`
	RenderTook   string      `json:"render_took"` // pre-rendering and fingerprinting, after load_took
	Reloads      uint64      `json:"reloads"`
	ReloadErrors uint64      `json:"reload_errors"`
	LastReload   *ReloadInfo `json:"last_reload,omitempty"`
	LastError    *ErrorInfo  `json:"last_error"`
	// ServingLastGood is set while the configuration served is the saved
	// copy of the last good one because the live files are broken.
	ServingLastGood *LastGoodInfo `json:"serving_last_good,omitempty"`
	// NoLastGood says that the live files had errors at start and no last
	// good copy was saved to serve instead.
	NoLastGood string        `json:"no_last_good,omitempty"`
	Watching   WatchInfo     `json:"watching"`
	Profiles   int           `json:"profiles"`
	Phones     int           `json:"phones"`
	Routes     int           `json:"routes"`
	Problems   []ProblemInfo `json:"problems"`
}

// ReloadInfo describes the last successful swap: how many phones changed,
// and which (the first maxListed of each list). Changed counts every
// phone whose files changed: Notify of them had a change worth a NOTIFY,
// Quiet only changes in their profile's quiet_files (phone books).
type ReloadInfo struct {
	At        time.Time `json:"at"`
	Reason    string    `json:"reason"`
	Changed   int       `json:"changed"`
	Notify    int       `json:"changed_notify"`
	Quiet     int       `json:"changed_quiet"`
	Added     int       `json:"added"`
	Removed   int       `json:"removed"`
	Unchanged int       `json:"unchanged"`
	Phones    struct {
		Changed []string `json:"changed"`
		Quiet   []string `json:"changed_quiet"`
		Added   []string `json:"added"`
		Removed []string `json:"removed"`
	} `json:"phones"`
}

// maxListed bounds the MACs listed per kind of change in the status.
const maxListed = 100

// ErrorInfo describes the last failed reload; it is cleared by the next
// successful one.
type ErrorInfo struct {
	At       time.Time     `json:"at"`
	Reason   string        `json:"reason"`
	Message  string        `json:"message"`
	Problems []ProblemInfo `json:"problems,omitempty"`
}

// ProblemInfo is one diagnostic.
type ProblemInfo struct {
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// WatchInfo describes what is watched.
type WatchInfo struct {
	Files       int      `json:"files"`
	Directories []string `json:"directories"`
}

// Status returns a copy of the manager's status.
func (m *Manager) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.status
	if lg := s.ServingLastGood; lg != nil {
		c := *lg
		s.ServingLastGood = &c
	}
	s.Problems = append([]ProblemInfo(nil), s.Problems...)
	s.Watching.Directories = append([]string(nil), s.Watching.Directories...)
	return s
}

func problems(snap *phoneprov.Snapshot) []ProblemInfo {
	out := []ProblemInfo{}
	if snap == nil {
		return out
	}
	for _, d := range snap.Diagnostics {
		out = append(out, ProblemInfo{Severity: d.Severity.String(), Message: d.String()})
	}
	return out
}

func (m *Manager) recordSwap(sw Swap, watched int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := &m.status
	s.Generation = sw.Generation
	s.LoadedAt = time.Now()
	s.LoadTook = sw.Took.Round(time.Microsecond).String()
	s.RenderTook = sw.RenderTook.Round(time.Microsecond).String()
	if sw.Previous != nil {
		s.Reloads++
	}
	r := &ReloadInfo{
		At: s.LoadedAt, Reason: sw.Reason,
		Changed: len(sw.Changes.Changed) + len(sw.Changes.Quiet),
		Notify:  len(sw.Changes.Changed), Quiet: len(sw.Changes.Quiet),
		Added: len(sw.Changes.Added), Removed: len(sw.Changes.Removed),
		Unchanged: sw.Changes.Unchanged,
	}
	r.Phones.Changed = listed(sw.Changes.Changed)
	r.Phones.Quiet = listed(sw.Changes.Quiet)
	r.Phones.Added = listed(sw.Changes.Added)
	r.Phones.Removed = listed(sw.Changes.Removed)
	s.LastReload = r
	s.LastError = nil
	s.Profiles = len(sw.Snapshot.Profiles)
	s.Phones = len(sw.Snapshot.Phones())
	s.Routes = sw.Snapshot.RouteCount()
	s.Problems = problems(sw.Snapshot)
	s.Watching.Files = watched
}

func (m *Manager) recordError(reason string, err error, snap *phoneprov.Snapshot) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.status.ReloadErrors++
	info := &ErrorInfo{At: time.Now(), Reason: reason, Message: err.Error()}
	if snap != nil {
		for _, d := range snap.Errors() {
			info.Problems = append(info.Problems, ProblemInfo{Severity: d.Severity.String(), Message: d.String()})
		}
	}
	m.status.LastError = info
}

func (m *Manager) clearError() {
	m.failed, m.lastFailedSnap = nil, nil
	m.mu.Lock()
	m.status.LastError = nil
	m.mu.Unlock()
}

func (m *Manager) recordWatch(dirs []string) {
	m.mu.Lock()
	m.status.Watching.Directories = dirs
	m.mu.Unlock()
}

// listed returns at most maxListed entries of s, never nil.
func listed(s []string) []string {
	if len(s) > maxListed {
		s = s[:maxListed]
	}
	return append([]string{}, s...)
}
