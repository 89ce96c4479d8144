package repo

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// Index is a plugin server's plugins.db: the installable plugins by ID,
// as Wazo's pgbuild writes it — a JSON object whose values are each
// plugin's plugin-info plus filename, dsize and sha1sum.
type Index map[string]*Entry

// Entry is one installable plugin.
type Entry struct {
	ID          string
	Version     string
	Description string
	// Descriptions holds description_<lang> by lang, lower-cased.
	Descriptions map[string]string
	// Capabilities maps "vendor, model, version" to what the model can do.
	Capabilities map[string]json.RawMessage
	Filename     string // the package, a .tar.bz2 beside plugins.db
	DSize        int64  // its size in bytes
	SHA1         string // its SHA-1, 40 lower-case hex digits
	Line         int    // where the entry starts in plugins.db
}

// LocalDescription returns the description for a locale such as "fr_FR".
func (e *Entry) LocalDescription(locale string) string {
	return localDescription(e.Description, e.Descriptions, locale)
}

func localDescription(d string, ds map[string]string, locale string) string {
	if locale != "" {
		locale = strings.ToLower(locale)
		if s, ok := ds[locale]; ok {
			return s
		}
		lang, _, _ := strings.Cut(locale, "_")
		if s, ok := ds[lang]; ok {
			return s
		}
	}
	return d
}

// IDs returns the plugin IDs, sorted.
func (ix Index) IDs() []string {
	ids := make([]string, 0, len(ix))
	for id := range ix {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ParseIndex reads a plugins.db. Every error names the file (name) and
// the line: of a JSON syntax error, or of the entry that is wrong.
func ParseIndex(name string, data []byte) (Index, error) {
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	fail := func(off int64, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, lineAt(off), fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fail(se.Offset, "not valid JSON: %v", err)
		}
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return fail(ute.Offset, "not a plugin index: %v", err)
		}
		return fail(dec.InputOffset(), "not valid JSON: %v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fail(0, "not a plugin index: want a JSON object of plugins")
	}
	ix := Index{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		off := dec.InputOffset()
		id := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, syntax(err)
		}
		var raw map[string]json.RawMessage
		if !bytes.HasPrefix(value, []byte("{")) || json.Unmarshal(value, &raw) != nil {
			return nil, fail(off, "plugin %q: not a JSON object", id)
		}
		if _, dup := ix[id]; dup {
			return nil, fail(off, "plugin %q appears twice", id)
		}
		e, err := parseEntry(id, raw)
		if err != nil {
			return nil, fail(off, "plugin %q: %v", id, err)
		}
		e.Line = lineAt(off)
		ix[id] = e
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax(err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, fail(dec.InputOffset(), "not valid JSON: data after the index")
	}
	return ix, nil
}

func parseEntry(id string, raw map[string]json.RawMessage) (*Entry, error) {
	if err := CheckID(id); err != nil {
		return nil, err
	}
	e := &Entry{ID: id, Descriptions: map[string]string{}}
	for _, k := range []string{"capabilities", "description", "version", "dsize", "filename", "sha1sum"} {
		if _, ok := raw[k]; !ok {
			return nil, fmt.Errorf("missing key %q", k)
		}
	}
	str := func(k string, dst *string) error {
		if err := json.Unmarshal(raw[k], dst); err != nil {
			return fmt.Errorf("%s is not a string", k)
		}
		return nil
	}
	for k, dst := range map[string]*string{"version": &e.Version, "description": &e.Description, "filename": &e.Filename, "sha1sum": &e.SHA1} {
		if err := str(k, dst); err != nil {
			return nil, err
		}
	}
	for k := range raw {
		if lang, ok := strings.CutPrefix(k, "description_"); ok {
			var s string
			if json.Unmarshal(raw[k], &s) == nil {
				e.Descriptions[strings.ToLower(lang)] = s
			}
		}
	}
	if err := json.Unmarshal(raw["capabilities"], &e.Capabilities); err != nil || e.Capabilities == nil {
		return nil, errors.New("capabilities is not a JSON object")
	}
	var n json.Number
	if err := json.Unmarshal(raw["dsize"], &n); err != nil || bytes.HasPrefix(raw["dsize"], []byte(`"`)) {
		return nil, errors.New("dsize is not a number")
	}
	size, err := n.Int64()
	if err != nil || size < 0 || size > math.MaxInt64/2 {
		return nil, fmt.Errorf("dsize %s is not a size in bytes", n)
	}
	e.DSize = size
	if err := pkgsdb.CheckFilename(e.Filename); err != nil || strings.HasPrefix(e.Filename, ".") || strings.HasSuffix(e.Filename, ".part") {
		return nil, fmt.Errorf("filename %q is not a plain file name", e.Filename)
	}
	e.SHA1 = strings.ToLower(e.SHA1)
	if b, err := hex.DecodeString(e.SHA1); err != nil || len(b) != 20 {
		return nil, fmt.Errorf("sha1sum %q is not a SHA-1 (40 hex digits)", e.SHA1)
	}
	return e, nil
}

// CheckID refuses a plugin ID that cannot name a directory of the plugins
// directory: empty, with "/", or starting with "." (phoneprovd's own
// temporary directories start with ".").
func CheckID(id string) error {
	if pkgsdb.CheckFilename(id) != nil || strings.HasPrefix(id, ".") {
		return fmt.Errorf("%q is not a plugin name (a plain directory name not starting with \".\")", id)
	}
	return nil
}
