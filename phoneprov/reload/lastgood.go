package reload

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// LastGoodInfo says that the configuration served is the saved copy of
// the last good one, and why (the /status config.serving_last_good).
type LastGoodInfo struct {
	Since time.Time `json:"since"`
	// Copy describes the saved copy (how many files, when saved).
	Copy string `json:"copy"`
	// Why is what is wrong with the live files.
	Why      string        `json:"why"`
	Problems []ProblemInfo `json:"problems,omitempty"`
}

// noLastGood is what Start says when the live files are broken and no
// copy of a good configuration is saved.
const noLastGood = "no last good configuration is saved to serve instead"

// startState is what startLoad found, for afterStart.
type startState struct {
	live    *phoneprov.Snapshot // the live files' snapshot, when not served
	liveErr error
}

// startLoad builds the first snapshot: from the live files, unless they
// fail to load or have errors the saved last good copy does not have —
// then from the copy. Without a copy it says so plainly.
func (m *Manager) startLoad(s *settings.Settings) (*phoneprov.Snapshot, error) {
	live, err := m.loader.Load(s)
	if !m.lastGood || (err == nil && len(live.Errors()) == 0) {
		return live, err
	}
	why := err
	if why == nil {
		why = errors.New(strings.Join(errorTexts(live.Errors()), "; "))
	}
	good, desc, gerr := m.loader.LastGood(s)
	none := noLastGood
	switch {
	case gerr != nil:
		none = fmt.Sprintf("the saved last good configuration cannot be used (%v)", gerr)
		m.log.Error("the saved last good configuration cannot be used", "error", gerr)
	case good != nil && err == nil && len(newErrors(good, live)) == 0:
		// The copy has the same errors: the live files are no worse.
		return live, nil
	case good != nil:
		m.log.Error("the configuration files are broken; serving the last good configuration instead until they are fixed",
			"copy", desc, "error", why)
		m.fromLastGood = true
		m.start = &startState{live: live, liveErr: why}
		m.mu.Lock()
		m.status.ServingLastGood = &LastGoodInfo{Since: time.Now(), Copy: desc, Why: why.Error(), Problems: errorProblems(live)}
		m.mu.Unlock()
		return good, nil
	}
	m.mu.Lock()
	m.status.NoLastGood = fmt.Sprintf("the configuration has errors and %s: %s", none, why)
	m.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, none)
	}
	m.log.Error("the configuration has errors and "+none+"; serving what loads", "error", why)
	return live, nil
}

// afterStart records, when Start served the last good copy, the live
// files' error as the last error and their state as already tried, so
// that they are retried only once they change.
func (m *Manager) afterStart() {
	st := m.start
	m.start = nil
	if st == nil {
		return
	}
	m.lastFailedSnap = st.live
	m.recordError("start", st.liveErr, st.live)
	if m.cfg.OnError != nil {
		m.cfg.OnError(st.liveErr)
	}
	deps := m.cur.Load().deps
	if st.live != nil {
		deps = deps.Merge(st.live.Dependencies())
	}
	state := deps.DiskState()
	m.failed, m.failedDeps = &state, deps
}

// liveServed records that a snapshot of the live files is being swapped
// in: the last good copy, or the lack of one, is no longer the story.
func (m *Manager) liveServed(reloading bool) {
	m.mu.Lock()
	was := m.status.ServingLastGood
	m.status.ServingLastGood = nil
	if reloading {
		m.status.NoLastGood = ""
	}
	m.mu.Unlock()
	if was != nil {
		m.log.Info("the configuration files load again; they replace the last good configuration")
	}
}

// Degraded returns why the configuration served is not the live files'
// ("" when it is): for /readyz, which stays 200.
func (m *Manager) Degraded() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if lg := m.status.ServingLastGood; lg != nil {
		return fmt.Sprintf("serving the last good configuration (%s) because the configuration files are broken: %s", lg.Copy, lg.Why)
	}
	return m.status.NoLastGood
}

func errorTexts(ds []phoneprov.Diagnostic) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

func errorProblems(snap *phoneprov.Snapshot) []ProblemInfo {
	if snap == nil {
		return nil
	}
	var out []ProblemInfo
	for _, d := range snap.Errors() {
		out = append(out, ProblemInfo{Severity: d.Severity.String(), Message: d.String()})
	}
	return out
}
