package settings

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Plugins is the [plugins] section: Wazo provd-style plugins, where
// "phoneprovd plugins" installs them from and where they are.
type Plugins struct {
	// Server is the plugin server's base URL, serving plugins.db and the
	// plugin packages (-server overrides it).
	Server string
	// Dir holds one directory per plugin; "" means DATA-DIR/plugins.
	Dir string
}

func (p *Plugins) parser() parser {
	return parser{
		"server": func(v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("%q is not an http:// or https:// URL", v)
			}
			p.Server = v
			return nil
		},
		"dir": str(&p.Dir),
	}
}

// pluginName parses a profile's plugin: a plugin directory's name
// ("wazo-<family>-<version>") or "auto".
func pluginName(p *string) func(string) error {
	return func(v string) error {
		switch {
		case v == "auto":
		case v == "" || strings.ContainsAny(v, "/\\") || strings.HasPrefix(v, "."):
			return fmt.Errorf("%q is not a plugin directory's name or auto", v)
		case !strings.HasPrefix(v, "wazo-"):
			return fmt.Errorf("%q is not a Wazo plugin's name (wazo-<family>-<version>, e.g. wazo-yealink-v86) or auto", v)
		}
		*p = v
		return nil
	}
}

// validateProfiles checks that autoprov profiles name a plugin.
func (s *Settings) validateProfiles() []error {
	names := make([]string, 0, len(s.Profiles))
	for n := range s.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		if p := s.Profiles[n]; p.Autoprov && p.Plugin == "" {
			errs = append(errs, fmt.Errorf("%s: [profile:%s] autoprov = yes needs a plugin (a plugin's name, or auto)", s.Where("profile:"+n, "autoprov"), n))
		}
	}
	return errs
}
