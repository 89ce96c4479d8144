package settings

import (
	"fmt"
	"net/url"
)

// Plugins is the [plugins] section: where "phoneprovd plugins" installs
// provd-style plugins from.
type Plugins struct {
	// Server is the plugin server's base URL, serving plugins.db and the
	// plugin packages (-server overrides it).
	Server string
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
	}
}
