package phoneprov

import (
	"path/filepath"
	"strings"
	"testing"
)

// checkSite is a one-profile configuration whose template, extra profile
// lines and users a test chooses.
func checkSite(t *testing.T, profile, template, users string) *site {
	t.Helper()
	s := newSite(t).cf("phoneprov.conf", "\n\t[general]\n\tdefault_profile = p\n\t[p]\n\tmime_type => text/xml\n"+profile+"\t${MAC}.xml => t.xml\n").
		tmpl("t.xml", template)
	if users == "" {
		users = oneUser
	}
	return s.cf("users.conf", users)
}

// findDiag returns the diagnostic at file (base name) and line whose
// message holds every part.
func findDiag(diags []Diagnostic, file string, line int, parts ...string) (Diagnostic, bool) {
	for _, d := range diags {
		if filepath.Base(d.Pos.File) != file || d.Pos.Line != line {
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(d.Msg, p)
		}
		if ok {
			return d, true
		}
	}
	return Diagnostic{}, false
}

// TestCheck is a table of broken configurations: each must be reported
// with its severity, file and line.
func TestCheck(t *testing.T) {
	const xmlHead = "<?xml version=\"1.0\"?>\n"
	tests := []struct {
		name              string
		profile, template string
		users             string
		sev               Severity
		file              string
		line              int
		want              []string
	}{
		{
			name:     "unknown variable",
			template: xmlHead + "<a>\n<u>${USRENAME}</u>\n</a>\n",
			sev:      Error, file: "t.xml", line: 3,
			want: []string{"unknown variable ${USRENAME}", "renders empty", "did you mean USERNAME?"},
		},
		{
			name:     "unknown function",
			template: xmlHead + "<a>${TOLOWR(${MAC})}</a>\n",
			sev:      Error, file: "t.xml", line: 2,
			want: []string{"unknown function ${TOLOWR()}", "did you mean TOLOWER?"},
		},
		{
			name:     "unterminated reference",
			template: xmlHead + "<a>\n<p>${SECRET</p>\n</a>\n",
			sev:      Error, file: "t.xml", line: 3,
			want: []string{"unterminated ${SECRET</p>", "no closing }"},
		},
		{
			name:     "unterminated expression",
			template: xmlHead + "<a>$[1 + 2</a>\n",
			sev:      Error, file: "t.xml", line: 2,
			want: []string{"unterminated $[", "no closing ]"},
		},
		{
			name:     "variable named by CUT",
			template: xmlHead + "<a>${CUT(DISPLAYNAME,\\ ,1)}</a>\n",
			sev:      Error, file: "t.xml", line: 2,
			want: []string{"CUT(): unknown variable ${DISPLAYNAME}", "did you mean DISPLAY_NAME?"},
		},
		{
			name:     "missing PP_EACH_EXTENSION template",
			template: xmlHead + "<a>\n${PP_EACH_EXTENSION(${MAC}, line.xml)}</a>\n",
			sev:      Error, file: "t.xml", line: 3,
			want: []string{`PP_EACH_EXTENSION: template " line.xml" cannot be read`, "the space after the comma"},
		},
		{
			name:     "unknown function in a setvar",
			profile:  "\tsetvar => LOWER=${TOLOWR(${MAC})}\n",
			template: xmlHead + "<a>${LOWER}</a>\n",
			sev:      Error, file: "phoneprov.conf", line: 5,
			want: []string{"setvar LOWER: unknown function ${TOLOWR()}"},
		},
		{
			name:     "missing static file",
			profile:  "\tstatic_file => firmware.ld\n",
			template: xmlHead + "<a/>\n",
			sev:      Warning, file: "phoneprov.conf", line: 5,
			want: []string{`static_file "firmware.ld" of profile [p]`, "does not exist", "500"},
		},
		{
			name:     "name that breaks XML",
			template: xmlHead + "<dir>\n${PP_EACH_USER(<e><n>%{DISPLAY_NAME}</n></e>\n,)}</dir>\n",
			users:    "[6001]\nusername = 6001\nfullname = Smith & Sons\nmacaddress = 0004f2000001\nautoprov = yes\n",
			sev:      Error, file: "users.conf", line: 1,
			want: []string{`DISPLAY_NAME of 6001 is "Smith & Sons"`, "t.xml inserts into XML unescaped", "invalid character entity &", "XML_DISPLAY_NAME"},
		},
		{
			name:     "secret that breaks XML is not shown",
			template: xmlHead + "<a>\n<p>${SECRET}</p>\n</a>\n",
			users:    "[6001]\nusername = 6001\nsecret = s3<cr3t\nmacaddress = 0004f2000001\nautoprov = yes\n",
			sev:      Error, file: "users.conf", line: 1,
			want: []string{"SECRET of 6001 is (a secret, not shown)", "not shown"},
		},
		{
			name:     "template that breaks XML",
			template: xmlHead + "<a>\n<b>text</c>\n</a>\n",
			sev:      Error, file: "t.xml", line: 3,
			want: []string{"not well-formed XML: element <b> closed by </c>"},
		},
		{
			name:     "attribute given twice",
			template: xmlHead + "<a x=\"1\"\n x=\"2\"/>\n",
			sev:      Error, file: "t.xml", line: 2,
			want: []string{"attribute x given twice in <a>"},
		},
		{
			name:     "IPv6 URL without brackets",
			template: xmlHead + "<a>\n<url>http://${SERVER}:8080/phoneprov/${MAC}.xml</url>\n</a>\n",
			sev:      Error, file: "t.xml", line: 3,
			want: []string{"URL http://2001:db8::1:8080… holds an IPv6 address without brackets"},
		},
		{
			name:     "Polycom parameter set twice",
			template: xmlHead + "<polycomConfig>\n<reg reg.1.label=\"a\"/>\n<reg reg.1.label=\"b\"/>\n</polycomConfig>\n",
			sev:      Warning, file: "t.xml", line: 4,
			want: []string{"Polycom parameter reg.1.label is set twice"},
		},
		{
			name:     "Yealink line that is not key = value",
			template: "#!version:1.0.0.1\naccount.1.enable = 1\naccount.1.label ${LABEL}\n",
			sev:      Error, file: "t.xml", line: 3,
			want: []string{`line "account.1.label" is neither a comment nor key = value`},
		},
		{
			name:     "MAC with colons",
			template: xmlHead + "<a/>\n",
			users:    "[6001]\nusername = 6001\nmacaddress = 00:15:65:AA:BB:CC\nautoprov = yes\n",
			sev:      Warning, file: "users.conf", line: 1,
			want: []string{`MAC "00:15:65:AA:BB:CC" is not 12 hexadecimal digits`, "00:15:65:AA:BB:CC.xml", "write 001565aabbcc"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := checkSite(t, tt.profile, tt.template, tt.users)
			snap := s.load()
			diags := snap.Check(CheckOptions{})
			d, ok := findDiag(diags, tt.file, tt.line, tt.want...)
			if !ok {
				t.Fatalf("no diagnostic at %s:%d with %q; got:\n%s", tt.file, tt.line, tt.want, diagList(diags))
			}
			if d.Severity != tt.sev {
				t.Errorf("severity %s, want %s: %s", d.Severity, tt.sev, d)
			}
			for _, d := range diags {
				if strings.Contains(d.String(), "s3<cr3t") || strings.Contains(d.String(), "cr3t") {
					t.Errorf("a secret in a message: %s", d)
				}
			}
		})
	}
}

// TestCheckEverythingAtOnce checks that one run reports every problem,
// not only the first.
func TestCheckEverythingAtOnce(t *testing.T) {
	s := checkSite(t, "\tstatic_file => missing.ld\n",
		"<?xml version=\"1.0\"?>\n<dir>\n<u>${USRENAME}</u>\n<f>${TOLOWR(${MAC})}</f>\n<u>http://${SERVER}:80/</u>\n${PP_EACH_USER(<n>%{DISPLAY_NAME}</n>,)}</dir>\n<p>${SECRET\n",
		"[6001]\nusername = 6001\nfullname = A & B\nmacaddress = 0004f2000001\nautoprov = yes\n[6002]\nusername = 6002\nmacaddress = 00-04-f2-00-00-02\nautoprov = yes\n")
	diags := s.load().Check(CheckOptions{})
	for _, w := range []struct {
		file string
		line int
		part string
	}{
		{"t.xml", 3, "unknown variable ${USRENAME}"},
		{"t.xml", 4, "unknown function ${TOLOWR()}"},
		{"t.xml", 7, "unterminated ${SECRET"},
		{"phoneprov.conf", 5, `static_file "missing.ld"`},
		{"users.conf", 1, `DISPLAY_NAME of 6001 is "A & B"`},
		{"t.xml", 5, "URL http://2001:db8::1:80… holds an IPv6 address without brackets"},
		{"users.conf", 6, `MAC "00-04-f2-00-00-02"`},
	} {
		if _, ok := findDiag(diags, w.file, w.line, w.part); !ok {
			t.Errorf("no %s:%d %q in:\n%s", w.file, w.line, w.part, diagList(diags))
		}
	}
}

// TestCheckCleanConfiguration checks that a correct configuration gives
// nothing to report: no false alarm for variables set by SET, for
// PP_EACH_USER placeholders, for escaped values, for bracketed URLs.
func TestCheckCleanConfiguration(t *testing.T) {
	s := checkSite(t, "\tsetvar => X1=${STRREPLACE(DISPLAY_NAME,&,&amp\\;)}\n",
		"<?xml version=\"1.0\"?>\n<a n=\"${X1}\">${SET(T=1)}${T}${IF($[\"${SERVER}\" =~ \":\"]?[${SERVER}]:${SERVER})}\n"+
			"<u>http://${IF($[\"${SERVER}\" =~ \":\"]?[${SERVER}]:${SERVER})}:${PROV_PORT}/</u>${PP_EACH_USER(<n>%{X1}</n>,)}\n"+
			"<z>${DST_START_WEEK}${TZOFFSET}${ASTDATADIR}${EPOCH}</z></a>\n",
		"[6001]\nusername = 6001\nfullname = A & B\nmacaddress = 0004f2000001\nautoprov = yes\n")
	if diags := s.load().Check(CheckOptions{}); len(diags) > 0 {
		t.Errorf("clean configuration, got:\n%s", diagList(diags))
	}
}

func diagList(diags []Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity.String() + ": " + d.String() + "\n")
	}
	return b.String()
}
