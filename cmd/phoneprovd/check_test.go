package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// result is what a command printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs a phoneprovd command in process.
func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}, args)
	return result{code, out.String(), errOut.String()}
}

// writeSite writes files (path under root → content) and returns the
// config and data directories.
func writeSite(t *testing.T, files map[string]string) (conf, data string) {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "etc"), filepath.Join(root, "lib")
}

// goodSite is a small correct configuration; tests replace its files.
func goodSite() map[string]string {
	return map[string]string{
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\nmime_type => text/xml\n${MAC}.xml => t.xml\n",
		"etc/users.conf":      "[6001]\nusername = 6001\nfullname = Alice\nsecret = pw6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
		"lib/phoneprov/t.xml": "<?xml version=\"1.0\"?>\n<a><u>${USERNAME}</u><p>${SECRET}</p></a>\n",
	}
}

// TestCheckReports is a table of broken configurations: check must report
// each with its file and line, and exit 1 on errors (with -strict, on
// warnings too).
func TestCheckReports(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		strict bool
		code   int
		want   []string
	}{
		{"good", nil, true, 0, []string{"1 profiles, 1 phones, 1 routes; 0 errors, 0 warnings"}},
		{"HTTP listener", map[string]string{"etc/phoneprovd.conf": "[general]\nhttp = notanaddr\n"}, false, 1,
			[]string{`error: phoneprovd.conf:2: http: "notanaddr" is not a listen address`}},
		{"TFTP listener", map[string]string{"etc/phoneprovd.conf": "[tftp]\nlisten = 127.0.0.1:99999\n"}, false, 1,
			[]string{`phoneprovd.conf:2: listen: "127.0.0.1:99999": port 99999 is not from 0 to 65535`}},
		{"digest without credentials", map[string]string{"etc/phoneprovd.conf": "[security]\n\nauth = digest\n"}, false, 1,
			[]string{"phoneprovd.conf:3: [security] auth = digest, but there is no auth_user/auth_password and 1 of 1 phones have no PROV_USER/PROV_PASSWORD: every sensitive file of theirs is refused with 403 (0004f2000001)"}},
		{"digest with the site's credentials", map[string]string{"etc/phoneprovd.conf": "[security]\nauth = digest\nauth_user = site\nauth_password = long-random\n"}, true, 0,
			[]string{"0 errors, 0 warnings"}},
		{"unknown variable", map[string]string{"lib/phoneprov/t.xml": "<a>\n${USRENAME}</a>\n"}, false, 1,
			[]string{"/t.xml:2: unknown variable ${USRENAME}", "did you mean USERNAME?"}},
		{"unknown function", map[string]string{"lib/phoneprov/t.xml": "<a>${TOLOWR(${MAC})}</a>\n"}, false, 1,
			[]string{"/t.xml:1: unknown function ${TOLOWR()}"}},
		{"unterminated", map[string]string{"lib/phoneprov/t.xml": "<a>\n\n<p>${SECRET</p></a>\n"}, false, 1,
			[]string{"/t.xml:3: unterminated ${SECRET"}},
		{"missing static file", map[string]string{"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\nstatic_file => fw.ld\n${MAC}.xml => t.xml\n"}, true, 1,
			[]string{"warning: ", "phoneprov.conf:4: static_file \"fw.ld\" of profile [p]", "does not exist"}},
		{"missing static file, not strict", map[string]string{"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\nstatic_file => fw.ld\n${MAC}.xml => t.xml\n"}, false, 0,
			[]string{"0 errors, 1 warnings"}},
		{"name that breaks the directory", map[string]string{
			"etc/users.conf":      "[6001]\nusername = 6001\nfullname = Smith & Sons\nmacaddress = 0004f2000001\nautoprov = yes\n[6002]\nusername = 6002\nmacaddress = 0004f2000002\nautoprov = yes\n",
			"lib/phoneprov/t.xml": "<directory>${PP_EACH_USER(<fn>%{DISPLAY_NAME}</fn>,${MAC})}</directory>\n",
		}, false, 1, []string{`users.conf:1: DISPLAY_NAME of 6001 is "Smith & Sons", which t.xml inserts into XML unescaped`}},
		{"MAC with colons", map[string]string{"etc/users.conf": "[6001]\nusername = 6001\nmacaddress = 00:15:65:AA:BB:CC\nautoprov = yes\n"}, true, 1,
			[]string{`warning: `, `users.conf:1: MAC "00:15:65:AA:BB:CC" is not 12 hexadecimal digits: its files are served as 00:15:65:AA:BB:CC.xml`, "write 001565aabbcc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := goodSite()
			for k, v := range tt.files {
				files[k] = v
			}
			conf, data := writeSite(t, files)
			args := []string{"check", "-config-dir", conf, "-data-dir", data}
			if tt.strict {
				args = append(args, "-strict")
			}
			r := runCmd(t, args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
				}
			}
			if strings.Contains(r.stdout+r.stderr, "pw6001") {
				t.Errorf("a secret in the output:\n%s", r.stdout)
			}
		})
	}
}

// TestCheckReportsEverythingAtOnce puts every problem above in one
// configuration: one run reports them all.
func TestCheckReportsEverythingAtOnce(t *testing.T) {
	conf, data := writeSite(t, map[string]string{
		"etc/phoneprovd.conf": "[general]\nhttp = notanaddr\n[tftp]\nlisten = 127.0.0.1:99999\n[security]\nauth = digest\n",
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\nstatic_file => fw.ld\nmime_type => text/xml\n${MAC}.xml => t.xml\n",
		"etc/users.conf": "[6001]\nusername = 6001\nfullname = Smith & Sons\nsecret = pw6001\nmacaddress = 0004f2000001\nautoprov = yes\n" +
			"[6002]\nusername = 6002\nmacaddress = 00:15:65:AA:BB:CC\nautoprov = yes\n",
		"lib/phoneprov/t.xml": "<d>\n<u>${USRENAME}</u>\n<f>${TOLOWR(${MAC})}</f>\n${PP_EACH_USER(<fn>%{DISPLAY_NAME}</fn>,${MAC})}\n<s>${SECRET}</s>\n</d>\n<p>${SECRET\n",
	})
	r := runCmd(t, "check", "-config-dir", conf, "-data-dir", data)
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
	for _, want := range []string{
		`phoneprovd.conf:2: http: "notanaddr"`,
		`phoneprovd.conf:4: listen: "127.0.0.1:99999"`,
		"phoneprovd.conf:6: [security] auth = digest",
		"phoneprov.conf:4: static_file \"fw.ld\"",
		"t.xml:2: unknown variable ${USRENAME}",
		"t.xml:3: unknown function ${TOLOWR()}",
		"t.xml:7: unterminated ${SECRET",
		`users.conf:1: DISPLAY_NAME of 6001 is "Smith & Sons"`,
		`users.conf:7: MAC "00:15:65:AA:BB:CC"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() || strings.Contains(r.stdout, "pw6001") {
		t.Logf("output:\n%s%s", r.stdout, r.stderr)
	}
}
