package provider

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// SIPPeers are chan_sip's peers by name, as sip.conf and users.conf
// (hassip=yes) define them, for SIPPEER() and TechResolver.
type SIPPeers map[string]*sipPeer

// sipPeer is one chan_sip peer.
type sipPeer struct {
	fields map[string]string // lower-case option → last value
}

// LoadSIPPeers reads the chan_sip peers of sip.conf (type=peer or friend)
// and of users.conf (sections with hassip=yes, after users.conf [general]),
// as chan_sip builds them. Either file may be missing; users is users.conf
// when the caller has already read it.
func LoadSIPPeers(c *Config, users *config.Config) (SIPPeers, []*config.Config) {
	peers := make(SIPPeers)
	var read []*config.Config
	defaultContext := "default"
	if cfg, err := config.Load("sip.conf", c.ConfigOptions()); err == nil {
		read = append(read, cfg)
		if g := cfg.Section("general"); g != nil {
			if v, ok := g.Last("context"); ok {
				defaultContext = v
			}
		}
		for _, sec := range cfg.Browse() {
			t, _ := sec.Last("type")
			if t != "peer" && t != "friend" {
				continue
			}
			peers[sec.Name] = newSIPPeer(defaultContext, sec.Vars)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		c.logger().Warn("sip.conf cannot be read; SIPPEER() sees no sip.conf peers", "error", err)
	}
	if users == nil {
		if cfg, err := config.Load("users.conf", c.ConfigOptions()); err == nil {
			users = cfg
			read = append(read, cfg)
		}
	}
	if cfg := users; cfg != nil {
		var general []config.Var
		if g := cfg.Section("general"); g != nil {
			general = g.Vars
		}
		for _, sec := range cfg.Browse() {
			if strings.EqualFold(sec.Name, "general") {
				continue
			}
			has := ""
			for _, list := range [][]config.Var{general, sec.Vars} {
				for _, v := range list {
					if strings.EqualFold(v.Name, "hassip") {
						has = v.Value
					}
				}
			}
			if !cstring.True(has) {
				continue
			}
			vars := append(append([]config.Var(nil), general...), sec.Vars...)
			if _, dup := peers[sec.Name]; !dup {
				peers[sec.Name] = newSIPPeer(defaultContext, vars)
			}
		}
	}
	return peers, read
}

func newSIPPeer(defaultContext string, vars []config.Var) *sipPeer {
	p := &sipPeer{fields: map[string]string{"context": defaultContext}}
	for _, v := range vars {
		name := strings.ToLower(v.Name)
		switch name {
		case "callerid":
			p.fields["callerid_name"], p.fields["callerid_num"] = pjsip.SplitCallerID(v.Value)
		case "fullname":
			p.fields["callerid_name"] = v.Value
		case "cid_number":
			p.fields["callerid_num"] = v.Value
		case "host":
			if strings.EqualFold(v.Value, "dynamic") {
				p.fields["dynamic"] = "yes"
			} else {
				p.fields["dynamic"] = "no"
			}
		default:
			p.fields[name] = v.Value
		}
	}
	return p
}

// sipPeerItems are the SIPPEER() items phoneprovd answers from files;
// chan_sip's function_sippeer knows them by these names.
var sipPeerItems = map[string]bool{
	"context": true, "language": true, "regexten": true, "accountcode": true,
	"callerid_name": true, "callerid_num": true, "mailbox": true, "dynamic": true,
	"callgroup": true, "pickupgroup": true, "namedcallgroup": true, "namedpickupgroup": true,
	"maxforwards": true, "limit": true, "busylevel": true, "encryption": true,
}

// SIPPeerFunc is SIPPEER(peer[,item]) of chan_sip (Asterisk ≤ 20), answered
// from sip.conf and users.conf. The item defaults to "ip"; live items (ip,
// port, status, useragent, curcalls, expire) render empty.
func SIPPeerFunc(peers SIPPeers) *subst.Func {
	return &subst.Func{
		Name: "SIPPEER",
		Read: func(c *subst.Call, args string) (string, error) {
			parts := subst.SplitArgs(args, ',', 2, true)
			name, item := subst.Arg(parts, 0), strings.ToLower(subst.Arg(parts, 1))
			if item == "" {
				item = "ip"
			}
			p := peers[name]
			if p == nil {
				return "", fmt.Errorf("no SIP peer %q", name)
			}
			if sipPeerItems[item] {
				return p.fields[item], nil
			}
			if strings.HasPrefix(item, "chanvar[") {
				return "", nil
			}
			return "", nil
		},
	}
}
