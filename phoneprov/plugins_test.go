package phoneprov

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugincases"
)

// sharedProvd is ../shared/provd from this package.
const sharedProvd = "../../shared/provd"

// pluginSite writes plugincases' site and returns options to load it:
// identification answers from seen (by MAC), the clock is now.
func pluginSite(t testing.TB, seen map[string]Sighting) Options {
	t.Helper()
	conf, data, err := plugincases.WriteSite(t.TempDir(), sharedProvd, "")
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		ConfigDir: conf,
		DataDir:   data,
		LocalZone: time.UTC,
		HTTPPort:  8080,
		Plugins: PluginOptions{
			Engine:   plugin.JinjaEngine{},
			Profiles: siteProfiles(),
			Identify: func(mac string) (Sighting, bool) {
				s, ok := seen[mac]
				return s, ok
			},
		},
	}
}

// siteProfiles is plugincases.PhoneprovdConf as options.
func siteProfiles() map[string]PluginProfile {
	return map[string]PluginProfile{
		"wazo-auto":      {Plugin: AutoPlugin},
		"wazo-digium":    {Plugin: "wazo-digium-1.4.0.0"},
		"autoprov":       {Plugin: "wazo-digium-1.4.0.0", Autoprov: true},
		"unseen-yealink": {Plugin: "wazo-yealink-v86"},
		"unseen-digium":  {Plugin: "wazo-digium-1.4.0.0"},
	}
}

// serve answers uri as the HTTP handler does: a route, else Unrouted.
func serve(t *testing.T, snap *Snapshot, uri, ua, server string) (*Route, []byte) {
	t.Helper()
	if r := snap.Route(uri); r != nil {
		if r.Static() {
			sf, err := snap.Static(r)
			if err != nil {
				t.Fatalf("%s: %v", uri, err)
			}
			data, err := os.ReadFile(sf.Path)
			if err != nil {
				t.Fatal(err)
			}
			return r, data
		}
		body, err := snap.Render(r, server)
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		return r, body.Bytes()
	}
	r, body, err := snap.Unrouted(uri, ua, Reached{Server: server})
	if err != nil {
		t.Fatalf("%s: %v", uri, err)
	}
	if r == nil {
		return nil, nil
	}
	return r, body.Bytes()
}

// TestPluginSiteByteForByte: every golden phone and every unseen case,
// described in Asterisk's files, is served exactly provd's bytes (or the
// plugin's, given the case's raw config) — the golden T46S and D40 first
// as phones waiting to be identified, answered from the request, then,
// once seen, from routes of their own.
func TestPluginSiteByteForByte(t *testing.T) {
	golden := filepath.Join(sharedProvd, "golden")
	fetches, err := plugincases.ReadUserAgents(golden, plugincases.Fetches)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]Sighting{}
	opts := pluginSite(t, seen)
	expected, err := plugincases.Expected(filepath.Join(opts.DataDir, "plugins"), plugin.JinjaEngine{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, snap *Snapshot, wantRoutes bool) {
		for _, f := range fetches {
			r, got := serve(t, snap, f.URI, f.UserAgent, "127.0.0.1")
			switch {
			case f.NotFound:
				if r != nil {
					t.Errorf("%s %s: served, provd answers 404", f.Case, f.URI)
				}
				continue
			case r == nil:
				t.Errorf("%s %s: not served", f.Case, f.URI)
				continue
			}
			var want []byte
			switch {
			case f.Golden != "":
				if want, err = os.ReadFile(filepath.Join(golden, f.Golden)); err != nil {
					t.Fatal(err)
				}
			case f.GoldenSHA256 != "":
				data, err := os.ReadFile(filepath.Join(golden, f.GoldenSHA256))
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(got)
				if w := strings.Fields(string(data))[0]; hex.EncodeToString(sum[:]) != w {
					t.Errorf("%s %s: sha256 %x, golden %s", f.Case, f.URI, sum, w)
				}
				continue
			default:
				want = expected[f.Case][f.URI]
				if want == nil {
					t.Fatalf("%s: no expected %s", f.Case, f.URI)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %s differs:\n%s", f.Case, f.URI, firstLineDiff(got, want))
			}
			if wantRoutes && snap.Route(f.URI) == nil && !strings.Contains(f.URI, "aabb91") {
				t.Errorf("%s: no route once the phone was seen", f.URI)
			}
		}
	}
	snap, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range snap.Errors() {
		t.Errorf("error: %s", d)
	}
	if snap.Route("805ec0aabb01.cfg") != nil {
		t.Error("an auto phone never seen has routes")
	}
	if name, pending := snap.PhonePlugin(snap.Phone("805ec0aabb01")); name != "" || !pending {
		t.Errorf("PhonePlugin of the unseen T46S = %q, %v", name, pending)
	}
	t.Run("before identification", func(t *testing.T) { check(t, snap, false) })

	// What the inventory would say once the phones asked.
	for _, f := range fetches {
		if f.MAC == "805ec0aabb01" || f.MAC == "000fd3aabb01" {
			sg := Sighting{UserAgent: f.UserAgent, Path: f.URI}
			if !snap.Reidentify(f.MAC, func(string) (Sighting, bool) { return sg, true }) {
				t.Errorf("%s: a sighting of a phone waiting for it does not ask for a reload", f.MAC)
			}
			seen[f.MAC] = Sighting{UserAgent: f.UserAgent, Path: f.URI}
		}
	}
	next, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if name, pending := next.PhonePlugin(next.Phone("805ec0aabb01")); name != "wazo-yealink-v86" || pending {
		t.Errorf("PhonePlugin of the seen T46S = %q, %v", name, pending)
	}
	if name, _ := next.PhonePlugin(next.Phone("000fd3aabb01")); name != "wazo-digium-1.4.0.0" {
		t.Errorf("PhonePlugin of the seen D40 = %q", name)
	}
	for _, mac := range []string{"805ec0aabb01", "000fd3aabb01"} {
		if !next.FirstIdentified(snap, mac) {
			t.Errorf("%s: its change is not told as identification's", mac)
		}
		if next.Reidentify(mac, func(m string) (Sighting, bool) { s, ok := seen[m]; return s, ok }) {
			t.Errorf("%s: the same sighting asks for another reload", mac)
		}
	}
	if next.FirstIdentified(snap, "000fd3aabb02") {
		t.Error("the D70, configured with its plugin, is told as identified")
	}
	t.Run("after identification", func(t *testing.T) { check(t, next, true) })

	// The fingerprints cover the plugin files: the same inputs give the
	// same fingerprints; a user's edit changes exactly its phone.
	d1 := next.Fingerprints("127.0.0.1", snap)
	again, _ := Load(opts)
	d2 := again.Fingerprints("127.0.0.1", next)
	if c := Diff(d1, d2); !c.Empty() {
		t.Errorf("a reload of the same files changed %+v", c)
	}
	users := filepath.Join(opts.ConfigDir, "users.conf")
	data, _ := os.ReadFile(users)
	if err := os.WriteFile(users, bytes.Replace(data, []byte("fullname = Eve Digium"), []byte("fullname = Eve Digium-Martin"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	edited, _ := Load(opts)
	c := Diff(d2, edited.Fingerprints("127.0.0.1", again))
	if strings.Join(c.Changed, ",") != "000fd3aabb01" || len(c.Added)+len(c.Removed)+len(c.Quiet) > 0 {
		t.Errorf("an edit of the D40's user changed %+v", c)
	}
	body := string(serveBody(t, edited, "Digium/000fd3aabb01.cfg"))
	if !strings.Contains(body, `line_label="Eve Digium-Martin"`) {
		t.Errorf("the edit is not served:\n%s", body)
	}
}

func serveBody(t *testing.T, snap *Snapshot, uri string) []byte {
	t.Helper()
	_, b := serve(t, snap, uri, "", "127.0.0.1")
	return b
}

// firstLineDiff shows the first line where got and want differ.
func firstLineDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
	return "(same lines)"
}

// loadSite loads opts, failing the test on a load error.
func loadSite(t *testing.T, opts Options) *Snapshot {
	t.Helper()
	snap, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPluginRefused: a plugin with a template syntax error is refused with
// its file and line; the other plugin's phones are served.
func TestPluginRefused(t *testing.T) {
	opts := pluginSite(t, nil)
	base := filepath.Join(opts.DataDir, "plugins/wazo-yealink-v86/templates/base.tpl")
	data, _ := os.ReadFile(base)
	writeFile(t, base, strings.Replace(string(data), "{% endif %}", "{% endfi %}", 1))
	snap := loadSite(t, opts)
	var found bool
	for _, d := range snap.Errors() {
		if d.Pos.File == base && d.Pos.Line > 0 && strings.Contains(d.Msg, "plugin wazo-yealink-v86 refused") {
			found = true
			t.Logf("%s", d)
		}
	}
	if !found {
		t.Errorf("no error at %s:LINE; diagnostics: %v", base, snap.Diagnostics)
	}
	if !hasDiag(snap, "profile [unseen-yealink]: plugin wazo-yealink-v86 is not served: it was refused") {
		t.Errorf("the profile's error is missing: %v", snap.Diagnostics)
	}
	if snap.Route("805ec0000054.cfg") != nil || snap.Route("directory_setting.xml") != nil {
		t.Error("the refused plugin serves")
	}
	if snap.Route("Digium/000fd3aabb02.cfg") == nil || snap.Route("Digium/000fd3000050.cfg") == nil {
		t.Error("the other plugin's phones are not served")
	}
	if got := strings.Join(snap.Plugins(), ","); got != "wazo-digium-1.4.0.0" {
		t.Errorf("plugins %s", got)
	}
	// Fixing it is a change the watcher sees.
	deps := snap.Dependencies()
	writeFile(t, base, string(data))
	if deps.Changed() == "" {
		t.Error("fixing the broken template is not a change")
	}
	if fixed := loadSite(t, opts); len(fixed.Errors()) != 0 || fixed.Route("805ec0000054.cfg") == nil {
		t.Errorf("once fixed: errors %v", fixed.Errors())
	}
}

// TestPluginDependencies: an edit of a plugin's template, an override
// that appears, a new static file and a new plugin are changes.
func TestPluginDependencies(t *testing.T) {
	opts := pluginSite(t, nil)
	plugins := filepath.Join(opts.DataDir, "plugins")
	for _, edit := range []struct {
		name string
		do   func()
	}{
		{"template edited", func() {
			writeFile(t, filepath.Join(plugins, "wazo-digium-1.4.0.0/templates/contact.tpl"), "<phonebooks/>\n")
		}},
		{"per-device template added", func() {
			writeFile(t, filepath.Join(plugins, "wazo-digium-1.4.0.0/var/templates/000fd3aabb02.cfg.tpl"), "{% extends 'base.tpl' %}\n")
		}},
		{"static file added", func() {
			writeFile(t, filepath.Join(plugins, "wazo-yealink-v86/var/tftpboot/firmware/T46S.rom"), "fw")
		}},
		{"plugin-info edited", func() {
			p := filepath.Join(plugins, "wazo-digium-1.4.0.0/plugin-info")
			data, _ := os.ReadFile(p)
			writeFile(t, p, string(data)+"\n")
		}},
		{"plugin added", func() {
			if err := os.CopyFS(filepath.Join(plugins, "wazo-digium-2.8.1"), os.DirFS(filepath.Join(plugins, "wazo-digium-1.4.0.0"))); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		snap := loadSite(t, opts)
		deps := snap.Dependencies()
		if why := deps.Changed(); why != "" {
			t.Fatalf("%s: changed before the edit: %s", edit.name, why)
		}
		before := deps.DiskState()
		edit.do()
		if deps.Changed() == "" || deps.DiskState() == before {
			t.Errorf("%s: not a change", edit.name)
		}
	}
	snap := loadSite(t, opts)
	if got := strings.Join(snap.Plugins(), ","); got != "wazo-digium-1.4.0.0,wazo-digium-2.8.1,wazo-yealink-v86" {
		t.Errorf("plugins %s", got)
	}
	if snap.Route("firmware/T46S.rom") == nil {
		t.Error("the new static file is not served")
	}
	if body := serveBody(t, snap, "Digium/000fd3aabb02-contacts.xml"); string(body) != "<phonebooks/>" {
		t.Errorf("the edited template is not served: %q", body)
	}
}

// TestPluginSecurity: the flags the guard reads, and what a plugin's
// var/tftpboot must not serve.
func TestPluginSecurity(t *testing.T) {
	opts := pluginSite(t, nil)
	stale := filepath.Join(opts.DataDir, "plugins/wazo-yealink-v86/var/tftpboot/805ec0aabb77.cfg")
	writeFile(t, stale, "account.1.password = someone-else\n")
	snap := loadSite(t, opts)
	if snap.Route("805ec0aabb77.cfg") != nil {
		t.Error("a device file left in var/tftpboot is served")
	}
	if !hasDiag(snap, stale, "not served") {
		t.Errorf("no warning for %s: %v", stale, snap.Diagnostics)
	}
	for _, tc := range []struct {
		uri                    string
		sensitive, holdsSecret bool
	}{
		{"805ec0000054.cfg", true, true},
		{"Digium/000fd3aabb02.cfg", true, true},
		{"Digium/000fd3aabb02-contacts.xml", false, false},
	} {
		r := snap.Route(tc.uri)
		body, err := snap.Render(r, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if body.Sensitive != tc.sensitive || body.HoldsSecret != tc.holdsSecret {
			t.Errorf("%s: Sensitive %v HoldsSecret %v, want %v %v", tc.uri, body.Sensitive, body.HoldsSecret, tc.sensitive, tc.holdsSecret)
		}
		if r.Owner() == nil || r.Plugin() == "" {
			t.Errorf("%s: owner %v, plugin %q", tc.uri, r.Owner(), r.Plugin())
		}
	}
	// The autoprov file of an unknown Digium holds the autoprov line's
	// secret: sensitive, and attributed to no configured phone.
	r, body, err := snap.Unrouted("Digium/000fd3aabb91.cfg", "Digium D40 1.4.0.0.57389", Reached{Server: "127.0.0.1"})
	if err != nil || r == nil {
		t.Fatalf("autoprov: %v %v", r, err)
	}
	if !body.Sensitive || !body.HoldsSecret || r.Owner() != nil || r.Phone.Provider != ProviderAutoprov {
		t.Errorf("autoprov: Sensitive %v HoldsSecret %v owner %v provider %s", body.Sensitive, body.HoldsSecret, r.Owner(), r.Phone.Provider)
	}
	if !strings.Contains(string(body.Bytes()), "apq7k2m9zx") || strings.Contains(string(body.Bytes()), "fake-pw-") {
		t.Error("autoprov does not serve the autoprov line alone")
	}
}

// TestAutoprovNeverAnotherAccount: a configured phone's MAC never gets the
// autoprov answer, whether a plugin serves it or not; a file the plugin
// does not write, an unknown vendor and a request without a MAC get
// nothing.
func TestAutoprovNeverAnotherAccount(t *testing.T) {
	opts := pluginSite(t, nil)
	pp := filepath.Join(opts.ConfigDir, "phoneprov.conf")
	data, _ := os.ReadFile(pp)
	writeFile(t, pp, string(data)+"\n[plain]\n${MAC}.xml => plain.xml\n")
	writeFile(t, filepath.Join(opts.DataDir, "phoneprov/plain.xml"), "${SECRET}\n")
	users := filepath.Join(opts.ConfigDir, "users.conf")
	data, _ = os.ReadFile(users)
	writeFile(t, users, string(data)+"\n[plain1]\nautoprov = yes\nmacaddress = 000FD3AABB99\nprofile = plain\nusername = plain1\nsecret = plain-secret\n")
	snap := loadSite(t, opts)
	for _, tc := range []struct{ uri, ua string }{
		{"Digium/000fd3aabb99.cfg", "Digium D40 1.4.0.0.57389"},     // a configured phone of another profile
		{"Digium/000fd3aabb02.cfg.bak", "Digium D40 1.4.0.0.57389"}, // not a file of the plugin
		{"Digium/000fd3aabb91.xml", "Digium D40 1.4.0.0.57389"},
		{"805ec0aabb55.cfg", "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:55"}, // autoprov is Digium's only
		{"aabbccddeeff.cfg", "curl/8"},
		{"Digium/", "Digium D40 1.4.0.0.57389"},
	} {
		if r, _, err := snap.Unrouted(tc.uri, tc.ua, Reached{Server: "127.0.0.1"}); r != nil || err != nil {
			t.Errorf("%s: served %v (%v)", tc.uri, r, err)
		}
	}
	// The answers are kept, a bounded number.
	for i := range 3 * maxUnrouted {
		snap.Unrouted("Digium/000fd3"+strings.Repeat("0", 6-len(itoaHex(i)))+itoaHex(i)+".cfg", "", Reached{Server: "127.0.0.1"})
	}
	if n := len(snap.plugins.unrouted.m); n > maxUnrouted {
		t.Errorf("%d answers kept", n)
	}
}

func itoaHex(i int) string { return fmt.Sprintf("%x", i) }

// TestPluginMisconfigured: a profile naming a plugin that is not there is
// an error; a model the plugin does not know is a warning naming the
// phone; a template error at render is reported by CheckPlugins.
func TestPluginMisconfigured(t *testing.T) {
	opts := pluginSite(t, nil)
	opts.Plugins.Profiles = siteProfiles()
	opts.Plugins.Profiles["unseen-digium"] = PluginProfile{Plugin: "wazo-digium-9.9"}
	users := filepath.Join(opts.ConfigDir, "users.conf")
	data, _ := os.ReadFile(users)
	writeFile(t, users, strings.Replace(string(data), "model = T54W", "model = T99X", 1))
	writeFile(t, filepath.Join(opts.DataDir, "plugins/wazo-yealink-v86/var/templates/805ec0000033.cfg.tpl"), "line 1\n{{ 1 // 0 }}\n")
	snap := loadSite(t, opts)
	if !hasDiag(snap, "profile [unseen-digium]: plugin wazo-digium-9.9 is not served: there is no such directory") {
		t.Errorf("no error for the missing plugin: %v", snap.Diagnostics)
	}
	if !hasDiag(snap, "users.conf", "phone 805ec0000054", "unknown model", "T99X") {
		t.Errorf("no warning for the unknown model: %v", snap.Diagnostics)
	}
	var found bool
	for _, d := range snap.CheckPlugins() {
		s := d.String()
		found = found || d.Severity == Error && strings.Contains(s, "users.conf:") && strings.Contains(s, "phone 805ec0000033: 805ec0000033.cfg") && strings.Contains(s, "805ec0000033.cfg.tpl:2")
	}
	if !found {
		t.Errorf("CheckPlugins: %v", snap.CheckPlugins())
	}
	if name, pending := snap.PhonePlugin(snap.Phone("000fd3000050")); name != "wazo-digium-9.9" || pending {
		t.Errorf("a phone whose plugin is missing: %q, pending %v", name, pending)
	}
}

// TestCheckPlugins: what values break in plugins' files is reported at
// the phone, what the templates do on purpose is not, nor secrets.
func TestCheckPlugins(t *testing.T) {
	snap := loadSite(t, pluginSite(t, nil))
	var xml, pending bool
	for _, d := range snap.CheckPlugins() {
		s := d.String()
		// The D50's "A & B", which Digium's template writes as it is.
		xml = xml || d.Severity == Warning && strings.Contains(s, "users.conf:") && strings.Contains(s, "phone 000fd3000050: Digium/000fd3000050.cfg line 46") && strings.Contains(s, "not well-formed XML")
		pending = pending || strings.Contains(s, "2 plugin phones wait to be identified")
		if strings.Contains(s, "set twice") || strings.Contains(s, "fake-pw") {
			t.Errorf("reported: %s", s)
		}
	}
	if !xml || !pending {
		t.Errorf("CheckPlugins (XML %v, pending %v): %v", xml, pending, snap.CheckPlugins())
	}
}

// TestPluginReuse: a reload that changed nothing of a phone takes its
// plugin files over from the previous snapshot, bytes shared, without
// rendering; a change of the phone renders its files again, a change of a
// plugin's templates every file of the plugin (a template may include
// another), those with the same bytes sharing them.
func TestPluginReuse(t *testing.T) {
	opts := pluginSite(t, nil)
	renders := &countingObserver{}
	opts.Observer = renders
	first := loadSite(t, opts)
	first.Fingerprints("192.0.2.1", nil)
	n := renders.rendered
	if n == 0 {
		t.Fatal("nothing rendered")
	}
	second := loadSite(t, opts)
	second.Fingerprints("192.0.2.1", first)
	if renders.rendered != n {
		t.Errorf("an unchanged reload rendered %d files", renders.rendered-n)
	}
	uri := "805ec0000054.cfg"
	at := second.reached(second.Route(uri).Phone, Reached{Server: "192.0.2.1"})
	a, b := first.cached(uri, at), second.cached(uri, at)
	if a == nil || b == nil || &a.Flat()[0] != &b.Flat()[0] {
		t.Error("the reused body does not share the previous bytes")
	}
	users := filepath.Join(opts.ConfigDir, "users.conf")
	data, _ := os.ReadFile(users)
	writeFile(t, users, strings.Replace(string(data), "fullname = Two\n", "fullname = Deux\n", 1))
	third := loadSite(t, opts)
	third.Fingerprints("192.0.2.1", second)
	if got := renders.rendered - n; got != 1 {
		t.Errorf("an edit of one phone's line rendered %d files, want 1", got)
	}
	base := filepath.Join(opts.DataDir, "plugins/wazo-digium-1.4.0.0/templates/contact.tpl")
	writeFile(t, base, "<phonebooks/>\n")
	fourth := loadSite(t, opts)
	before := renders.rendered
	fourth.Fingerprints("192.0.2.1", third)
	if got := renders.rendered - before; got != 4 { // the D50's and the D70's two files
		t.Errorf("an edit of contact.tpl rendered %d files, want 4", got)
	}
	uri = "Digium/000fd3aabb02.cfg"
	at = fourth.reached(fourth.Route(uri).Phone, Reached{Server: "192.0.2.1"})
	if a, b := third.cached(uri, at), fourth.cached(uri, at); a == nil || b == nil || &a.Flat()[0] != &b.Flat()[0] {
		t.Error("a file rendered again to the same bytes does not share them")
	}
}

// countingObserver counts renders.
type countingObserver struct {
	mu       sync.Mutex
	rendered int
}

func (o *countingObserver) CacheHit() {}
func (o *countingObserver) Rendered(time.Duration, bool) {
	o.mu.Lock()
	o.rendered++
	o.mu.Unlock()
}
