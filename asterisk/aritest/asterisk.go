package aritest

import "strings"

// buildInfo is /asterisk/info's "build" section of the golden capture.
var buildInfo = object{
	{"os", "Linux"},
	{"kernel", "6.18.44-fc-v669"},
	{"machine", "x86_64"},
	{"options", "OPTIONAL_API"},
	{"date", "2026-11-22 07:06:50 UTC"},
	{"user", "root"},
}

// getInfo is ast_ari_asterisk_get_info. The "only" parameter (a
// comma-separated list, case-insensitive) selects sections; unknown
// names are ignored.
func (s *Server) getInfo(rq *ariRequest) reply {
	show := map[string]bool{}
	only := false
	for _, p := range rq.params {
		if p.name != "only" {
			continue
		}
		only = true
		for _, name := range strings.Split(p.value, ",") {
			show[strings.ToLower(strings.TrimSpace(name))] = true
		}
	}
	all := !only
	info := object{}
	if all || show["build"] {
		info = info.set("build", buildInfo)
	}
	if all || show["system"] {
		info = info.set("system", object{{"version", s.opts.Version}, {"entity_id", s.opts.EntityID}})
	}
	if all || show["config"] {
		info = info.set("config", object{
			{"name", ""},
			{"default_language", "en"},
			{"setid", object{{"user", ""}, {"group", ""}}},
		})
	}
	if all || show["status"] {
		info = info.set("status", object{
			{"startup_time", s.timestamp(s.opts.StartupTime)},
			{"last_reload_time", s.timestamp(s.opts.LastReloadTime)},
		})
	}
	return okReply(info)
}

// ping is ast_ari_asterisk_ping.
func (s *Server) ping(rq *ariRequest) reply {
	return okReply(object{
		{"ping", "pong"},
		{"timestamp", s.timestamp(s.now())},
		{"asterisk_id", s.opts.EntityID},
	})
}
