package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
)

// journal records what parts were told, in order, from any goroutine.
type journal struct {
	mu  sync.Mutex
	log []string
}

func (j *journal) add(format string, args ...any) {
	j.mu.Lock()
	j.log = append(j.log, fmt.Sprintf(format, args...))
	j.mu.Unlock()
}

func (j *journal) events() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.log)
}

// recorder is a part that records every hook into j, with a worker that
// records when its context ends.
func recorder(j *journal, name string) *Funcs {
	return &Funcs{
		PartName: name,
		OnStart: func(ctx context.Context, h *Host) error {
			j.add("%s start", name)
			h.Go(func(ctx context.Context) {
				<-ctx.Done()
				j.add("%s worker done", name)
			})
			return nil
		},
		OnStop:        func(context.Context) error { j.add("%s stop", name); return nil },
		OnSwapped:     func(sw reload.Swap) { j.add("%s swapped %d", name, sw.Generation) },
		OnFetched:     func(mac string, gen uint64) { j.add("%s fetched %s %d", name, mac, gen) },
		OnAdminRoutes: func(*admin.Server) { j.add("%s routes", name) },
		OnStatus:      func() any { return map[string]string{"part": name} },
	}
}

func TestLifecycle(t *testing.T) {
	var j journal
	a := admin.New("test")
	d := New(Config{Admin: a})
	// "quiet" has no Start: it is still stopped in its turn.
	quiet := &Funcs{PartName: "quiet", OnStop: func(context.Context) error { j.add("quiet stop"); return nil }}
	if err := d.Start(context.Background(), recorder(&j, "a"), quiet, recorder(&j, "b")); err != nil {
		t.Fatal(err)
	}
	d.Swapped(reload.Swap{Generation: 1})
	d.Fetched("0004f2000001", 1)
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"a routes", "b routes", // every part's routes before any starts
		"a start", "b start",
		"a swapped 1", "b swapped 1",
		"a fetched 0004f2000001 1", "b fetched 0004f2000001 1",
		"b stop", "b worker done", // a part's workers end before the parts before it stop
		"quiet stop",
		"a stop", "a worker done",
	}
	if got := j.events(); !slices.Equal(got, want) {
		t.Errorf("events\n%q\nwant\n%q", got, want)
	}
	// Sections by part name; a part without status has none.
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", "/status", nil))
	var st map[string]json.RawMessage
	json.Unmarshal(rec.Body.Bytes(), &st)
	if string(st["a"]) != "{\n    \"part\": \"a\"\n  }" || st["quiet"] != nil || st["settings"] == nil {
		t.Errorf("/status: %s", rec.Body)
	}
}

func TestStartFailureStopsWhatStarted(t *testing.T) {
	var j journal
	d := New(Config{})
	failing := recorder(&j, "b")
	failing.OnStart = func(context.Context, *Host) error { j.add("b start"); return errors.New("port in use") }
	err := d.Start(context.Background(), recorder(&j, "a"), failing, recorder(&j, "c"))
	if err == nil || err.Error() != "b: port in use" {
		t.Fatalf("err = %v", err)
	}
	d.Stop(context.Background())
	want := []string{"a start", "b start", "b stop", "a stop", "a worker done"}
	if got := j.events(); !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

func TestNamesAreUnique(t *testing.T) {
	d := New(Config{})
	if err := d.Start(context.Background(), &Funcs{PartName: "x"}, &Funcs{PartName: "x"}); err == nil {
		t.Error("two parts named x")
	}
}

func TestFail(t *testing.T) {
	d := New(Config{})
	p := &Funcs{PartName: "tftp", OnStart: func(_ context.Context, h *Host) error {
		h.Go(func(context.Context) { h.Fail(errors.New("socket closed")) })
		return nil
	}}
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.Err():
		if err.Error() != "tftp: socket closed" {
			t.Errorf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no failure reported")
	}
	d.Stop(context.Background())
}

func TestStopGivesUpOnStuckWorkers(t *testing.T) {
	d := New(Config{})
	release := make(chan struct{})
	defer close(release)
	p := &Funcs{PartName: "stuck", OnStart: func(_ context.Context, h *Host) error {
		h.Go(func(context.Context) { <-release }) // ignores its context
		return nil
	}}
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := d.Stop(ctx); err == nil || !strings.Contains(err.Error(), "stopping stuck: its workers did not return in time") {
		t.Errorf("err = %v", err)
	}
}

func TestHostFetched(t *testing.T) {
	var j journal
	d := New(Config{})
	server := &Funcs{PartName: "http", OnStart: func(_ context.Context, h *Host) error {
		h.Fetched("0004f2000001", 7)
		return nil
	}}
	// A Fetcher listed after the part that serves hears about it too.
	if err := d.Start(context.Background(), server, recorder(&j, "resync")); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(j.events(), "resync fetched 0004f2000001 7") {
		t.Errorf("events %q", j.events())
	}
}

func TestCheckSettings(t *testing.T) {
	d := New(Config{})
	ok := &Funcs{PartName: "ok", OnCheckSettings: func(*settings.Settings) error { return nil }}
	bad := &Funcs{PartName: "bad", OnCheckSettings: func(s *settings.Settings) error {
		return fmt.Errorf("%s: tls_cert: no such file", s.Where("security", "tls_cert"))
	}}
	if err := d.Start(context.Background(), ok, bad); err != nil {
		t.Fatal(err)
	}
	if err := d.CheckSettings(settings.Defaults()); err == nil || err.Error() != "phoneprovd.conf: tls_cert: no such file" {
		t.Errorf("err = %v", err)
	}
}

func TestReconfigure(t *testing.T) {
	var j journal
	var logs testlog.Buffer
	a := admin.New("test")
	start := settingstest.Load(t, "[general]\nhttp = 127.0.0.1:8080\n")
	d := New(Config{Admin: a, Settings: start, Logger: logs.Logger()})
	// http keeps its listener; it reports a change of it until a restart.
	http := &Funcs{PartName: "http", OnReconfigure: func(s *settings.Settings) ([]string, error) {
		j.add("http reconfigure %s", s.General.HTTP)
		if s.General.HTTP != start.General.HTTP {
			return []string{NeedsRestart("[general] http", start.General.HTTP)}, nil
		}
		return nil, nil
	}}
	sec := &Funcs{PartName: "security", OnReconfigure: func(s *settings.Settings) ([]string, error) {
		if len(s.Security.HTTPAllow) > 1 {
			return nil, errors.New("cannot")
		}
		j.add("security reconfigure %v", s.Security.HTTPAllow)
		return nil, nil
	}, OnSwapped: func(reload.Swap) { j.add("security swapped") }}
	if err := d.Start(context.Background(), http, sec); err != nil {
		t.Fatal(err)
	}
	status := func() SettingsStatus {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("GET", "/status", nil))
		var st struct{ Settings SettingsStatus }
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		return st.Settings
	}

	// The same values again (a reload of another file): nothing to apply.
	d.Swapped(reload.Swap{Generation: 2, Settings: settingstest.Load(t, "[general]\nhttp = 127.0.0.1:8080\n")})
	if got := j.events(); !slices.Equal(got, []string{"security swapped"}) {
		t.Errorf("same settings: %q", got)
	}
	// [security] and [general] http change: applied before the swap is
	// announced; http needs a restart, said once in the log.
	for gen := uint64(3); gen <= 4; gen++ {
		d.Swapped(reload.Swap{Generation: gen, Settings: settingstest.Load(t, fmt.Sprintf("[general]\nhttp = 127.0.0.1:9090\n[security]\nhttp_allow = 10.0.0.%d\n", gen))})
	}
	want := []string{"security swapped",
		"http reconfigure 127.0.0.1:9090", "security reconfigure [10.0.0.3/32]", "security swapped",
		"http reconfigure 127.0.0.1:9090", "security reconfigure [10.0.0.4/32]", "security swapped"}
	if got := j.events(); !slices.Equal(got, want) {
		t.Errorf("events\n%q\nwant\n%q", got, want)
	}
	st := status()
	if !slices.Equal(st.NeedsRestart, []string{"[general] http changed (in force until a restart: 127.0.0.1:8080)"}) ||
		st.Generation != 4 || !slices.Equal(st.Changed, []string{"[security]"}) || len(st.Files) != 1 || len(st.Refused) != 0 {
		t.Errorf("status %+v", st)
	}
	if n := strings.Count(logs.String(), "needs restart: [general] http changed"); n != 1 {
		t.Errorf("the restart was logged %d times:\n%s", n, logs.String())
	}
	// A part that cannot apply them says so; one restored to its value at
	// start no longer needs a restart.
	d.Swapped(reload.Swap{Generation: 5, Settings: settingstest.Load(t, "[general]\nhttp = 127.0.0.1:8080\n[security]\nhttp_allow = 10.0.0.1, 10.0.0.2\n")})
	st = status()
	if len(st.NeedsRestart) != 0 || !slices.Equal(st.Refused, []string{"security: cannot"}) {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(logs.String(), `"msg":"a part cannot apply the new settings; it keeps its previous ones","part":"security","error":"cannot"`) {
		t.Errorf("log:\n%s", logs.String())
	}
}
