package provd

// SetDefaults applies to a raw config what provd applies before calling a
// plugin's configure or synchronize (_set_defaults_raw_config in
// wazo_provd/app.py): syslog port and level when syslog is enabled, the
// registrar from the proxy, SRTP off, UDP, each line's registrar from its
// proxy and authentication name from its user name, and empty
// sccp_call_managers and funckeys. raw is changed in place.
func SetDefaults(raw *Dict) {
	if truthy(raw.getOrNil("syslog_enabled")) {
		raw.SetDefault("syslog_port", int64(514))
		raw.SetDefault("syslog_level", "warning")
	}
	if v, ok := raw.Get("sip_proxy_ip"); ok {
		raw.SetDefault("sip_registrar_ip", v)
	}
	raw.SetDefault("sip_srtp_mode", "disabled")
	raw.SetDefault("sip_transport", "udp")
	if lines, ok := raw.Get("sip_lines"); !ok {
		raw.Set("sip_lines", NewDict())
	} else if lines, ok := lines.(*Dict); ok {
		for _, k := range lines.Keys() {
			line, ok := lines.vals[k].(*Dict)
			if !ok {
				continue
			}
			if v, ok := line.Get("proxy_ip"); ok {
				line.SetDefault("registrar_ip", v)
			}
			if v, ok := line.Get("username"); ok {
				line.SetDefault("auth_username", v)
			}
		}
	}
	raw.SetDefault("sccp_call_managers", NewDict())
	raw.SetDefault("funckeys", NewDict())
}

func (d *Dict) getOrNil(key any) any {
	v, _ := d.Get(key)
	return v
}

// truthy is Python's truth value of a JSON value.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case int64:
		return v != 0
	case float64:
		return v != 0
	case string:
		return v != ""
	case *Dict:
		return v.Len() > 0
	case []any:
		return len(v) > 0
	}
	return true
}

// Truthy is Python's truth value of a Dict value: None, False, 0, "" and
// empty containers are false.
func Truthy(v any) bool { return truthy(v) }
