package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	goldenDir  = "../../../shared/asterisk/golden/configs/etc-asterisk"
	samplesDir = "../../../shared/asterisk/samples/configs"
)

// loadShared loads a file from the reference tree vendored in
// ../shared/asterisk (beside the repository).
func loadShared(t *testing.T, dir, name string) *Config {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("%s not available: the reference fixtures live in ../shared/asterisk (beside the repository)", dir)
	}
	c, err := Load(name, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestReferenceFilesParse parses every sample and golden config and checks
// section and variable counts. The counts were cross-checked against a
// plain grep of header and "name=value" lines (the two commented-out
// eventfilter lines inside manager.conf.sample's ";-- --;" blocks are the
// only difference, as they should be).
func TestReferenceFilesParse(t *testing.T) {
	want := map[string][3]int{ // sections, templates, variables
		"samples/ari.conf.sample":             {1, 0, 1},
		"samples/http.conf.sample":            {1, 0, 2},
		"samples/manager.conf.sample":         {1, 0, 3},
		"samples/phoneprov.conf.sample":       {2, 0, 73},
		"samples/phoneprov_users.conf.sample": {1, 0, 1},
		"samples/pjsip.conf.sample":           {0, 0, 0},
		"samples/pjsip_notify.conf.sample":    {14, 0, 23},
		"samples/pjsip_wizard.conf.sample":    {0, 0, 0},
		"samples/users.conf.sample":           {1, 0, 15},
		"basic-pbx/pjsip_notify.conf":         {12, 0, 17},
		"etc-asterisk/ari.conf":               {2, 0, 7},
		"etc-asterisk/asterisk.conf":          {2, 1, 15},
		"etc-asterisk/extensions.conf":        {2, 0, 4},
		"etc-asterisk/http.conf":              {1, 0, 3},
		"etc-asterisk/logger.conf":            {2, 0, 3},
		"etc-asterisk/manager.conf":           {2, 0, 9},
		"etc-asterisk/modules.conf":           {1, 0, 12},
		"etc-asterisk/phoneprov.conf":         {2, 0, 74},
		"etc-asterisk/pjsip.conf":             {5, 0, 24},
		"etc-asterisk/pjsip_notify.conf":      {14, 0, 23},
		"etc-asterisk/sip.conf":               {3, 0, 23},
		"etc-asterisk/sip_notify.conf":        {12, 0, 17},
		"etc-asterisk/users.conf":             {3, 0, 35},
	}
	seen := 0
	for _, dir := range []string{samplesDir + "/samples", samplesDir + "/basic-pbx", goldenDir} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			key := filepath.Base(dir) + "/" + e.Name()
			t.Run(key, func(t *testing.T) {
				c, err := Load(e.Name(), Options{Dir: dir})
				if err != nil {
					t.Fatal(err)
				}
				if len(c.Warnings) != 0 {
					t.Errorf("warnings: %q", warningTexts(c))
				}
				var got [3]int
				got[0] = len(c.Sections)
				for _, s := range c.Sections {
					if s.Template {
						got[1]++
					}
					got[2] += len(s.Vars)
				}
				w, ok := want[key]
				if !ok {
					t.Fatalf("unexpected reference file; counts %v", got)
				}
				if got != w {
					t.Errorf("sections, templates, variables = %v, want %v", got, w)
				}
			})
			seen++
		}
	}
	if seen == 0 {
		t.Fatal("no reference files found under ../shared/asterisk (beside the repository)")
	}
}

// TestGoldenUsers checks users.conf values res_phoneprov reads.
func TestGoldenUsers(t *testing.T) {
	c := loadShared(t, goldenDir, "users.conf")
	u := c.Section("6001")
	if u == nil {
		t.Fatal("no [6001]")
	}
	for key, want := range map[string]string{
		"username": "6001", "fullname": "Alice Example", "macaddress": "0004f2a1b2c3",
		"linekeys": "1", "autoprov": "yes", "secret": "s3cret6001",
	} {
		if got, ok := u.First(key); !ok || got != want {
			t.Errorf("[6001] %s = %q, want %q", key, got, want)
		}
	}
	if got, _ := c.Section("6002").First("timezone"); got != "America/New_York" {
		t.Errorf("[6002] timezone = %q", got)
	}
	if got, _ := c.Section("GENERAL").First("hasvoicemail"); got != "no" {
		t.Errorf("[general] hasvoicemail = %q", got)
	}
}

// TestGoldenPJSIP: four sections named 7001 of different types (duplicate
// section names are kept separately, docs/asterisk.md#section-headers).
func TestGoldenPJSIP(t *testing.T) {
	c := loadShared(t, goldenDir, "pjsip.conf")
	var types []string
	for _, s := range c.Browse() {
		if s.Name == "7001" {
			v, _ := s.First("type")
			types = append(types, v)
		}
	}
	if strings.Join(types, ",") != "endpoint,auth,aor,phoneprov" {
		t.Errorf("types of [7001] = %q", types)
	}
	if got, _ := c.Section("7001").First("callerid"); got != `"Carol Pjsip" <7001>` {
		t.Errorf("callerid = %q", got)
	}
	if got, _ := c.Section("transport-udp").First("bind"); got != "127.0.0.1:5062" {
		t.Errorf("bind = %q", got)
	}
	aor := c.Browse()[3]
	if got, _ := aor.First("contact"); got != "sip:7001@127.0.0.1:5073" || len(aor.Vars) != 3 {
		t.Errorf("aor contact = %q (%d vars)", got, len(aor.Vars))
	}
	pp := c.Browse()[4]
	if got, _ := pp.First("MAC"); got != "0004f2c0ffee" || pp.Line != 30 {
		t.Errorf("phoneprov MAC = %q at line %d", got, pp.Line)
	}
}

// TestGoldenAsteriskConf: [directories](!) is a template, hidden from
// browsing and lookup, and its "=>" lines carry the object flag.
func TestGoldenAsteriskConf(t *testing.T) {
	c := loadShared(t, goldenDir, "asterisk.conf")
	if got := c.Browse(); len(got) != 1 || got[0].Name != "options" {
		t.Errorf("Browse = %v", got)
	}
	if c.Section("directories") != nil {
		t.Error("the template is visible")
	}
	d := c.Sections[0]
	if !d.Template || len(d.Vars) != 11 || !d.Vars[0].Object || d.Vars[0].Name != "astetcdir" || d.Vars[0].Value != "/etc/asterisk" {
		t.Errorf("[directories] = %+v", d)
	}
}

// TestGoldenPhoneprov checks phoneprov.conf values and that the file order
// of a profile's lines is kept.
func TestGoldenPhoneprov(t *testing.T) {
	c := loadShared(t, goldenDir, "phoneprov.conf")
	g := c.Section("general")
	if v, _ := g.First("default_profile"); v != "polycom" {
		t.Errorf("default_profile = %q", v)
	}
	if v, _ := g.First("serveraddr"); v != "127.0.0.1" {
		t.Errorf("serveraddr = %q", v)
	}
	p := c.Section("polycom")
	// 66 lines mention static_file; two of them are commented out.
	if n := len(p.All("static_file")); n != 64 {
		t.Errorf("%d static_file lines, want 64", n)
	}
	if v, _ := p.First("staticdir"); v != "configs/" || !p.Vars[0].Object {
		t.Errorf("staticdir = %q", v)
	}
	if v, _ := p.First("${MAC}.cfg"); v != "000000000000.cfg" {
		t.Errorf("${MAC}.cfg = %q", v)
	}
}

// TestSampleManager: manager.conf.sample's eventfilter examples sit inside
// ";-- --;" blocks and must not become variables.
func TestSampleManager(t *testing.T) {
	c := loadShared(t, samplesDir+"/samples", "manager.conf.sample")
	got := dump(c)
	if got != "[general] enabled=no|port=5038|bindaddr=0.0.0.0" {
		t.Errorf("got %q", got)
	}
}

// TestSampleTemplates parses the commented-out phoneprov template example
// of pjsip.conf.sample with its ';' removed: a template, a section
// inheriting it, and a child value that (in Asterisk ≤ 22) does not win.
func TestSampleTemplates(t *testing.T) {
	raw, err := os.ReadFile(samplesDir + "/samples/pjsip.conf.sample")
	if err != nil {
		t.Fatalf("%v (the reference samples live in ../shared/asterisk beside the repository)", err)
	}
	text := string(raw)
	start := strings.Index(text, "; Fuller example:")
	end := strings.Index(text, "; The previous sections would produce")
	if start < 0 || end < start {
		t.Fatal("example block not found")
	}
	block := regexp.MustCompile(`(?m)^;([^ ;])`).ReplaceAllString(text[start:end], "$1")
	c, err := loadText(t, block, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings %q", warningTexts(c))
	}
	want := "[1000] type=endpoint|outbound_auth=1000-auth|callerid=My Name <8005551212>|transport=transport-udp-nat\n" +
		"[1000-auth] type=auth|auth_type=userpass|username=myname|password=mysecret\n" +
		"[phoneprov_defaults]! type=phoneprov|PROFILE=someprofile|SERVER=myserver.example.com|TIMEZONE=America/Denver|MYVAR=somevalue\n" +
		"[1000] type=phoneprov^|PROFILE=someprofile^|SERVER=myserver.example.com^|TIMEZONE=America/Denver^|MYVAR=somevalue^|" +
		"endpoint=1000|MAC=deadbeef4dad|MYVAR=someUSERvalue|LABEL=1000"
	if got := dump(c); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	pp := c.Browse()[2]
	if v, _ := pp.First("MYVAR"); v != "somevalue" {
		t.Errorf("First(MYVAR) = %q (the template wins in ≤ 22: docs/asterisk.md#first-value-wins)", v)
	}
	if v, _ := pp.Last("MYVAR"); v != "someUSERvalue" {
		t.Errorf("Last(MYVAR) = %q", v)
	}
	if len(c.Browse()) != 3 || c.Section("phoneprov_defaults") != nil {
		t.Error("the template is visible")
	}
	if pp.Bases[0] != "phoneprov_defaults" {
		t.Errorf("Bases = %q", pp.Bases)
	}
}
