package settings

import (
	"fmt"
	"sort"
	"strings"
)

// Plugins is the [plugins] section: Wazo provd plugins.
type Plugins struct {
	// Dir holds one directory per plugin; "" means DATA-DIR/plugins.
	Dir string
}

func (p *Plugins) parser() parser {
	return parser{"dir": str(&p.Dir)}
}

// pluginName parses a profile's plugin: a plugin directory's name
// ("wazo-<family>-<version>") or "auto".
func pluginName(p *string) func(string) error {
	return func(v string) error {
		switch {
		case v == "auto":
		case v == "" || strings.ContainsAny(v, "/\\") || v == "." || v == ".." || strings.HasPrefix(v, "."):
			return fmt.Errorf("%q is not a plugin directory's name or auto", v)
		case !strings.HasPrefix(v, "wazo-"):
			return fmt.Errorf("%q is not a Wazo plugin's name (wazo-<family>-<version>, e.g. wazo-yealink-v86) or auto", v)
		}
		*p = v
		return nil
	}
}

// validateProfiles checks that autoprov profiles name a plugin.
func (s *Settings) validateProfiles() error {
	names := make([]string, 0, len(s.Profiles))
	for n := range s.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if p := s.Profiles[n]; p.Autoprov && p.Plugin == "" {
			return fmt.Errorf("[profile:%s]: autoprov = yes needs a plugin (a plugin's name, or auto)", n)
		}
	}
	return nil
}
