package reload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Run follows changes until ctx is done: it watches the directories of
// every file the snapshot depends on, coalesces bursts of events, compares
// the files with the snapshot and reloads when they differ; it also
// compares them every Rescan as a safety net, and serves Reload and Check.
// Start must have succeeded.
func (m *Manager) Run(ctx context.Context) error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		// Without inotify (e.g. its limits are exhausted) the periodic
		// rescan is all there is.
		m.log.Error("cannot watch files; only the periodic rescan will notice changes", "error", err)
		fsw = nil
	}
	ws := newWatchSet(fsw, m)
	defer ws.close()
	ws.update()

	var events <-chan fsnotify.Event
	var errs <-chan error
	if fsw != nil {
		events, errs = fsw.Events, fsw.Errors
	}
	var rescan periodic
	defer rescan.stop()
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	var deadline <-chan time.Time // bounds the wait during a burst
	pending := false

	run := func(reason string, force bool) Result {
		res := m.checkOrSkip(reason, force)
		ws.update()
		return res
	}
	// Anything that changed between the load and the watches being in place
	// would raise no event: compare once now.
	run("changed before watching began", false)
	for {
		_, every := m.timing.get()
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if !ws.relevant(ev) {
				continue
			}
			m.log.Debug("file event", "path", ev.Name, "op", ev.Op.String())
			debounce, _ := m.timing.get()
			quiet.Reset(debounce)
			if !pending {
				pending = true
				deadline = time.After(m.cfg.MaxDelay)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				m.log.Warn("file events were lost; rescanning everything")
				run("event overflow", false)
				continue
			}
			m.log.Warn("file watcher", "error", err)
		case <-quiet.C:
			pending, deadline = false, nil
			run("file change", false)
		case <-deadline:
			quiet.Stop()
			pending, deadline = false, nil
			run("file change", false)
		case <-rescan.follow(every):
			run("rescan", false)
		case r := <-m.reqs:
			r.done <- run(r.reason, r.force)
		}
	}
}

// checkOrSkip is check, except that files in the same state as when the
// last reload failed are not tried again until something changes (or the
// reload is forced).
func (m *Manager) checkOrSkip(reason string, force bool) Result {
	if !force && m.failed != nil && m.failedDeps.DiskState() == *m.failed {
		return Result{}
	}
	res := m.check(reason, force)
	if res.Err != nil {
		deps := m.cur.Load().deps
		if m.lastFailedSnap != nil {
			deps = deps.Merge(m.lastFailedSnap.Dependencies())
		}
		state := deps.DiskState()
		m.failed, m.failedDeps = &state, deps
	} else if res.Reloaded {
		m.failed, m.lastFailedSnap = nil, nil
	}
	return res
}

// watchSet keeps one fsnotify watch per directory that holds something the
// snapshot depends on, and filters events by name. Watching directories,
// not files, is what survives editors and tools that replace a file: vim's
// rename-save, sed -i, Ansible's tmp+rename, and Kubernetes' ..data
// symlink swap.
type watchSet struct {
	fsw  *fsnotify.Watcher
	m    *Manager
	dirs map[string]*dirRule
}

// dirRule says which names in a directory matter.
type dirRule struct {
	names    map[string]bool
	patterns []string // base-name glob patterns
	any      bool
}

func newWatchSet(fsw *fsnotify.Watcher, m *Manager) *watchSet {
	return &watchSet{fsw: fsw, m: m, dirs: make(map[string]*dirRule)}
}

func (ws *watchSet) close() {
	if ws.fsw != nil {
		ws.fsw.Close()
	}
}

// update recomputes the directories to watch from the current snapshot (and
// a failed one, whose new files must be watched too) and adjusts the
// watches.
func (ws *watchSet) update() {
	deps := ws.m.cur.Load().deps
	if ws.m.lastFailedSnap != nil {
		deps = deps.Merge(ws.m.lastFailedSnap.Dependencies())
	}
	want := rulesFor(deps)
	for dir := range ws.dirs {
		if _, ok := want[dir]; !ok && ws.fsw != nil {
			ws.fsw.Remove(dir)
		}
	}
	for dir := range want {
		if ws.fsw != nil {
			// Adding an existing watch is harmless, and re-adds one lost when
			// the directory was replaced.
			if err := ws.fsw.Add(dir); err != nil {
				ws.m.log.Warn("cannot watch directory", "dir", dir, "error", err)
			}
		}
	}
	ws.dirs = want
	list := make([]string, 0, len(want))
	for d := range want {
		list = append(list, d)
	}
	sort.Strings(list)
	ws.m.recordWatch(list)
}

// relevant reports whether an event may concern a dependency.
func (ws *watchSet) relevant(ev fsnotify.Event) bool {
	rule := ws.dirs[filepath.Dir(ev.Name)]
	if rule == nil {
		return false
	}
	name := filepath.Base(ev.Name)
	if rule.any || rule.names[name] || strings.HasPrefix(name, "..") {
		return true
	}
	for _, p := range rule.patterns {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

// rulesFor computes the watch rules for a set of dependencies.
func rulesFor(deps phoneprov.Dependencies) map[string]*dirRule {
	rules := make(map[string]*dirRule)
	rule := func(dir string) *dirRule {
		r := rules[dir]
		if r == nil {
			r = &dirRule{names: make(map[string]bool)}
			rules[dir] = r
		}
		return r
	}
	addPath := func(p string) {
		dir, name := existingAncestor(filepath.Dir(p), filepath.Base(p))
		rule(dir).names[name] = true
		// A symlinked file is also watched where it points.
		if target, err := filepath.EvalSymlinks(p); err == nil && target != p {
			rule(filepath.Dir(target)).names[filepath.Base(target)] = true
		}
	}
	for _, p := range deps.Paths() {
		addPath(p)
	}
	for _, pat := range deps.Patterns {
		base, rest := splitGlob(pat.Pattern)
		dir, name := existingAncestor(base, "")
		r := rule(dir)
		switch {
		case name != "" || strings.ContainsRune(rest, filepath.Separator) || strings.ContainsAny(rest, "{\\"):
			if name != "" {
				r.names[name] = true
			} else {
				r.any = true
			}
		default:
			r.patterns = append(r.patterns, rest)
		}
		for _, m := range pat.Matches {
			addPath(m)
		}
	}
	return rules
}

// existingAncestor walks up from dir to the nearest directory that exists;
// name is then the component below it on the way to what is wanted (so its
// creation is noticed).
func existingAncestor(dir, name string) (string, string) {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, name
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir, name
		}
		dir, name = parent, filepath.Base(dir)
	}
}

// splitGlob splits an absolute pattern into the directory before its first
// wildcard component and the rest.
func splitGlob(pattern string) (dir, rest string) {
	parts := strings.Split(pattern, string(filepath.Separator))
	for i, p := range parts {
		if strings.ContainsAny(p, "*?[{\\") {
			return filepath.Join("/", filepath.Join(parts[:i]...)), strings.Join(parts[i:], string(filepath.Separator))
		}
	}
	return filepath.Dir(pattern), filepath.Base(pattern)
}
