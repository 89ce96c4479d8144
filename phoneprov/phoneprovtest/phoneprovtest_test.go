package phoneprovtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

const (
	phoneprovConf = "[general]\ndefault_profile = p\n[p]\nstatic_file => fw.bin\n${MAC}.cfg => t.cfg\n"
	usersConf     = "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n"
)

func TestSite(t *testing.T) {
	site := phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":   phoneprovConf,
		"etc/users.conf":       usersConf,
		"lib/phoneprov/t.cfg":  "user=${USERNAME} server=${SERVER} dst=${DST_ENABLE}\n",
		"lib/phoneprov/fw.bin": "\x00firmware",
	})
	if got, err := os.ReadFile(site.Path("lib/phoneprov/fw.bin")); err != nil || string(got) != "\x00firmware" {
		t.Fatalf("fw.bin = %q, %v", got, err)
	}
	if site.Options.ConfigDir != site.Path("etc") || site.Options.DataDir != site.Path("lib") {
		t.Errorf("Options point at %s and %s", site.Options.ConfigDir, site.Options.DataDir)
	}
	snap := site.Load()
	if !snap.LoadedAt.Equal(phoneprovtest.Now) {
		t.Errorf("LoadedAt %v, want the site's clock %v", snap.LoadedAt, phoneprovtest.Now)
	}
	// On 22 Nov 2026 in UTC there is no DST: DST_ENABLE is empty.
	if got := site.Render(snap, "0004f2000001.cfg", "192.0.2.1"); got != "user=6001 server=192.0.2.1 dst=\n" {
		t.Errorf("render = %q", got)
	}
	site.Edit("etc/users.conf", "username = 6001", "username = 6002")
	if got := site.Render(site.Load(), "0004f2000001.cfg", "192.0.2.1"); !strings.HasPrefix(got, "user=6002 ") {
		t.Errorf("after Edit: %q", got)
	}
	if src := phoneprovtest.Fixed(snap); src.Snapshot() != snap {
		t.Error("Fixed hands out another snapshot")
	}
	if phoneprovtest.Fixed(nil).Snapshot() != nil {
		t.Error("Fixed(nil) hands out a snapshot")
	}
}

func TestDedent(t *testing.T) {
	got := phoneprovtest.Dedent(`
		[general]
		default_profile = p
	`)
	if want := "\t[general]\n\tdefault_profile = p\n"; got != want {
		t.Errorf("Dedent = %q, want %q", got, want)
	}
	if got := phoneprovtest.Dedent("\n\ta\n\t\tb\n"); got != "a\n\tb\n" {
		t.Errorf("Dedent = %q", got)
	}
}

func TestRecorderWait(t *testing.T) {
	var rec phoneprovtest.Recorder[string]
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * time.Millisecond)
			rec.Record(fmt.Sprintf("%d.cfg", i%2))
		})
	}
	odd := rec.Wait(t, 10, func(s string) bool { return s == "1.cfg" })
	if len(odd) < 10 {
		t.Errorf("Wait returned %d records", len(odd))
	}
	wg.Wait()
	if all := rec.All(); len(all) != 20 {
		t.Errorf("All = %d records, want 20", len(all))
	}
}

func TestRecorderWaitTimesOut(t *testing.T) {
	defer func(d time.Duration) { phoneprovtest.WaitTimeout = d }(phoneprovtest.WaitTimeout)
	phoneprovtest.WaitTimeout = 20 * time.Millisecond
	var rec phoneprovtest.Recorder[int]
	rec.Record(1)
	ft := &fatalT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		rec.Wait(ft, 2, nil)
	}()
	<-done
	if !ft.failed {
		t.Error("Wait for a record that never came did not fail the test")
	}
}

// fatalT records a Fatalf instead of ending the test.
type fatalT struct {
	testing.TB
	failed bool
}

func (f *fatalT) Helper() {}

func (f *fatalT) Fatalf(string, ...any) {
	f.failed = true
	runtime.Goexit()
}

// TestServeAndRecord is the package's use in a test: a site served over
// HTTP, with what was served recorded.
func TestServeAndRecord(t *testing.T) {
	site := phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":  phoneprovConf,
		"etc/users.conf":      usersConf,
		"lib/phoneprov/t.cfg": "user=${USERNAME}\n",
	})
	var served phoneprovtest.Recorder[httpserver.Served]
	srv := httptest.NewServer(httpserver.NewHandler(phoneprovtest.Fixed(site.Load()),
		httpserver.Config{OnServe: served.Record}))
	defer srv.Close()

	for _, uri := range []string{"0004f2000001.cfg", "nothing.cfg"} {
		resp, err := http.Get(srv.URL + "/phoneprov/" + uri)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if uri == "0004f2000001.cfg" && (resp.StatusCode != 200 || string(body) != "user=6001\n") {
			t.Errorf("%s: %s %q", uri, resp.Status, body)
		}
	}
	got := served.Wait(t, 2, nil)
	if got[0].URI != "0004f2000001.cfg" || got[0].Status != 200 || got[0].Bytes != 10 ||
		got[1].URI != "nothing.cfg" || got[1].Status != 404 || got[1].Route != nil {
		t.Errorf("served %+v, %+v", got[0], got[1])
	}
}
