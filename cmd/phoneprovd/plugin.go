package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
)

// runPlugin is "phoneprovd plugin SUBCOMMAND": tools for plugin authors.
func runPlugin(ctx context.Context, e *env, args []string) int {
	return pluginCommand(ctx, e, args, defaultPluginEngine())
}

// pluginCommand runs a plugin subcommand with eng as the template engine.
func pluginCommand(_ context.Context, e *env, args []string, eng plugin.Engine) int {
	if len(args) == 0 || args[0] != "render" {
		fmt.Fprintln(e.stderr, "usage: phoneprovd plugin render -plugins-dir DIR -plugin NAME -device DEVICE.json -config RAW.json -out OUTDIR")
		return 2
	}
	return pluginRender(e, args[1:], eng)
}

// pluginRender writes the files provd's configure() would write for a
// device: the plugin NAME of DIR configures the device of DEVICE.json
// (provd's device JSON) with RAW.json (its raw config, as
// GET /cfg_mgr/configs/<id>/raw returns it), and each file is written
// under OUTDIR by its name relative to the plugin's var/tftpboot.
func pluginRender(e *env, args []string, eng plugin.Engine) int {
	fs := newFlagSet(e, "plugin render", "-plugins-dir DIR -plugin NAME -device DEVICE.json -config RAW.json -out OUTDIR")
	dir := fs.String("plugins-dir", "/var/lib/asterisk/plugins", "the plugins directory")
	name := fs.String("plugin", "", "the plugin's directory name, e.g. wazo-yealink-v86")
	devPath := fs.String("device", "", "the device, provd's JSON")
	cfgPath := fs.String("config", "", "the device's raw config, provd's JSON")
	out := fs.String("out", "", "where to write the files")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *name == "" || *devPath == "" || *cfgPath == "" || *out == "" {
		fs.Usage()
		return 2
	}
	if eng == nil {
		return fail(e, errors.New("plugin render: this build has no Jinja2 engine"))
	}
	p, err := plugin.Load(filepath.Join(*dir, *name), plugin.Options{Engine: eng})
	if err != nil {
		return fail(e, err)
	}
	data, err := os.ReadFile(*devPath)
	if err != nil {
		return fail(e, err)
	}
	dev, err := provd.DecodeDevice(data)
	if err != nil {
		return fail(e, fmt.Errorf("%s: %w", *devPath, err))
	}
	if dev.MAC == "" {
		return fail(e, fmt.Errorf("%s: the device has no MAC address: provd configures only devices with one", *devPath))
	}
	if data, err = os.ReadFile(*cfgPath); err != nil {
		return fail(e, err)
	}
	raw, err := provd.DecodeRawConfig(data)
	if err != nil {
		return fail(e, fmt.Errorf("%s: %w", *cfgPath, err))
	}
	files, err := p.Configure(dev, raw)
	if err != nil {
		return fail(e, err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := writeAtomic(*out, n, files[n]); err != nil {
			return fail(e, err)
		}
		fmt.Fprintln(e.stdout, n)
	}
	return 0
}

// writeAtomic writes name under dir as provd does: a .tmp file renamed.
func writeAtomic(dir, name string, data []byte) error {
	if filepath.IsAbs(name) || strings.Contains("/"+filepath.ToSlash(name)+"/", "/../") {
		return fmt.Errorf("refusing to write %q outside %s", name, dir)
	}
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
