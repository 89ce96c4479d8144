package repo

import (
	"regexp"
	"strings"
	"testing"
)

const goodIndex = `{
    "wazo-yealink-v86": {
        "capabilities": {"Yealink, T27G, 69.86.0.15": {"lines": 6}, "Yealink, T46S, 66.86.0.15": {}},
        "description": "Plugin for Yealink",
        "description_fr": "Greffon pour Yealink",
        "dsize": 1234567,
        "filename": "wazo-yealink-v86-1.4.11.tar.bz2",
        "sha1sum": "0123456789ABCDEF0123456789abcdef01234567",
        "version": "1.4.11",
        "vendor": "Yealink"
    },
    "wazo-digium-1.4.0.0": {"capabilities": {}, "description": "Digium", "dsize": 10, "filename": "d.tar.bz2", "sha1sum": "0123456789abcdef0123456789abcdef01234567", "version": "0.4"}
}`

func TestParseIndex(t *testing.T) {
	ix, err := ParseIndex("plugins.db", []byte(goodIndex))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ix.IDs(), " ") != "wazo-digium-1.4.0.0 wazo-yealink-v86" {
		t.Errorf("ids %v", ix.IDs())
	}
	e := ix["wazo-yealink-v86"]
	if e.Version != "1.4.11" || e.DSize != 1234567 || e.SHA1 != "0123456789abcdef0123456789abcdef01234567" || len(e.Capabilities) != 2 ||
		e.LocalDescription("fr_FR") != "Greffon pour Yealink" || e.LocalDescription("") != "Plugin for Yealink" || e.Line != 2 || ix["wazo-digium-1.4.0.0"].Line != 12 {
		t.Errorf("entry %+v", e)
	}
}

func TestParseIndexErrors(t *testing.T) {
	entry := func(kv string) string {
		base := map[string]string{
			"capabilities": `{}`, "description": `"d"`, "dsize": `10`, "filename": `"p.tar.bz2"`,
			"sha1sum": `"0123456789abcdef0123456789abcdef01234567"`, "version": `"1"`,
		}
		k, v, _ := strings.Cut(kv, "=")
		if v == "" {
			delete(base, k)
		} else {
			base[k] = v
		}
		var parts []string
		for _, key := range []string{"capabilities", "description", "dsize", "filename", "sha1sum", "version"} {
			if val, ok := base[key]; ok {
				parts = append(parts, `"`+key+`": `+val)
			}
		}
		return "{\n\"p\": {" + strings.Join(parts, ", ") + "}\n}"
	}
	tests := []struct{ in, want string }{
		{"", `^plugins.db:1: not valid JSON`},
		{"[]", `^plugins.db:1: not a plugin index: want a JSON object of plugins$`},
		{"{\n\n\"a\" 1}", `^plugins.db:3: not valid JSON`},
		{"{\n\n\"p\": 3}", `^plugins.db:3: plugin "p": not a JSON object$`},
		{"{} {}", `^plugins.db:1: not valid JSON: data after the index$`},
		{entry("version="), `^plugins.db:2: plugin "p": missing key "version"$`},
		{entry("dsize=-1"), `^plugins.db:2: plugin "p": dsize -1 is not a size in bytes$`},
		{entry("dsize=1.5"), `dsize 1.5 is not a size in bytes`},
		{entry(`dsize="10"`), `dsize is not a number`},
		{entry(`filename="../x.tar.bz2"`), `filename "../x.tar.bz2" is not a plain file name`},
		{entry(`filename=".hidden"`), `filename ".hidden" is not a plain file name`},
		{entry(`sha1sum="abc"`), `sha1sum "abc" is not a SHA-1`},
		{entry(`capabilities=[]`), `capabilities is not a JSON object`},
		{entry(`version=1`), `version is not a string`},
		{`{"../x": {}}`, `plugin "../x": "../x" is not a plugin name`},
		{`{".x": {}}`, `".x" is not a plugin name`},
		{`{"p": null}`, `plugin "p": not a JSON object`},
		{`{"p": {"version": "1", "capabilities": {}, "description": "", "dsize": 1, "filename": "f", "sha1sum": "0123456789abcdef0123456789abcdef01234567"}, "p": {}}`, `plugin "p" appears twice`},
	}
	for _, tt := range tests {
		_, err := ParseIndex("plugins.db", []byte(tt.in))
		if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
			t.Errorf("ParseIndex(%q) = %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestParseInfo(t *testing.T) {
	for in, want := range map[string]string{
		`[]`: "not a JSON object",
		`{"description": "d", "capabilities": {}}`:               `missing key "version"`,
		`{"version": "1", "description": "d"}`:                   "capabilities is missing",
		`{"version": 1, "description": "d", "capabilities": {}}`: "version is not a string",
	} {
		if _, err := parseInfo("plugin-info", []byte(in)); err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "plugin-info: ") {
			t.Errorf("parseInfo(%s) = %v, want %q", in, err, want)
		}
	}
}

// FuzzParseIndex checks that no input panics the index parser, that every
// error names the file and a line, and that an accepted entry is safe to
// use: a plain plugin name and file name, a SHA-1, a size.
func FuzzParseIndex(f *testing.F) {
	f.Add([]byte(goodIndex))
	f.Add([]byte(`{"p": {"version": "1", "capabilities": {}, "description": "", "dsize": 1e3, "filename": "f", "sha1sum": "0123456789abcdef0123456789abcdef01234567"}}`))
	f.Add([]byte(`{"p": {}, "p": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseIndex("plugins.db", data)
		if err != nil {
			if !regexp.MustCompile(`^plugins\.db:\d+: `).MatchString(err.Error()) {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for id, e := range ix {
			if CheckID(id) != nil || strings.ContainsAny(e.Filename, "/\x00") || e.Filename == ".." || len(e.SHA1) != 40 || e.DSize < 0 {
				t.Fatalf("accepted unsafe entry %q: %+v", id, e)
			}
		}
	})
}
