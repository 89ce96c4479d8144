package phoneprov

import (
	"net"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/family/provd"
)

// A plugin phone's provd raw config is built from what phoneprovd already
// knows of it, in Asterisk's terms: each line's variables (users.conf or
// pjsip.conf, with the PBX's live values), the profile's setvars, and the
// request's SERVER. Asterisk's standard variables map to their provd
// equivalents; a variable named exactly as a provd raw-config key (or
// starting with X_) sets that key, so a setvar sets it for a profile and a
// key of the phone's own section for one phone. The table is in the README
// ("Raw config from Asterisk's files").

// rawKind is the JSON type a raw-config key takes.
type rawKind uint8

const (
	rawString rawKind = iota
	rawInt
	rawBool
)

// rawKeys are the top-level keys of provd's RawConfigDict a variable may
// set, with their types. sip_lines and funckeys are built from the lines
// and from funckey.N variables; the certificate lists and
// sccp_call_managers are not settable.
var rawKeys = map[string]rawKind{
	"ip": rawString, "http_port": rawInt, "http_base_url": rawString, "tftp_port": rawInt,
	"dns_enabled": rawBool, "dns_ip": rawString,
	"ntp_enabled": rawBool, "ntp_ip": rawString,
	"vlan_enabled": rawBool, "vlan_id": rawInt, "vlan_priority": rawInt, "vlan_pc_port_id": rawInt,
	"syslog_enabled": rawBool, "syslog_ip": rawString, "syslog_port": rawInt, "syslog_level": rawString,
	"admin_username": rawString, "admin_password": rawString, "user_username": rawString, "user_password": rawString,
	"timezone": rawString, "locale": rawString, "protocol": rawString,
	"sip_proxy_ip": rawString, "sip_proxy_port": rawInt,
	"sip_backup_proxy_ip": rawString, "sip_backup_proxy_port": rawInt,
	"sip_registrar_ip": rawString, "sip_registrar_port": rawInt,
	"sip_backup_registrar_ip": rawString, "sip_backup_registrar_port": rawInt,
	"sip_outbound_proxy_ip": rawString, "sip_outbound_proxy_port": rawInt,
	"sip_dtmf_mode": rawString, "sip_srtp_mode": rawString, "sip_transport": rawString,
	"sip_local_certificate": rawString, "sip_local_key": rawString,
	"sip_subscribe_mwi": rawBool,
	"exten_dnd":         rawString, "exten_fwd_unconditional": rawString, "exten_fwd_no_answer": rawString,
	"exten_fwd_busy": rawString, "exten_fwd_disable_all": rawString, "exten_park": rawString,
	"exten_pickup_group": rawString, "exten_pickup_call": rawString, "exten_voicemail": rawString,
}

// lineKeys are the keys of a provd SIP line (SipLineDict) a variable may
// set on its line.
var lineKeys = map[string]rawKind{
	"proxy_ip": rawString, "proxy_port": rawInt,
	"backup_proxy_ip": rawString, "backup_proxy_port": rawInt,
	"registrar_ip": rawString, "registrar_port": rawInt,
	"backup_registrar_ip": rawString, "backup_registrar_port": rawInt,
	"outbound_proxy_ip": rawString, "outbound_proxy_port": rawInt,
	"username": rawString, "password": rawString, "auth_username": rawString,
	"display_name": rawString, "number": rawString,
	"dtmf_mode": rawString, "srtp_mode": rawString, "voicemail": rawString,
}

// enabledBy are the switches a value turns on unless the switch is set:
// an NTP server given means NTP on.
var enabledBy = [...][2]string{
	{"ntp_ip", "ntp_enabled"}, {"dns_ip", "dns_enabled"}, {"vlan_id", "vlan_enabled"}, {"syslog_ip", "syslog_enabled"},
}

// funckeyPrefix starts the name of a function-key variable: funckey.N =
// TYPE,VALUE[,LABEL[,LINE]].
const funckeyPrefix = "funckey."

// maxFunckey bounds the number of a function key.
const maxFunckey = 1000

// Names of phoneprovd's device variables: the model and firmware a phone
// is configured as until (or instead of) what identification sees, and
// provd's switchboard device option.
const (
	varModel       = "MODEL"
	varFirmware    = "FIRMWARE"
	varSwitchboard = "SWITCHBOARD"
)

// pluginUserKey is the providers' Config.UserKey: the users.conf keys
// that set a plugin phone's raw config or device, which res_phoneprov
// ignores. provd's raw-config and line keys, X_ keys and funckey.N keep
// their names; model, firmware and switchboard become MODEL, FIRMWARE and
// SWITCHBOARD.
func pluginUserKey(key string) (variable string, ok bool) {
	switch strings.ToLower(key) {
	case "model":
		return varModel, true
	case "firmware":
		return varFirmware, true
	case "switchboard":
		return varSwitchboard, true
	}
	_, raw := rawKeys[key]
	_, line := lineKeys[key]
	if raw || line || strings.HasPrefix(key, "X_") || strings.HasPrefix(key, funckeyPrefix) {
		return key, true
	}
	return "", false
}

// rawSettings are what a raw config is built with besides the phone and
// the request.
type rawSettings struct {
	prefix string // http.conf prefix
}

// rawConfig builds the raw config of phone p for a request that reached
// at (normalised by Snapshot.reached: SERVER, PROV_PORT and PROV_SCHEME
// the phone sets win). problems describe the values left out.
func rawConfig(p *Phone, at Reached, rs rawSettings) (raw *provd.Dict, problems []string) {
	req := &request{phone: p, at: at}
	first := lineScope{vars: p.Lines[0].Vars, phone: p, req: req}
	raw = provd.NewDict()
	srv, _ := first.Lookup("SERVER")
	raw.Set("ip", srv)
	port, scheme := 0, "http"
	if v, ok := first.Lookup(VarProvPort); ok {
		port, _ = strconv.Atoi(v)
	}
	if v, ok := first.Lookup(VarProvScheme); ok && v != "" {
		scheme = v
	}
	if port > 0 {
		raw.Set("http_port", int64(port))
	}
	raw.Set("http_base_url", baseURL(scheme, srv, port, rs.prefix))
	raw.Set("protocol", "SIP")
	raw.Set("sip_proxy_ip", srv)
	if tz, ok := first.Lookup("TIMEZONE"); ok && tz != "" {
		raw.Set("timezone", tz)
	}
	if vm, ok := first.Lookup("VOICEMAIL_EXTEN"); ok && vm != "" {
		raw.Set("exten_voicemail", vm)
	}

	funckeys := map[int]*provd.Dict{}
	seen := map[string]bool{}
	for _, v := range p.Lines[0].Vars {
		if seen[v.Name] {
			continue // the first of a name wins, as in Asterisk
		}
		seen[v.Name] = true
		switch kind, ok := rawKeys[v.Name]; {
		case ok:
			if val, err := rawValue(kind, v.Value); err != "" {
				problems = append(problems, v.Name+"="+v.Value+": "+err)
			} else {
				raw.Set(v.Name, val)
			}
		case strings.HasPrefix(v.Name, "X_"):
			raw.Set(v.Name, v.Value)
		case strings.HasPrefix(v.Name, funckeyPrefix):
			n, key, err := funckey(v.Name, v.Value)
			if err != "" {
				problems = append(problems, v.Name+": "+err)
				continue
			}
			funckeys[n] = key
		}
	}
	for _, e := range enabledBy {
		if raw.Has(e[0]) && !raw.Has(e[1]) {
			raw.Set(e[1], true)
		}
	}

	lines := provd.NewDict()
	for _, l := range p.Lines {
		if u, _ := l.Vars.Lookup("USERNAME"); u == "" {
			continue // an autoprov profile without an account
		}
		line, lp := lineConfig(lineScope{vars: l.Vars, phone: p, req: req})
		problems = append(problems, lp...)
		lines.Set(strconv.Itoa(l.Index), line)
	}
	raw.Set("sip_lines", lines)
	keys := provd.NewDict()
	for n := 1; len(funckeys) > 0 && n <= maxFunckey; n++ {
		if k, ok := funckeys[n]; ok {
			keys.Set(strconv.Itoa(n), k)
			delete(funckeys, n)
		}
	}
	raw.Set("funckeys", keys)
	return raw, problems
}

// lineConfig is one provd SIP line from a line's variables.
func lineConfig(l lineScope) (*provd.Dict, []string) {
	line := provd.NewDict()
	set := func(key, variable string) {
		if v, ok := l.Lookup(variable); ok && v != "" {
			line.Set(key, v)
		}
	}
	set("username", "USERNAME")
	set("password", "SECRET")
	set("display_name", "DISPLAY_NAME")
	set("number", "CALLERID")
	if !line.Has("number") {
		set("number", "USERNAME")
	}
	srv, _ := l.Lookup("SERVER")
	line.Set("proxy_ip", srv)
	if port, ok := l.Lookup("SERVER_PORT"); ok && port != "" && port != "5060" {
		if n, err := strconv.Atoi(strings.TrimSpace(port)); err == nil {
			line.Set("proxy_port", int64(n))
		}
	}
	var problems []string
	seen := map[string]bool{}
	for _, v := range l.vars {
		kind, ok := lineKeys[v.Name]
		if !ok || seen[v.Name] {
			continue
		}
		seen[v.Name] = true
		val, err := rawValue(kind, v.Value)
		if err != "" {
			problems = append(problems, v.Name+"="+v.Value+": "+err)
			continue
		}
		line.Set(v.Name, val)
	}
	return line, problems
}

// rawValue converts a variable's value to a key's JSON type; err says why
// it cannot.
func rawValue(kind rawKind, s string) (any, string) {
	switch kind {
	case rawInt:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, "not a whole number"
		}
		return n, ""
	case rawBool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "yes", "true", "y", "t", "1", "on":
			return true, ""
		case "no", "false", "n", "f", "0", "off":
			return false, ""
		}
		return nil, "not yes or no"
	}
	return s, ""
}

// funckey parses funckey.N = TYPE,VALUE[,LABEL[,LINE]] (arguments split
// as Asterisk splits function arguments: quotes keep commas).
func funckey(name, value string) (int, *provd.Dict, string) {
	n, err := strconv.Atoi(name[len(funckeyPrefix):])
	if err != nil || n < 1 || n > maxFunckey {
		return 0, nil, "the key number must be 1 to " + strconv.Itoa(maxFunckey)
	}
	args := subst.SplitArgs(value, ',', 4, true)
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
	}
	typ := subst.Arg(args, 0)
	if !isWord(typ) {
		return 0, nil, "type " + strconv.Quote(typ) + " is not a word (speeddial, blf, park, or what a plugin knows)"
	}
	key := provd.NewDict()
	key.Set("type", typ)
	if v := subst.Arg(args, 1); v != "" {
		key.Set("value", v)
	} else if typ == "speeddial" || typ == "blf" {
		return 0, nil, "a " + typ + " key needs a value"
	}
	if l := subst.Arg(args, 2); l != "" {
		key.Set("label", l)
	}
	line := int64(1)
	if l := subst.Arg(args, 3); l != "" {
		ln, err := strconv.ParseInt(l, 10, 64)
		if err != nil || ln < 1 {
			return 0, nil, "line " + strconv.Quote(l) + " is not a line number"
		}
		line = ln
	}
	key.Set("line", line)
	return n, key, ""
}

// isWord reports whether s is lower-case letters, digits and '_'.
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// baseURL is http_base_url when no variable sets it: where phones fetch
// phoneprovd's files, PROV_SCHEME://SERVER:PROV_PORT/[prefix/]phoneprov
// (the port left out when it is the scheme's).
func baseURL(scheme, server string, port int, prefix string) string {
	host := server
	if port > 0 && !(scheme == "http" && port == 80 || scheme == "https" && port == 443) {
		host = net.JoinHostPort(server, strconv.Itoa(port))
	} else if strings.Contains(server, ":") {
		host = "[" + server + "]"
	}
	path := "/phoneprov"
	if p := strings.Trim(prefix, "/"); p != "" {
		path = "/" + p + path
	}
	return scheme + "://" + host + path
}

// deviceVars are the device a phone's variables describe: its MAC (as
// provd writes it), model, firmware and options.
func deviceVars(p *Phone) (provd.Device, error) {
	mac, err := provd.NormMAC(p.MAC)
	if err != nil {
		return provd.Device{}, err
	}
	dev := provd.Device{MAC: mac}
	vars := p.Lines[0].Vars
	dev.Model, _ = vars.Find(varModel)
	dev.Version, _ = vars.Find(varFirmware)
	if v, ok := vars.Find(varSwitchboard); ok {
		if b, _ := rawValue(rawBool, v); b == true {
			dev.Options = provd.NewDict()
			dev.Options.Set("switchboard", true)
		}
	}
	return dev, nil
}
