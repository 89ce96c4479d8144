package plugin

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/family/provd"
)

// Plugin is one loaded plugin directory.
type Plugin struct {
	Name      string // the directory name, "wazo-yealink-v86"
	Dir       string
	Info      Info
	Packages  []Package
	Static    []string // files under var/tftpboot, slash-separated, sorted
	Family    family.Family
	Behaviour provd.Plugin
	templates Templates

	// Inputs are the files the plugin was loaded from (plugin-info, the
	// files of pkgs/, every template of the search path), with the sums of
	// what was read; Dirs the directories whose listing the plugin
	// depends on (a template or a static file added there changes it).
	// Sum digests the Inputs: two loads with the same Sum render alike.
	Inputs []Source
	Dirs   []string
	Sum    [32]byte
}

// Options are what loading needs besides the directory.
type Options struct {
	Engine Engine        // renders the templates; required
	Provd  provd.Options // passed to the families' plugin behaviour
}

// Directories of a plugin, as provd lays them out.
const (
	InfoFile       = "plugin-info"
	PkgsDir        = "pkgs"
	TemplatesDir   = "templates"
	CustomTplDir   = "var/templates"
	TFTPBootDir    = "var/tftpboot"
	maxPluginFiles = 64 << 20
	maxStaticDirs  = 1024
)

// FamilyName returns the family a plugin directory name selects:
// "wazo-<family>-<version>" ("wazo-yealink-v86" → "yealink").
func FamilyName(pluginName string) (string, bool) {
	rest, ok := strings.CutPrefix(pluginName, "wazo-")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, "-")
	return name, ok && name != ""
}

// Load loads the plugin in dir. Errors name the file (and line) at fault.
func Load(dir string, opts Options) (*Plugin, error) {
	if opts.Engine == nil {
		return nil, errors.New("plugin: no template engine")
	}
	p := &Plugin{Name: filepath.Base(dir), Dir: dir}
	famName, ok := FamilyName(p.Name)
	if !ok {
		return nil, fmt.Errorf("%s: plugin name is not wazo-<family>-<version>", dir)
	}
	if p.Family, ok = families.ByName(famName); !ok || p.Family.Provd == nil {
		return nil, fmt.Errorf("%s: no family %q with Wazo plugin support", dir, famName)
	}
	infoPath := filepath.Join(dir, InfoFile)
	data, err := readFile(infoPath)
	if err != nil {
		return nil, err
	}
	p.Inputs = append(p.Inputs, Source{Name: InfoFile, Path: infoPath, Sum: sha256.Sum256(data)})
	if p.Info, err = ParseInfo(data); err != nil {
		return nil, fmt.Errorf("%s:%w", infoPath, prefixLine(err))
	}
	if p.Packages, err = p.loadPkgs(filepath.Join(dir, PkgsDir)); err != nil {
		return nil, err
	}
	if p.Behaviour, err = p.Family.Provd(p.Name, opts.Provd); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	var dirs []string
	for _, d := range []string{CustomTplDir, TemplatesDir} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err == nil && fi.IsDir() {
			dirs = append(dirs, filepath.Join(dir, d))
		}
	}
	p.Dirs = append(p.Dirs, dir, filepath.Join(dir, PkgsDir), filepath.Join(dir, "var"), filepath.Join(dir, CustomTplDir), filepath.Join(dir, TemplatesDir))
	if p.templates, err = opts.Engine.Load(dirs); err != nil {
		return nil, err
	}
	if src, ok := p.templates.(Sourced); ok {
		p.Inputs = append(p.Inputs, src.Sources()...)
	}
	if p.Static, err = listFiles(filepath.Join(dir, TFTPBootDir), &p.Dirs); err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, in := range p.Inputs {
		fmt.Fprintf(h, "%s\x00%x\n", in.Name, in.Sum)
	}
	h.Sum(p.Sum[:0])
	return p, nil
}

// prefixLine turns "line N: msg" into "N: msg" so that it follows a file
// name and a colon; other errors get a space.
func prefixLine(err error) error {
	if s, ok := strings.CutPrefix(err.Error(), "line "); ok {
		return errors.New(s)
	}
	return fmt.Errorf(" %w", err)
}

// readFile reads a plugin file of bounded size.
func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxPluginFiles {
		return nil, fmt.Errorf("%s: %d bytes is too large", path, fi.Size())
	}
	return os.ReadFile(path)
}

// loadPkgs reads every file of pkgs/ that does not start with a dot, as
// provd does.
func (p *Plugin) loadPkgs(dir string) ([]Package, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []Package
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := readFile(path)
		if err != nil {
			return nil, err
		}
		p.Inputs = append(p.Inputs, Source{Name: PkgsDir + "/" + e.Name(), Path: path, Sum: sha256.Sum256(data)})
		pkgs, err := ParsePkgsDB(path, data)
		if err != nil {
			return nil, err
		}
		all = append(all, pkgs...)
	}
	return all, nil
}

// listFiles returns the regular files under dir, slash-separated and
// sorted, and adds the directories walked to dirs; a missing dir has none.
func listFiles(dir string, dirs *[]string) ([]string, error) {
	var out []string
	*dirs = append(*dirs, dir)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() && path != dir {
			if len(*dirs) > maxStaticDirs {
				return fmt.Errorf("%s: more than %d directories", dir, maxStaticDirs)
			}
			*dirs = append(*dirs, path)
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// LoadDir loads every plugin directory under dir. A plugin that fails to
// load is left out and its error returned with the others'.
func LoadDir(dir string, opts Options) ([]*Plugin, []error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, []error{err}
	}
	var ps []*Plugin
	var errs []error
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p, err := Load(filepath.Join(dir, e.Name()), opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps = append(ps, p)
	}
	return ps, errs
}

// ErrUnknownModel is wrapped by Configure's error for a device whose model
// the plugin does not support.
var ErrUnknownModel = errors.New("unknown model")

// File is one file a device is served: its name relative to var/tftpboot,
// the template it is rendered from (the first of provd.File.Templates the
// plugin has) and the template's variables.
type File struct {
	Name     string
	Template string
	Context  *provd.Dict
}

// Files is what provd's configure() decides for dev with raw (its raw
// config as provd merges it), without rendering: each file's name,
// template and variables. A device with a model the plugin does not rate
// at least COMPLETE is refused (ErrUnknownModel); a device without a model
// is configured as provd would (the autoprov case).
func (p *Plugin) Files(dev provd.Device, raw *provd.Dict) ([]File, error) {
	if dev.Model != "" {
		if s := p.Behaviour.Associate(dev.Vendor, dev.Model, dev.Version); s < provd.Complete {
			var models []string
			for _, c := range p.Info.Models() {
				models = append(models, c.Model)
			}
			return nil, fmt.Errorf("%s: %w %q (vendor %q, rated %s; the plugin supports %s)",
				p.Name, ErrUnknownModel, dev.Model, dev.Vendor, s, strings.Join(models, ", "))
		}
	}
	files, err := p.Behaviour.Configure(dev, raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	out := make([]File, 0, len(files))
	for _, f := range files {
		name := ""
		for _, t := range f.Templates {
			if p.templates.Has(t) {
				name = t
				break
			}
		}
		if name == "" {
			return nil, fmt.Errorf("%s: %s: no template among %s", p.Name, f.Name, strings.Join(f.Templates, ", "))
		}
		out = append(out, File{Name: f.Name, Template: name, Context: f.Context})
	}
	return out, nil
}

// Render renders one of the files Files returned.
func (p *Plugin) Render(f File) ([]byte, error) {
	body, err := p.templates.Render(f.Template, f.Context)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", p.Name, f.Name, err)
	}
	return body, nil
}

// Configure renders the files provd's configure() writes for dev with raw,
// by name relative to var/tftpboot (Files, then Render).
func (p *Plugin) Configure(dev provd.Device, raw *provd.Dict) (map[string][]byte, error) {
	files, err := p.Files(dev, raw)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		body, err := p.Render(f)
		if err != nil {
			return nil, err
		}
		out[f.Name] = body
	}
	return out, nil
}
