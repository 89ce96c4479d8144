package phoneprov

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// Profile is one phoneprov.conf section other than [general]: the files a
// kind of phone is served and the variables its templates see.
type Profile struct {
	Name    string
	Setvars subst.Vars // in file order, values unsubstituted
	Static  []*File
	Dynamic []*File
	Source  Pos // the section header
}

// File is one static_file or dynamic file line of a profile.
type File struct {
	// Format is the route URI: the file name of a static file, or the URI
	// format of a dynamic file (substituted per phone, e.g. "${MAC}.cfg").
	Format string
	// Template is the path under DATA-DIR/phoneprov: staticdir+name for a
	// static file, the template for a dynamic file.
	Template string
	MIME     string
	Static   bool
	Source   Pos
}

// Pos is a place in a configuration file.
type Pos struct {
	File string
	Line int
}

// parseProfiles builds every profile of phoneprov.conf in file order, as
// res_phoneprov's load_common and build_profile do
// (docs/asterisk.md#phoneprovconf): [general] is
// skipped (case-insensitively); keys are handled in order, so mime_type and
// staticdir apply to the lines after them only.
func parseProfiles(cfg *config.Config, opts *Options) []*Profile {
	var profiles []*Profile
	for _, sec := range cfg.Browse() {
		if strings.EqualFold(sec.Name, "general") {
			continue
		}
		profiles = append(profiles, buildProfile(sec, opts))
	}
	return profiles
}

func buildProfile(sec *config.Section, opts *Options) *Profile {
	p := &Profile{Name: sec.Name, Source: Pos{sec.File, sec.Line}}
	var defaultMIME, staticDir string
	for _, v := range sec.Vars {
		pos := Pos{v.File, v.Line}
		switch {
		case strings.EqualFold(v.Name, "mime_type"):
			defaultMIME = v.Value
		case strings.EqualFold(v.Name, "setvar"):
			// NAME=VALUE split at the first top-level '=', NAME with quotes
			// and backslashes processed, VALUE raw; both trimmed; an empty
			// part drops the line.
			args := subst.SplitArgs(v.Value, '=', 2, true)
			if len(args) < 2 || args[0] == "" || args[1] == "" {
				continue
			}
			name, value := cstring.Strip(args[0]), cstring.Strip(args[1])
			if name == "" || value == "" {
				continue
			}
			p.Setvars = append(p.Setvars, subst.Var{Name: name, Value: value})
		case strings.EqualFold(v.Name, "staticdir"):
			staticDir = v.Value
		default:
			args := subst.SplitArgs(v.Value, ',', 2, true)
			filename, mime := subst.Arg(args, 0), subst.Arg(args, 1)
			f := &File{Source: pos}
			if strings.EqualFold(v.Name, "static_file") {
				f.Static = true
				f.Format = filename
				f.Template = staticDir + filename
			} else {
				f.Format = v.Name
				f.Template = filename
			}
			f.MIME = mime
			if f.MIME == "" && opts.MIMEByExtension {
				f.MIME = mimeForExtension(f.Format)
			}
			if f.MIME == "" {
				f.MIME = defaultMIME
			}
			if f.MIME == "" {
				f.MIME = "text/plain"
			}
			if f.Static {
				p.Static = append(p.Static, f)
			} else {
				p.Dynamic = append(p.Dynamic, f)
			}
		}
	}
	return p
}

// String formats p as "file:line".
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}
