package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

var rowMAC = regexp.MustCompile(`<tr class="phone" data-mac="([^"]+)">`)

// rows returns the MACs of the fleet table in a page.
func rows(body string) []string {
	var out []string
	for _, m := range rowMAC.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// noSecret fails when a page shows one of the site's secrets.
func (s *testSite) noSecret(page, body string) {
	s.t.Helper()
	for _, secret := range s.secrets() {
		if strings.Contains(body, secret) {
			s.t.Errorf("%s shows the secret %q", page, secret)
		}
	}
}

func TestFleetListsEveryPhoneAndDevice(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	code, body := s.get("/")
	if code != 200 {
		t.Fatalf("%d\n%s", code, body)
	}
	want := []string{"0004f2a10001", "0004f2a10002", "00562ba10005", "805ec0a10003", "805ec0a10004", unknownYealink}
	if got := rows(body); !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	for _, frag := range []string{
		`<a href="/phones/805ec0ffff01">805ec0ffff01</a> <span class="badge unknown">unknown</span>`,
		`<td>6001 <span class="muted">+1</span></td>`, // two lines
		"<td>VVX 411</td>", "6.4.3.5018", "3 min ago", "10.0.1.21",
		`<div class="n">5</div><div class="l"><a href="/?show=configured">`,
		`<div class="n">1</div><div class="l"><a href="/?show=unseen">`,
		`<a href="/?model=VVX&#43;411">VVX 411</a>`, // a bar of the model chart, filtering on it
	} {
		if !strings.Contains(body, frag) {
			t.Errorf("the fleet page lacks %s", frag)
		}
	}
	s.noSecret("the fleet page", body)
}

func TestFleetFilters(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	// One phone waits for its re-sync (Asterisk is told to wait).
	s.ami.SetDown(true)
	defer s.ami.SetDown(false)
	if _, err := s.console.cfg.Resync.Request([]string{"805ec0a10004"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"vendor=Yealink", []string{"805ec0a10003", "805ec0a10004", unknownYealink}},
		{"vendor=yealink&show=configured", []string{"805ec0a10003", "805ec0a10004"}},
		{"model=VVX+411", []string{"0004f2a10001", "0004f2a10002"}},
		{"model=VVX+411&firmware=5.9.7.3480", []string{"0004f2a10002"}},
		{"firmware=-", []string{"00562ba10005"}}, // not identified: never seen
		{"show=unseen", []string{"00562ba10005"}},
		{"show=unknown", []string{unknownYealink}},
		{"show=seen&vendor=Polycom", []string{"0004f2a10001", "0004f2a10002"}},
		{"state=pending", []string{"805ec0a10004"}},
		{"q=6011", []string{"0004f2a10001"}},              // a second line's user name
		{"q=80:5E:C0:A1:00:03", []string{"805ec0a10003"}}, // a MAC in another notation
		{"q=10.0.9", []string{unknownYealink}},            // an address
		{"q=cisco", []string{"00562ba10005"}},             // a profile
		{"vendor=Snom", nil},
	}
	for _, tt := range tests {
		code, body := s.get("/?" + tt.query)
		if got := rows(body); code != 200 || !slices.Equal(got, tt.want) {
			t.Errorf("?%s: %d %q, want %q", tt.query, code, got, tt.want)
		}
	}
	// The charts count what the filter selects.
	_, body := s.get("/?vendor=Polycom")
	if !strings.Contains(body, `<a href="/?firmware=5.9.7.3480&amp;vendor=Polycom">5.9.7.3480</a>`) || strings.Contains(body, `>SIP-T46S</a>`) {
		t.Errorf("the charts of ?vendor=Polycom:\n%s", body)
	}
}

func TestFleetPages(t *testing.T) {
	s := newTestSite(t, siteOptions{extra: generatedPhones(250)})
	var all []string
	next := "/"
	for page := 1; next != ""; page++ {
		code, body := s.get(next)
		if code != 200 {
			t.Fatalf("%s: %d", next, code)
		}
		got := rows(body)
		if page < 3 && len(got) != 100 || page == 3 && len(got) != 256-200 || page > 3 {
			t.Fatalf("page %d: %d rows", page, len(got))
		}
		all = append(all, got...)
		next = ""
		if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body); m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
		if page > 1 && !strings.Contains(body, `rel="prev"`) {
			t.Errorf("page %d has no link to the previous one", page)
		}
	}
	if len(all) != 256 || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != 256 {
		t.Errorf("%d rows over the pages, sorted %v", len(all), slices.IsSorted(all))
	}
	// Filters are kept from page to page; a page past the end goes to the last.
	_, body := s.get("/?show=configured")
	if !strings.Contains(body, `href="/?page=2&amp;show=configured" rel="next"`) {
		t.Error("the next page loses the filter")
	}
	resp, err := noRedirect.Get(s.srv.URL + "/?show=configured&page=99")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/?page=3&show=configured" {
		t.Errorf("page 99: %d → %q", resp.StatusCode, loc)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestPhonePageMasksSecrets(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	code, body := s.get("/phones/0004f2a10001")
	if code != 200 {
		t.Fatalf("%d\n%s", code, body)
	}
	for _, frag := range []string{
		"0004f2a10001.cfg", "0004f2a10001-directory.xml", "polycom/sip.ld", "Binary file, not shown.",
		"reg.1.auth.password=&#34;" + Mask + "&#34;",          // SECRET
		"reg.1.label.note=&#34;x" + Mask + "y&#34;",           // the secret inside other text
		`user=&#34;6011&#34; password=&#34;` + Mask + `&#34;`, // the second line's, through PP_EACH_EXTENSION
		"http://prov:" + Mask + "@pbx.example.com:8080/",      // the site's password
		"<td>2</td><td>6011</td><td>PJSIP/6011</td>",          // the lines
		"VVX 411", "FileTransport PolycomVVX-VVX_411-UA/6.4.3.5018", // what was seen
		`<td class="mono">0004f2a10001-directory.xml</td><td>200</td>`, // the fetches
		`id="resync-button"`,
	} {
		if !strings.Contains(body, frag) {
			t.Errorf("the phone page lacks %s", frag)
		}
	}
	// No page of the console shows a secret.
	for _, page := range []string{"/", "/config", "/security", "/phones/0004f2a10002", "/phones/805ec0a10003", "/phones/00562ba10005", "/phones/" + unknownYealink} {
		code, body := s.get(page)
		if code != 200 {
			t.Errorf("%s: %d", page, code)
		}
		s.noSecret(page, body)
	}
	// AUTH_LINE (USERNAME:SECRET, a setvar computed from the secret) is a
	// secret as a whole: masked even where its user name part shows.
	if got := s.manager.Snapshot().SecretValues(s.manager.Snapshot().Phone("805ec0a10003")); !slices.Contains(got, "6003:carol-pw-6003") {
		t.Errorf("secret values %q", got)
	}
}

// A phone book that lists other phones' secrets (PP_EACH_USER with
// %{SECRET}) is masked with every phone's secrets.
func TestPhoneBookOfSecretsMasked(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	s.Write("lib/phoneprov/polycom/directory.xml", "<directory>\n${PP_EACH_USER(<item ct='%{USERNAME}' pw='%{SECRET}'/>|${MAC})}\n</directory>\n")
	if res, err := s.manager.Reload(context.Background(), "test"); err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	code, body := s.get("/phones/0004f2a10001")
	if code != 200 || !strings.Contains(body, "ct=&#39;6004&#39; pw=&#39;"+Mask+"&#39;") {
		t.Fatalf("%d: the phone book is not masked:\n%s", code, body)
	}
	s.noSecret("the phone page", body)
}

// form is a console page's form: its action, token and the session cookie.
type form struct {
	action, token string
	cookie        *http.Cookie
}

var formRE = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)">`)

func (s *testSite) form(page string) form {
	s.t.Helper()
	resp, err := http.Get(s.srv.URL + page)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	io.Copy(&b, resp.Body)
	m := formRE.FindStringSubmatch(b.String())
	if m == nil {
		s.t.Fatalf("%s has no form:\n%s", page, b.String())
	}
	f := form{action: m[1], token: m[2]}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			f.cookie = c
		}
	}
	if f.cookie == nil || !f.cookie.HttpOnly || f.cookie.SameSite != http.SameSiteStrictMode {
		s.t.Fatalf("session cookie %+v", f.cookie)
	}
	return f
}

// post sends a form with extra values and headers, and returns the
// response's status and Location.
func (s *testSite) post(f form, values url.Values, header map[string]string) (int, string, string) {
	s.t.Helper()
	if values == nil {
		values = url.Values{}
	}
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+f.action, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if f.cookie != nil {
		req.AddCookie(f.cookie)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	io.Copy(&b, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), b.String()
}

func (s *testSite) waitNotifies(n int) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.notifies()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // and no more come
}

func TestResyncButtonAndForgery(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	f := s.form("/phones/0004f2a10001")
	if f.action != "/phones/0004f2a10001/resync" {
		t.Fatalf("action %q", f.action)
	}
	good := url.Values{tokenField: {f.token}}
	wrong := "x" + f.token[1:] // the token with its first character changed
	if f.token[0] == 'x' {
		wrong = "y" + f.token[1:]
	}
	// Forgeries: refused, and nothing is sent.
	other := s.form("/phones/0004f2a10002") // another browser session's token
	otherCookie := f
	otherCookie.cookie = other.cookie
	forged := []struct {
		name   string
		f      form
		values url.Values
		header map[string]string
		why    string
	}{
		{"no cookie", form{action: f.action}, good, nil, "no console session"},
		{"no token", f, nil, nil, "does not match"},
		{"a wrong token", f, url.Values{tokenField: {wrong}}, nil, "does not match"},
		{"another session's cookie", otherCookie, good, nil, "does not match"},
		{"cross-site", f, good, map[string]string{"Sec-Fetch-Site": "cross-site"}, "cross-origin request refused"},
		{"same-site, another port", f, good, map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:1"}, "cross-origin request refused"},
		{"another origin", f, good, map[string]string{"Origin": "http://evil.example"}, "cross-origin request refused"},
	}
	for _, tt := range forged {
		code, _, body := s.post(tt.f, tt.values, tt.header)
		if code != http.StatusForbidden || !strings.Contains(body, tt.why) {
			t.Errorf("%s: %d, want 403 %q\n%s", tt.name, code, tt.why, body)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(s.notifies()); n != 0 {
		t.Fatalf("%d NOTIFYs after forged requests", n)
	}
	// The real button, from the console's own page (the browser says so).
	code, loc, body := s.post(f, good, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": s.srv.URL})
	if code != http.StatusSeeOther || loc != "/phones/0004f2a10001?done=queued" {
		t.Fatalf("%d → %q\n%s", code, loc, body)
	}
	s.waitNotifies(1)
	if got := s.notifies(); len(got) != 1 || got[0].Endpoint != "6001" || fmt.Sprint(got[0].Variables) != "[Event=check-sync]" {
		t.Fatalf("NOTIFYs %+v", got)
	}
	_, body = s.get(loc)
	for _, frag := range []string{"Re-sync queued", `id="resync-state">notified</span>`, "NOTIFY sent to PJSIP/6001 (Event: check-sync)", "requested by an administrator"} {
		if !strings.Contains(body, frag) {
			t.Errorf("after the re-sync, the page lacks %q", frag)
		}
	}
	// A phone that is not configured has no button; posting anyway is 404.
	if _, body := s.get("/phones/" + unknownYealink); strings.Contains(body, "resync-button") {
		t.Error("an unknown device has a re-sync button")
	}
	f.action = "/phones/" + unknownYealink + "/resync"
	if code, _, _ := s.post(f, good, nil); code != http.StatusNotFound {
		t.Errorf("re-sync of an unknown device: %d", code)
	}
}

func TestResyncOff(t *testing.T) {
	s := newTestSite(t, siteOptions{noResync: true})
	_, body := s.get("/phones/0004f2a10001")
	if !strings.Contains(body, "Re-sync is off") || strings.Contains(body, "resync-button") {
		t.Errorf("re-sync off:\n%s", body)
	}
	if _, body := s.get("/"); strings.Contains(body, `name="state"`) {
		t.Error("a re-sync filter without re-sync")
	}
}

func TestConfigPageShowsRefusedEdit(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	code, body := s.get("/config")
	if code != 200 || !strings.Contains(body, "<td>polycom</td><td class=\"mono\">phoneprov.conf:6</td><td>2</td>") {
		t.Fatalf("%d\n%s", code, body)
	}
	// A template goes missing: the edit is refused, every problem shown
	// at its file and line, on every page an alert.
	s.Write("etc/phoneprov.conf", strings.Replace(readFile(t, s.Path("etc/phoneprov.conf")), "cisco/mac.xml", "cisco/missing.xml", 1))
	if res, err := s.manager.Reload(context.Background(), "an edit"); err != nil || res.Err == nil {
		t.Fatalf("the broken edit was not refused: %v %v", err, res)
	}
	_, body = s.get("/config")
	for _, frag := range []string{
		`id="refused"`, "The last edit was refused",
		`<td class="mono loc">phoneprov.conf</td><td class="mono loc">18</td><td>template &#34;cisco/missing.xml&#34; of profile [cisco] cannot be read`,
	} {
		if !strings.Contains(body, frag) {
			t.Errorf("the configuration page lacks %s\n%s", frag, body)
		}
	}
	if _, body := s.get("/"); !strings.Contains(body, `class="alert"`) || !strings.Contains(body, `href="/config#refused"`) {
		t.Error("the fleet page does not say the edit was refused")
	}
}

func TestSecurityPageUnban(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	snap := s.manager.Snapshot()
	for i := 0; i < 5; i++ {
		uri := fmt.Sprintf("0004f2%06x.cfg", 0x300000+i)
		r, _ := http.NewRequest(http.MethodGet, "/phoneprov/"+uri, nil)
		r.RemoteAddr = "10.0.0.7:5060"
		s.guard.Unmatched(r, snap, uri)
	}
	f := s.form("/security")
	_, body := s.get("/security")
	if !strings.Contains(body, `<td class="mono">10.0.0.7</td>`) || !strings.Contains(body, "10.0.0.0/8") {
		t.Fatalf("the ban is not listed:\n%s", body)
	}
	code, loc, _ := s.post(f, url.Values{tokenField: {f.token}, "source": {"10.0.0.7"}}, nil)
	if code != http.StatusSeeOther || loc != "/security?done=unbanned&n=1" || len(s.guard.Status().Bans) != 0 {
		t.Fatalf("unban: %d %q, bans %v", code, loc, s.guard.Status().Bans)
	}
	if _, body := s.get(loc); !strings.Contains(body, "Unbanned 1 source(s).") || !strings.Contains(body, "No source is banned.") {
		t.Errorf("after the unban:\n%s", body)
	}
	if code, _, body := s.post(f, url.Values{tokenField: {f.token}, "source": {"nonsense"}}, nil); code != 400 || !strings.Contains(body, "not an address") {
		t.Errorf("a bad source: %d\n%s", code, body)
	}
}

func TestNotFound(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	for _, path := range []string{"/phones/0004f2ffffff", "/nothing", "/firmware", "/dhcp"} {
		if code, body := s.get(path); code != 404 || !strings.Contains(body, `id="error"`) {
			t.Errorf("%s: %d", path, code)
		}
	}
}

func TestHeadersAndAssets(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	resp, err := http.Get(s.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'",
		"X-Frame-Options":         "DENY",
		"Cache-Control":           "no-store",
		"Content-Type":            "text/html; charset=utf-8",
	} {
		if got := resp.Header.Get(k); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	for path, ctype := range map[string]string{"/assets/style.css": "text/css", "/assets/console.js": "text/javascript"} {
		resp, err := http.Get(s.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	// A few kilobytes of script at most.
	if b, _ := assetFiles.ReadFile("assets/console.js"); len(b) > 2048 {
		t.Errorf("console.js is %d bytes", len(b))
	}
}

// A problem that quoted a secret (no message does today) would not show it.
func TestProblemsMasked(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	cfg := s.console.cfg
	cfg.Reload = func() reload.Status {
		st := s.manager.Status()
		st.LastError = &reload.ErrorInfo{At: siteNow, Reason: "an edit", Message: "pjsip.conf:7: bad value \"carol-pw-6003\"",
			Problems: []reload.ProblemInfo{{Severity: "error", Message: "pjsip.conf:7: bad value \"carol-pw-6003\""}}}
		return st
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/config", "/"} {
		w := httptest.NewRecorder()
		c.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		body := w.Body.String()
		if strings.Contains(body, "carol-pw-6003") || !strings.Contains(body, "bad value &#34;"+Mask+"&#34;") {
			t.Errorf("%s:\n%s", path, body)
		}
		if path == "/config" && !strings.Contains(body, `<td class="mono loc">pjsip.conf</td><td class="mono loc">7</td>`) {
			t.Errorf("the problem lost its place:\n%s", body)
		}
	}
}

// Before the first configuration is loaded the admin listener already
// answers: so does the console.
func TestNoConfigurationYet(t *testing.T) {
	c, err := New(Config{Snapshot: func() *phoneprov.Snapshot { return nil }, Inventory: fakeInventory{{MAC: "0004f2000001", Vendor: "Polycom"}}})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/": 200, "/config": 200, "/phones/0004f2000001": 200, "/phones/0004f2000002": 404, "/security": 404} {
		w := httptest.NewRecorder()
		c.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != want || (want == 200 && !strings.Contains(w.Body.String(), "No configuration is loaded yet.")) {
			t.Errorf("%s: %d\n%s", path, w.Code, w.Body.String())
		}
	}
}

func TestForget(t *testing.T) {
	s := newTestSite(t, siteOptions{})
	s.get("/")
	if s.console.index.Load() == nil {
		t.Fatal("no index kept")
	}
	s.console.Forget()
	if s.console.index.Load() != nil {
		t.Fatal("the index is still kept")
	}
	if _, body := s.get("/"); len(rows(body)) != 6 {
		t.Error("the fleet after Forget")
	}
}
