package phoneprov

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugincases"
)

// sharedProvd is ../shared/provd from this package.
const sharedProvd = "../../shared/provd"

// pluginSite writes plugincases' site and returns options to load it:
// identification answers from seen (by MAC), the clock is now.
func pluginSite(t *testing.T, seen map[string]Sighting) Options {
	t.Helper()
	conf, data, err := plugincases.WriteSite(t.TempDir(), sharedProvd, "")
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		ConfigDir: conf,
		DataDir:   data,
		LocalZone: time.UTC,
		Plugins: PluginOptions{
			Engine:   plugin.JinjaEngine{},
			Profiles: siteProfiles(),
			HTTPPort: 8080,
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
	r, body, err := snap.Unrouted(uri, ua, server)
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

	// The digests cover the plugin files: the same inputs give the same
	// digests; a user's edit changes exactly its phone.
	d1 := next.Digests("127.0.0.1", snap)
	again, _ := Load(opts)
	d2 := again.Digests("127.0.0.1", next)
	if c := Diff(d1, d2); !c.Empty() {
		t.Errorf("a reload of the same files changed %+v", c)
	}
	users := filepath.Join(opts.ConfigDir, "users.conf")
	data, _ := os.ReadFile(users)
	if err := os.WriteFile(users, bytes.Replace(data, []byte("fullname = Eve Digium"), []byte("fullname = Eve Digium-Martin"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	edited, _ := Load(opts)
	c := Diff(d2, edited.Digests("127.0.0.1", again))
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
