package console

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/console/browsertest"
	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// The console in a real browser: Debian's chromium, headless, driven
// over the DevTools protocol. One browser serves every test of the
// package.

var (
	browserOnce sync.Once
	browser     *browsertest.Browser
	browserErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browser != nil {
		browser.Close()
	}
	os.Exit(code)
}

// page opens a tab of the shared browser.
func page(t *testing.T) (*browsertest.Page, context.Context) {
	t.Helper()
	browserOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
		defer cancel()
		browser, browserErr = browsertest.Start(ctx)
	})
	if browserErr == browsertest.ErrNoChromium {
		testtool.Missing(t, "chromium (Debian package chromium)")
	}
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	p, err := browser.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(context.Background()) })
	return p, ctx
}

// fleetRows returns the MACs the fleet table shows.
func fleetRows(t *testing.T, ctx context.Context, p *browsertest.Page) []string {
	t.Helper()
	var macs []string
	if err := p.Eval(ctx, `[...document.querySelectorAll("#fleet tr.phone")].map(r => r.dataset.mac)`, &macs); err != nil {
		t.Fatal(err)
	}
	return macs
}

func TestBrowserFleetPhoneResyncForgery(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	p, ctx := page(t)

	// The fleet lists the site's phones and the unknown device.
	if err := p.Navigate(ctx, s.srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	want := []string{"0004f2a10001", "0004f2a10002", "00562ba10005", "805ec0a10003", "805ec0a10004", unknownYealink}
	if got := fleetRows(t, ctx, p); !slices.Equal(got, want) {
		t.Fatalf("the fleet shows %q, want %q", got, want)
	}

	// Choosing a vendor narrows it (the script submits the filters as
	// soon as one changes)…
	if err := p.Do(ctx, `(() => { const s = document.querySelector("select[name=vendor]"); s.value = "Yealink"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`); err != nil {
		t.Fatal(err)
	}
	if got := fleetRows(t, ctx, p); !slices.Equal(got, []string{"805ec0a10003", "805ec0a10004", unknownYealink}) {
		t.Errorf("vendor Yealink: %q", got)
	}
	// …and so does the Filter button, as it does without the script.
	if err := p.Eval(ctx, `document.querySelector("select[name=show]").value = "configured"`, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.ClickAndWait(ctx, "#apply"); err != nil {
		t.Fatal(err)
	}
	if got := fleetRows(t, ctx, p); !slices.Equal(got, []string{"805ec0a10003", "805ec0a10004"}) {
		t.Errorf("Yealink, configured: %q", got)
	}

	// A phone's page: its files, the password masked, also once shown.
	if err := p.Navigate(ctx, s.srv.URL+"/?q=6001"); err != nil {
		t.Fatal(err)
	}
	if err := p.ClickAndWait(ctx, `a[href="/phones/0004f2a10001"]`); err != nil {
		t.Fatal(err)
	}
	if err := p.Click(ctx, "details.file summary"); err != nil { // open the first file
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.querySelector("details.file").open`); err != nil {
		t.Fatal(err)
	}
	text, err := p.Text(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0004f2a10001.cfg", "0004f2a10001-directory.xml", `reg.1.auth.password="` + Mask + `"`, `reg.1.label.note="x` + Mask + `y"`, "PJSIP/6011"} {
		if !strings.Contains(text, want) {
			t.Errorf("the phone page does not show %s:\n%s", want, text)
		}
	}
	html, _ := p.HTML(ctx)
	s.noSecret("the phone page in the browser", html)

	// The re-sync button sends one NOTIFY through the AMI fake.
	if err := p.ClickAndWait(ctx, "#resync-button"); err != nil {
		t.Fatal(err)
	}
	if text, _ := p.Text(ctx); !strings.Contains(text, "Re-sync queued") {
		t.Errorf("after the click:\n%s", text)
	}
	s.waitNotifies(1)
	got := s.notifies()
	if len(got) != 1 || got[0].Endpoint != "6001" {
		t.Fatalf("NOTIFYs after one click: %+v", got)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("the console's pages had errors: %q", errs)
	}

	// A page of another origin (another loopback port) posting the same
	// form, in the same browser, with the console's cookie: refused.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><form id="f" method="post" action="%s/phones/0004f2a10001/resync">
<input type="hidden" name="csrf" value="guessed"></form><script>document.getElementById("f").submit()</script>`, s.srv.URL)
	}))
	defer evil.Close()
	if err := p.Navigate(ctx, evil.URL+"/"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `location.href.startsWith(`+jsString(s.srv.URL)+`) && document.getElementById("error")`); err != nil {
		t.Fatal(err)
	}
	text, _ = p.Text(ctx)
	if !strings.Contains(text, "403 Forbidden") || !strings.Contains(text, "cross-origin request refused") {
		t.Errorf("the forged POST was answered:\n%s", text)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(s.notifies()); n != 1 {
		t.Errorf("%d NOTIFYs after the forged POST, want still 1", n)
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var update = flag.Bool("update", false, "write the screenshots of docs/ again")

// TestScreenshots renders the fleet page and a phone page of a site of
// 60 phones in the browser; with -update it writes them to docs/ for the
// README.
func TestScreenshots(t *testing.T) {
	s := newTestSite(t, siteOptions{extra: generatedPhones(60)})
	// Re-syncs in every state: notified, confirmed, failed.
	snap := s.manager.Snapshot()
	s.ami.RemoveEndpoint("7004")
	var macs []string
	for _, ph := range s.phones[5:20] {
		macs = append(macs, ph.mac)
	}
	macs = append(macs, "0004f2a10001")
	if _, err := s.console.cfg.Resync.Request(macs); err != nil {
		t.Fatal(err)
	}
	s.waitNotifies(len(macs) - 1)
	for _, ph := range s.phones[5:12] {
		s.resyncer.Fetched(ph.mac, snap.Generation())
	}
	p, ctx := page(t)
	shots := []struct {
		path, file string
		height     int
		prepare    string
	}{
		{"/", "console-fleet.png", 900, ""},
		{"/phones/0004f2a10001", "console-phone.png", 1250, `document.querySelector("details.file").open = true`},
	}
	for _, shot := range shots {
		if err := p.Navigate(ctx, s.srv.URL+shot.path); err != nil {
			t.Fatal(err)
		}
		if shot.prepare != "" {
			if err := p.Eval(ctx, shot.prepare, nil); err != nil {
				t.Fatal(err)
			}
		}
		png, err := p.Screenshot(ctx, 1280, shot.height, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(png) < 10000 {
			t.Errorf("%s: a %d-byte screenshot", shot.path, len(png))
		}
		if *update {
			if err := os.WriteFile("../docs/"+shot.file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote docs/%s (%d bytes)", shot.file, len(png))
		} else if _, err := os.Stat("../docs/" + shot.file); err != nil {
			t.Errorf("docs/%s is missing: go test ./console -run TestScreenshots -update", shot.file)
		}
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("errors in the pages: %q", errs)
	}
}
