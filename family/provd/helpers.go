package provd

import (
	"fmt"
	"strings"
)

// The helpers below are those wazo_provd gives its plugins (plugins.py,
// phonebook.py, phoned_users.py) and the steps most plugins repeat.

// AddServerURL sets XX_server_url and XX_server_url_without_scheme from
// http_base_url, or from ip and http_port when http_base_url is empty.
func AddServerURL(raw *Dict) error {
	if base, _ := raw.Get("http_base_url"); Truthy(base) {
		s := Str(base)
		_, rest, found := strings.Cut(s, "://")
		if !found {
			rest = ""
		}
		raw.Set("XX_server_url", s)
		raw.Set("XX_server_url_without_scheme", rest)
		return nil
	}
	ip, ok1 := raw.Get("ip")
	port, ok2 := raw.Get("http_port")
	if !ok1 || !ok2 {
		return fmt.Errorf("raw config has neither http_base_url nor ip and http_port")
	}
	base := Str(ip) + ":" + Str(port)
	raw.Set("XX_server_url_without_scheme", base)
	raw.Set("XX_server_url", "http://"+base)
	return nil
}

// AddPhonebookURL is add_xivo_phonebook_url: XX_xivo_phonebook_url, the
// Wazo directory lookup URL of the config's user, when the raw config
// names a phonebook host (X_xivo_phonebook_ip) and a user
// (X_xivo_user_uuid).
func AddPhonebookURL(raw *Dict, vendor, entryPoint, qsPrefix, qsSuffix string) {
	if qsPrefix != "" {
		qsPrefix += "&"
	}
	if qsSuffix != "" {
		qsSuffix = "&" + qsSuffix
	}
	scheme, host, port, user, ok := phonebookParts(raw)
	if !ok {
		return
	}
	raw.Set("XX_xivo_phonebook_url", fmt.Sprintf("%s://%s:%s/0.1/directories/%s/default/%s?%sxivo_user_uuid=%s%s",
		scheme, host, port, entryPoint, vendor, qsPrefix, user, qsSuffix))
}

// AddPhonedUserServiceURL is add_wazo_phoned_user_service_url:
// XX_wazo_phoned_user_service_<service>_enabled_url and _disabled_url.
func AddPhonedUserServiceURL(raw *Dict, vendor, service string) {
	scheme, host, port, user, ok := phonebookParts(raw)
	if !ok {
		return
	}
	for _, state := range []struct{ key, word string }{{"enabled", "enable"}, {"disabled", "disable"}} {
		raw.Set("XX_wazo_phoned_user_service_"+service+"_"+state.key+"_url",
			fmt.Sprintf("%s://%s:%s/0.1/%s/users/%s/services/%s/%s", scheme, host, port, vendor, user, service, state.word))
	}
}

func phonebookParts(raw *Dict) (scheme, host, port, user string, ok bool) {
	h, _ := raw.Get("X_xivo_phonebook_ip")
	u, _ := raw.Get("X_xivo_user_uuid")
	if !Truthy(h) || !Truthy(u) {
		return "", "", "", "", false
	}
	s, found := raw.Get("X_xivo_phonebook_scheme")
	if !found {
		s = "http"
	}
	p, found := raw.Get("X_xivo_phonebook_port")
	if !found {
		p = int64(9498)
	}
	return Str(s), Str(h), Str(p), Str(u), true
}

// Get returns the value at a path of keys in nested Dicts, Python's
// d[k1][k2]…; ok is false when a key is missing or a value on the way is
// not a Dict.
func Get(d *Dict, keys ...any) (any, bool) {
	var v any = d
	for _, k := range keys {
		dd, isDict := v.(*Dict)
		if !isDict {
			return nil, false
		}
		var ok bool
		if v, ok = dd.Get(k); !ok {
			return nil, false
		}
	}
	return v, true
}

// PyInt is Python's int() of a string (white space, sign, underscores
// between digits).
func PyInt(s string) (int, error) { return pyInt(s) }
