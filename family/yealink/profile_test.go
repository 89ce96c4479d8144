package yealink_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/profiletest"
	"github.com/phoneprovd/phoneprovd/family/yealink"
)

// formats are what the profile's templates render (Yealink Auto
// Provisioning Guide; yealink/README.md).
var formats = profiletest.Formats{
	"yealink/common.cfg": {
		Parse:  profiletest.KeyValueFormat,
		Fixed:  map[string]string{"sip.notify_reboot_enable": "0", "sip.trust_ctrl": "1"},
		Shared: true,
	},
	"yealink/mac.cfg": {
		DST:   yealinkDST,
		Parse: profiletest.KeyValueFormat,
		Line: func(n int) profiletest.LineKeys {
			a := fmt.Sprintf("account.%d.", n)
			return profiletest.LineKeys{
				Users:   []string{a + "user_name", a + "auth_name"},
				Secret:  a + "password",
				Display: a + "display_name",
				Server:  a + "sip_server.1.address",
				Port:    a + "sip_server.1.port",
			}
		},
		Refs: map[string]string{"remote_phonebook.data.1.url": ""},
	},
	"yealink/phonebook.xml": {Parse: profiletest.ElementFormat, Book: profiletest.DirectoryBook, BookRoot: "YealinkIPPhoneDirectory"},
}

// yealinkDST reads local_time.* with dst_time_type 1 (by week):
// month/week/weekday/hour, weekday 1 = Monday … 7 = Sunday, week 5 = last.
func yealinkDST(s profiletest.Settings) (profiletest.DSTRule, bool, error) {
	var a profiletest.Numbers
	if a.One(s, "local_time.summer_time") != "1" {
		return profiletest.DSTRule{}, false, a.Err
	}
	if v := a.One(s, "local_time.dst_time_type"); v != "1" {
		a.Fail(fmt.Errorf("dst_time_type = %q, not 1 (by week)", v))
	}
	change := func(key string) profiletest.DSTChange {
		f := strings.Split(a.One(s, key), "/")
		if len(f) != 4 {
			a.Fail(fmt.Errorf("%s = %q is not month/week/weekday/hour", key, strings.Join(f, "/")))
			return profiletest.DSTChange{}
		}
		return profiletest.DSTChange{Month: a.N(key, f[0]), Week: a.N(key, f[1]), Wday: a.Monday1(key, f[2]), Hour: a.N(key, f[3])}
	}
	r := profiletest.DSTRule{Start: change("local_time.start_time"), End: change("local_time.end_time"), Save: a.N("offset_time", a.One(s, "local_time.offset_time"))}
	return r, true, a.Err
}

// TestProfile checks the Yealink profile in the sample configuration.
func TestProfile(t *testing.T) { profiletest.CheckProfile(t, yealink.Family(), formats) }

// TestTimeSettings pins the time settings derived from the users' zones.
// Asia/Kolkata: +5:30, no DST. Europe/Berlin: +1; DST from the last Sunday
// (week 5, weekday 7) of March at 02:00 CET to the last Sunday of October
// at 03:00 CEST.
func TestTimeSettings(t *testing.T) {
	profiletest.CheckSettings(t, formats, []profiletest.Setting{
		{URI: "001565a10001.cfg", Key: "local_time.time_zone", Want: "+5:30"},
		{URI: "001565a10001.cfg", Key: "local_time.summer_time", Want: "0"},
		{URI: "001565a20002.cfg", Key: "local_time.time_zone", Want: "+1"},
		{URI: "001565a20002.cfg", Key: "local_time.summer_time", Want: "1"},
		{URI: "001565a20002.cfg", Key: "local_time.dst_time_type", Want: "1"},
		{URI: "001565a20002.cfg", Key: "local_time.start_time", Want: "3/5/7/2"},
		{URI: "001565a20002.cfg", Key: "local_time.end_time", Want: "10/5/7/3"},
		{URI: "001565a20002.cfg", Key: "local_time.offset_time", Want: "60"},
	})
}

// TestSharedFiles: the sample serves the common file under the names of
// at least two model codes, every Yealink phone adding the routes again.
func TestSharedFiles(t *testing.T) {
	c, d := profiletest.Sample(t)
	snap, _ := profiletest.Load(t, c, d, profiletest.FixedNow)
	uris := map[string]int{}
	for _, r := range snap.Routes() {
		if !r.Static() && r.File.Template == "yealink/common.cfg" {
			uris[r.URI]++
		}
	}
	if len(uris) < 2 {
		t.Fatalf("common files %v, want at least two model codes", uris)
	}
	for uri, n := range uris {
		if n < 2 {
			t.Errorf("%s: %d routes, want one per Yealink phone", uri, n)
		}
	}
}
