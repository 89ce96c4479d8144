package console

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Access says who may use the admin listener (/status, the API, the
// console). With a User, every request but the health checks must carry
// these credentials (HTTP Basic). Without one, anyone who can connect
// may: allowed only while the listener is on loopback (CheckExposure).
type Access struct {
	User     string
	Password string
	// OwnAuth are paths whose handlers authenticate requests themselves:
	// DHCP lease events carry the [dhcp] token, and the relays that send
	// them (dnsmasq's script, Wazo's relay) cannot answer a Basic
	// challenge. They are still refused from another origin.
	OwnAuth []string
	Logger  *slog.Logger
}

// Realm is the realm the admin listener's Basic challenge names.
const Realm = "phoneprovd admin"

// healthPaths are answered without credentials: a load balancer or a
// supervisor asks them, and they hold nothing to protect.
var healthPaths = map[string]bool{"/healthz": true, "/readyz": true}

// CheckExposure refuses an admin listener that other hosts can reach
// (reachable) without both credentials and HTTPS (tls): it would hand the
// fleet, its re-syncs and bans to anyone on the network. addr names the
// listener in the message.
func CheckExposure(addr string, reachable bool, a Access, tls bool) error {
	if !reachable {
		return nil
	}
	var missing string
	switch {
	case a.User == "" || a.Password == "":
		missing = "credentials"
		if !tls {
			missing = "credentials or HTTPS"
		}
	case !tls:
		missing = "HTTPS"
	default:
		return nil
	}
	return fmt.Errorf("the admin listener %s is reachable from other hosts without %s: set [admin] user and password, "+
		"and a certificate ([admin] tls_cert and tls_key, or [security]'s), in phoneprovd.conf — or listen on loopback ([general] admin = 127.0.0.1:8081)", addr, missing)
}

// Protect wraps the admin listener's handler h: a state-changing request
// from another origin is refused (a page elsewhere posting to the API or
// the console through the administrator's browser), and, when a.User is
// set, a request without the credentials is challenged.
func Protect(h http.Handler, a Access) http.Handler {
	log := a.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &protect{next: h, origin: http.NewCrossOriginProtection(), log: log, ownAuth: make(map[string]bool)}
	for _, path := range a.OwnAuth {
		p.ownAuth[path] = true
	}
	if a.User != "" {
		p.user, p.password = sha256.Sum256([]byte(a.User)), sha256.Sum256([]byte(a.Password))
		p.auth = true
	}
	return p
}

type protect struct {
	next           http.Handler
	origin         *http.CrossOriginProtection
	auth           bool
	user, password [32]byte // digests, compared in constant time
	ownAuth        map[string]bool
	log            *slog.Logger

	mu         sync.Mutex
	lastLog    time.Time
	suppressed int
}

func (p *protect) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.auth && !healthPaths[r.URL.Path] && !p.ownAuth[r.URL.Path] && !p.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+Realm+`", charset="UTF-8"`)
		plain(w, http.StatusUnauthorized, "phoneprovd: credentials are required ([admin] user and password)\n")
		return
	}
	if err := p.origin.Check(r); err != nil {
		plain(w, http.StatusForbidden, "phoneprovd: "+errCrossOrigin.Error()+"\n")
		return
	}
	p.next.ServeHTTP(w, r)
}

// authorized checks the request's Basic credentials; wrong ones are
// logged (the source address, never the name or password tried), at most
// once per 10 seconds with the count of those not logged.
func (p *protect) authorized(r *http.Request) bool {
	user, password, ok := r.BasicAuth()
	if !ok {
		return false // a browser's first request: not a failure
	}
	u, pw := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	if subtle.ConstantTimeCompare(u[:], p.user[:])&subtle.ConstantTimeCompare(pw[:], p.password[:]) == 1 {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.lastLog) >= 10*time.Second {
		p.log.Warn("admin authentication failed", "remote", r.RemoteAddr, "path", r.URL.Path, "not_logged_before", p.suppressed)
		p.lastLog, p.suppressed = now, 0
	} else {
		p.suppressed++
	}
	return false
}

func plain(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg)
}
