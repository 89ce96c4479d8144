package provider

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
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

// LoadUsers is the sipusers provider (get_defaults and load_users,
// docs/asterisk.md#the-users-file): one LineSpec per autoprov user of the
// users file, with the phoneprov.conf [general] defaults applied. It also
// returns the users file it read, for the watcher.
//
// A missing users file is not an error (a site may use pjsip.conf only). A
// missing default_profile makes the provider load nobody, as in Asterisk,
// with a warning saying so.
func LoadUsers(c *Config, ppconf *config.Config, probs *Problems) (lines []LineSpec, cfg *config.Config, err error) {
	name := c.UsersFile()
	if name == "" {
		return nil, nil, nil
	}
	cfg, err = config.Load(name, c.ConfigOptions())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		return nil, nil, err
	}

	general := ppconf.Section("general")
	var defaults subst.Vars
	if v, ok := c.Retrieve(general, "serveraddr"); ok {
		defaults = append(defaults, subst.Var{Name: "SERVER", Value: v})
	} else if iface, ok := c.Retrieve(general, "serveriface"); ok {
		defaults = append(defaults, subst.Var{Name: "SERVER", Value: c.serverIface(iface, probs)})
	}
	port, _ := c.Retrieve(general, "serverport")
	if port == "" {
		port = "5060"
	}
	defaults = append(defaults, subst.Var{Name: "SERVER_PORT", Value: port})
	profile, ok := c.Retrieve(general, "default_profile")
	if !ok {
		pos := Pos{File: "phoneprov.conf"}
		if general != nil {
			pos = Pos{general.File, general.Line}
		}
		probs.warnf(pos, "no default_profile in [general]: no user of %s is provisioned (as in Asterisk)", name)
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
	lines = make([]LineSpec, 0, len(sections))
	for _, sec := range sections {
		if strings.EqualFold(sec.Name, "general") || strings.EqualFold(sec.Name, "authentication") {
			continue
		}
		if v, ok := c.Retrieve(sec, "autoprov"); !ok || !cstring.True(v) {
			continue
		}
		pos := Pos{sec.File, sec.Line}
		what := fmt.Sprintf("user [%s]", sec.Name)
		vars := make(subst.Vars, 0, len(userKeys)+len(defaults))
		for _, k := range userKeys {
			if v, ok := c.Retrieve(sec, k.key); ok {
				vars = append(vars, subst.Var{Name: k.variable, Value: v})
			}
		}
		if !vars.Has("MAC") {
			probs.warnf(pos, "%s has autoprov but no macaddress: skipped", what)
			continue
		}
		vars = appendUserKeys(c, sec, vars)
		endpoint, ok := c.Retrieve(sec, "endpoint")
		if !ok {
			endpoint = sec.Name
		}
		vars = appendLive(c, vars, endpoint)
		for _, def := range defaults {
			if !vars.Has(def.Name) {
				vars = append(vars, def)
			}
		}
		lines = append(lines, LineSpec{Provider: Users, Vars: vars, Endpoint: endpoint, Source: pos, What: what})
	}
	return lines, cfg, nil
}

// appendUserKeys adds the keys of a users file section that res_phoneprov
// ignores and c.UserKey maps to a variable (those of plugin phones),
// unless the line already has that variable.
func appendUserKeys(c *Config, sec *config.Section, vars subst.Vars) subst.Vars {
	if c.UserKey == nil {
		return vars
	}
	for _, v := range sec.Vars {
		if isUserKey(strings.ToLower(v.Name)) {
			continue
		}
		name, ok := c.UserKey(v.Name)
		if !ok || vars.Has(name) {
			continue
		}
		if value, ok := c.Retrieve(sec, v.Name); ok {
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

// GeneralServerVars are SERVER (serveraddr, else serveriface's address)
// and SERVER_PORT (serverport, default 5060) of phoneprov.conf [general],
// as LoadUsers gives them to users.conf lines.
func GeneralServerVars(c *Config, ppconf *config.Config) subst.Vars {
	general := ppconf.Section("general")
	var out subst.Vars
	if v, ok := c.Retrieve(general, "serveraddr"); ok {
		out = append(out, subst.Var{Name: "SERVER", Value: v})
	} else if iface, ok := c.Retrieve(general, "serveriface"); ok {
		var discard Problems
		out = append(out, subst.Var{Name: "SERVER", Value: c.serverIface(iface, &discard)})
	}
	port, _ := c.Retrieve(general, "serverport")
	if port == "" {
		port = "5060"
	}
	return append(out, subst.Var{Name: "SERVER_PORT", Value: port})
}

// appendLive adds what the running PBX knows about a users.conf user's
// endpoint (USERNAME, SECRET, DISPLAY_NAME, CALLERID, SERVER_PORT) where
// the file says nothing. It comes before phoneprov.conf's defaults, so the
// endpoint's real port beats serverport's 5060.
func appendLive(c *Config, vars subst.Vars, endpoint string) subst.Vars {
	le, ok := c.liveEndpoint(endpoint)
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
