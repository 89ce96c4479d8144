package phoneprov

import (
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// usersFiles are the files the built-in "sipusers" provider reads, in order
// of preference: Asterisk 23 renamed users.conf to phoneprov_users.conf.
var usersFiles = []string{"phoneprov_users.conf", "users.conf"}

// userKeys maps each standard variable to its users.conf key, in the order
// res_phoneprov transfers them (pp_user_lookup in enum order).
var userKeys = []struct{ variable, key string }{
	{"MAC", "macaddress"},
	{"PROFILE", "profile"},
	{"USERNAME", "username"},
	{"DISPLAY_NAME", "fullname"},
	{"SECRET", "secret"},
	{"LABEL", "label"},
	{"CALLERID", "cid_number"},
	{"TIMEZONE", "timezone"},
	{"LINE", "linenumber"},
	{"LINEKEYS", "linekeys"},
	{"VOICEMAIL_EXTEN", "vmexten"},
	{"EXTENSION_LENGTH", "localextenlength"},
}

// usersFile finds the users file to read: phoneprov_users.conf when it
// exists, else users.conf. It returns "" when neither exists.
func (o *Options) usersFile() string {
	for _, name := range usersFiles {
		path := filepath.Join(o.ConfigDir, name)
		var err error
		if o.Files != nil {
			if abs, aerr := filepath.Abs(path); aerr == nil {
				path = abs
			}
			_, err = o.Files.Stat(path)
		} else {
			_, err = os.Stat(path)
		}
		if err == nil {
			return name
		}
	}
	return ""
}

// loadUsers is the sipusers provider (get_defaults and load_users, SPEC
// §1.4–1.5): one lineSpec per autoprov user of the users file, with the
// phoneprov.conf [general] defaults applied.
//
// A missing users file is not an error (a site may use pjsip.conf only). A
// missing default_profile makes the provider load nobody, as in Asterisk,
// with a warning saying so.
func loadUsers(opts *Options, ppconf *config.Config, d *diags) (lines []lineSpec, cfg *config.Config, err error) {
	name := opts.usersFile()
	if name == "" {
		return nil, nil, nil
	}
	cfg, err = config.Load(name, opts.configOptions())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		return nil, nil, err
	}

	general := ppconf.Section("general")
	var defaults subst.Vars
	if v, ok := opts.retrieve(general, "serveraddr"); ok {
		defaults = append(defaults, subst.Var{Name: "SERVER", Value: v})
	} else if iface, ok := opts.retrieve(general, "serveriface"); ok {
		defaults = append(defaults, subst.Var{Name: "SERVER", Value: opts.interfaceIPv4(iface, d)})
	}
	port, _ := opts.retrieve(general, "serverport")
	if port == "" {
		port = "5060"
	}
	defaults = append(defaults, subst.Var{Name: "SERVER_PORT", Value: port})
	profile, ok := opts.retrieve(general, "default_profile")
	if !ok {
		pos := Pos{File: "phoneprov.conf"}
		if general != nil {
			pos = Pos{general.File, general.Line}
		}
		d.warnf(pos, "no default_profile in [general]: no user of %s is provisioned (as in Asterisk)", name)
		return nil, cfg, nil
	}
	defaults = append(defaults, subst.Var{Name: "PROFILE", Value: profile})
	if g := cfg.Section("general"); g != nil {
		for _, v := range g.Vars {
			switch {
			case strings.EqualFold(v.Name, "vmexten"):
				defaults = append(defaults, subst.Var{Name: "VOICEMAIL_EXTEN", Value: v.Value})
			case strings.EqualFold(v.Name, "localextenlength"):
				defaults = append(defaults, subst.Var{Name: "EXTENSION_LENGTH", Value: v.Value})
			}
		}
	}

	sections := cfg.Browse()
	lines = make([]lineSpec, 0, len(sections))
	for _, sec := range sections {
		if strings.EqualFold(sec.Name, "general") || strings.EqualFold(sec.Name, "authentication") {
			continue
		}
		if v, ok := opts.retrieve(sec, "autoprov"); !ok || !cstring.True(v) {
			continue
		}
		pos := Pos{sec.File, sec.Line}
		what := fmt.Sprintf("user [%s]", sec.Name)
		vars := make(subst.Vars, 0, len(userKeys)+len(defaults))
		for _, k := range userKeys {
			if v, ok := opts.retrieve(sec, k.key); ok {
				vars = append(vars, subst.Var{Name: k.variable, Value: v})
			}
		}
		if !vars.Has("MAC") {
			d.warnf(pos, "%s has autoprov but no macaddress: skipped", what)
			continue
		}
		vars = appendPluginKeys(opts, sec, vars)
		endpoint, ok := opts.retrieve(sec, "endpoint")
		if !ok {
			endpoint = sec.Name
		}
		vars = appendLive(opts, vars, endpoint)
		for _, def := range defaults {
			if !vars.Has(def.Name) {
				vars = append(vars, def)
			}
		}
		lines = append(lines, lineSpec{provider: ProviderUsers, vars: vars, endpoint: endpoint, source: pos, what: what})
	}
	return lines, cfg, nil
}

// appendPluginKeys adds the keys of a users.conf user that set a plugin
// phone's raw config or device (rawconfig.go): provd's raw-config and
// line keys, X_ keys and funckey.N as they are named, and model, firmware
// and switchboard as MODEL, FIRMWARE and SWITCHBOARD. res_phoneprov
// ignores them all.
func appendPluginKeys(opts *Options, sec *config.Section, vars subst.Vars) subst.Vars {
	for _, v := range sec.Vars {
		name := v.Name
		switch lower := strings.ToLower(name); {
		case isUserKey(lower):
			continue
		case lower == "model":
			name = varModel
		case lower == "firmware":
			name = varFirmware
		case lower == "switchboard":
			name = varSwitchboard
		default:
			_, raw := rawKeys[name]
			_, line := lineKeys[name]
			if !raw && !line && !strings.HasPrefix(name, "X_") && !strings.HasPrefix(name, funckeyPrefix) {
				continue
			}
		}
		if vars.Has(name) {
			continue
		}
		if value, ok := opts.retrieve(sec, v.Name); ok {
			vars = append(vars, subst.Var{Name: name, Value: value})
		}
	}
	return vars
}

// isUserKey reports whether key is one res_phoneprov reads from users.conf.
func isUserKey(key string) bool {
	for _, k := range userKeys {
		if k.key == key {
			return true
		}
	}
	return key == "autoprov" || key == "endpoint"
}

// generalServerVars are SERVER (serveraddr, else serveriface's address)
// and SERVER_PORT (serverport, default 5060) of phoneprov.conf [general],
// as loadUsers gives them to users.conf lines.
func generalServerVars(opts *Options, ppconf *config.Config) subst.Vars {
	general := ppconf.Section("general")
	var out subst.Vars
	if v, ok := opts.retrieve(general, "serveraddr"); ok {
		out = append(out, subst.Var{Name: "SERVER", Value: v})
	} else if iface, ok := opts.retrieve(general, "serveriface"); ok {
		var discard diags
		out = append(out, subst.Var{Name: "SERVER", Value: opts.interfaceIPv4(iface, &discard)})
	}
	port, _ := opts.retrieve(general, "serverport")
	if port == "" {
		port = "5060"
	}
	return append(out, subst.Var{Name: "SERVER_PORT", Value: port})
}

// appendLive adds what the running PBX knows about a users.conf user's
// endpoint (USERNAME, SECRET, DISPLAY_NAME, CALLERID, SERVER_PORT) where
// the file says nothing. It comes before phoneprov.conf's defaults, so the
// endpoint's real port beats serverport's 5060.
func appendLive(opts *Options, vars subst.Vars, endpoint string) subst.Vars {
	le, ok := liveEndpoint(opts, endpoint)
	if !ok {
		return vars
	}
	for _, v := range []subst.Var{
		{Name: "USERNAME", Value: le.Username},
		{Name: "SECRET", Value: le.Secret},
		{Name: "DISPLAY_NAME", Value: le.CallerIDName},
		{Name: "CALLERID", Value: le.CallerIDNum},
		{Name: "SERVER_PORT", Value: le.TransportPort},
	} {
		if v.Value != "" && !vars.Has(v.Name) {
			vars = append(vars, v)
		}
	}
	return vars
}
