package provider

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// LoadPJSIP is res_pjsip_phoneprov_provider
// (docs/asterisk.md#pjsipconf-phones): one LineSpec per type=phoneprov
// section of pjsip.conf, with USERNAME, SECRET, CALLERID, DISPLAY_NAME and
// SERVER_PORT derived from the endpoint it names. phoneprov.conf [general]
// does not apply to these phones.
//
// Where the endpoint is not in pjsip.conf (realtime, generated), the live
// values from the running Asterisk (c.Live) stand in for it. Values
// written in the section always win, because the first occurrence of a
// variable wins. It also returns the objects pjsip.conf defines and the
// file it read, for PJSIP_ENDPOINT and the watcher.
func LoadPJSIP(c *Config, probs *Problems) ([]LineSpec, *pjsip.Objects, *config.Config, error) {
	cfg, err := config.Load("pjsip.conf", c.ConfigOptions())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil, nil
		}
		return nil, nil, nil, err
	}
	objs := pjsip.FromConfig(cfg)
	for _, p := range objs.Problems {
		probs.errorf(Pos{p.File, p.Line}, "%s", p.Msg)
	}
	var lines []LineSpec
	for _, pp := range objs.Phoneprovs {
		if l, ok := pjsipLine(c, objs, pp, probs); ok {
			lines = append(lines, l)
		}
	}
	return lines, objs, cfg, nil
}

func pjsipLine(c *Config, objs *pjsip.Objects, pp *pjsip.Phoneprov, probs *Problems) (LineSpec, bool) {
	pos := Pos{pp.File, pp.Line}
	what := fmt.Sprintf("phoneprov [%s]", pp.ID)
	vars := make(subst.Vars, 0, len(pp.Vars)+8)
	for _, v := range pp.Vars {
		vars = append(vars, subst.Var{Name: v.Name, Value: v.Value})
	}
	add := func(name, value string) {
		if value != "" {
			vars = append(vars, subst.Var{Name: name, Value: value})
		}
	}
	if !vars.Has("MAC") {
		probs.warnf(pos, "%s skipped: it must contain a MAC entry (key MAC, in capitals)", what)
		return LineSpec{}, false
	}
	if !vars.Has("PROFILE") {
		probs.warnf(pos, "%s skipped: it must contain a PROFILE entry (key PROFILE, in capitals)", what)
		return LineSpec{}, false
	}

	port := ""
	endpoint, hasEndpoint := vars.Find("endpoint")
	if hasEndpoint {
		ep := endpointFor(c, objs, endpoint)
		if ep == nil {
			probs.warnf(pos, "%s skipped: endpoint %q does not exist", what, endpoint)
			return LineSpec{}, false
		}
		add("ENDPOINT_ID", endpoint)
		add("TRANSPORT_ID", ep.transport)
		add("CALLERID", ep.cidNum)
		add("DISPLAY_NAME", ep.cidName)
		switch {
		case ep.port != "":
			port = ep.port
		case ep.transport == "":
			// Asterisk skips the phone when the endpoint names no transport
			// (docs/asterisk.md#pjsipconf-phones); phoneprovd keeps it with
			// the default port.
			probs.warnf(pos, "%s: endpoint %q has no transport=; SERVER_PORT defaults to 5060 (Asterisk would skip this phone)", what, endpoint)
		default:
			probs.warnf(pos, "%s skipped: endpoint %q names transport %q, which does not exist", what, endpoint, ep.transport)
			return LineSpec{}, false
		}
		if ep.authID != "" {
			if !ep.authFound {
				probs.warnf(pos, "%s skipped: endpoint %q names auth %q, which does not exist", what, endpoint, ep.authID)
				return LineSpec{}, false
			}
			add("AUTH_ID", ep.authID)
			add("USERNAME", ep.username)
			add("SECRET", ep.password)
		}
	}
	if !vars.Has("USERNAME") {
		add("USERNAME", pp.ID)
	}
	if !vars.Has("LABEL") {
		add("LABEL", pp.ID)
	}
	if !vars.Has("SERVER_PORT") {
		if port == "" {
			port = "5060"
		}
		add("SERVER_PORT", port)
	}
	target := endpoint
	if !hasEndpoint {
		if _, ok := objs.Endpoints[pp.ID]; ok {
			target = pp.ID
		}
	}
	return LineSpec{Provider: PJSIP, Vars: vars, Endpoint: target, Source: pos, What: what}, true
}

// endpointData is what the pjsip provider takes from an endpoint, its
// transport and its first inbound auth.
type endpointData struct {
	transport, port    string
	cidName, cidNum    string
	authID             string
	authFound          bool
	username, password string
}

// endpointFor gathers an endpoint's data from pjsip.conf, or from the live
// Asterisk when pjsip.conf does not define it.
func endpointFor(c *Config, objs *pjsip.Objects, name string) *endpointData {
	if ep := objs.Endpoints[name]; ep != nil {
		d := &endpointData{transport: ep.Transport, cidName: ep.CallerIDName, cidNum: ep.CallerIDNum}
		if t := objs.Transports[ep.Transport]; t != nil {
			d.port = strconv.Itoa(t.Port)
		}
		if len(ep.Auths) > 0 {
			d.authID = ep.Auths[0]
			if a := objs.Auths[d.authID]; a != nil {
				d.authFound = true
				d.username, d.password = a.Username, a.Password
			} else if live, ok := c.liveEndpoint(name); ok && live.AuthID == d.authID {
				d.authFound = true
				d.username, d.password = live.Username, live.Secret
			}
		}
		return d
	}
	live, ok := c.liveEndpoint(name)
	if !ok {
		return nil
	}
	return &endpointData{
		transport: live.Transport, port: live.TransportPort,
		cidName: live.CallerIDName, cidNum: live.CallerIDNum,
		authID: live.AuthID, authFound: live.AuthID != "",
		username: live.Username, password: live.Secret,
	}
}
