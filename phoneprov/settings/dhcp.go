package settings

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DHCP is the [dhcp] section: lease events from the DHCP servers and the
// configuration `phoneprovd dhcp config` writes for them.
type DHCP struct {
	// Token is what lease events must present (Authorization: Bearer, or
	// provd's X-Auth-Token) when the admin listener is not loopback;
	// without it such a daemon refuses them. It is a secret: it never
	// reaches a log or a page.
	Token string
	// URL is the provisioning URL the generated DHCP configuration sends
	// the phones ("http://192.0.2.10:8080/phoneprov"); "" derives it from
	// [general] http and prefix when they name an address.
	URL string
}

// MinTokenLen is the shortest [dhcp] token accepted.
const MinTokenLen = 16

func (d *DHCP) parser() parser {
	return parser{
		"token": func(v string) error {
			if len(v) < MinTokenLen || strings.ContainsAny(v, " \t\r\n") {
				return fmt.Errorf("the token must be at least %d characters, without spaces", MinTokenLen)
			}
			d.Token = v
			return nil
		},
		"url": func(v string) error {
			u, err := url.Parse(v)
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tftp") {
				return errors.New("want an http://, https:// or tftp:// URL with a host, e.g. http://192.0.2.10:8080/phoneprov")
			}
			d.URL = v
			return nil
		},
	}
}
