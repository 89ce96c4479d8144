package security

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/netip"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Guard enforces a Config. It is safe for concurrent use; all its state
// (bans, nonces, counters) lives in it and survives Reconfigure.
type Guard struct {
	log      *slog.Logger
	rules    atomic.Pointer[rules]
	scans    *scanTracker // counts even while scan protection is off; rules say whether to
	nonces   *nonces
	opaque   string
	macs     atomic.Pointer[macIndex]
	counters counters
	auditLog *auditLog
}

// rules is what a Config makes of the Guard, replaced as one by
// Reconfigure.
type rules struct {
	cfg       Config
	httpAllow prefixSet
	tftpAllow prefixSet
	exempt    prefixSet
	certs     *certReloader // nil without TLSCert
	cas       *caPool       // nil without ClientCA
	tls       *tls.Config   // of handshakes; nil without TLSCert
}

// scanOn reports whether sources are counted and banned.
func (r *rules) scanOn() bool { return r.cfg.ScanThreshold > 0 }

var _ httpserver.Guard = (*Guard)(nil)

// New returns a Guard enforcing cfg. It fails when cfg is inconsistent or
// when the TLS certificate or client CAs it names cannot be loaded.
func New(cfg Config) (*Guard, error) {
	cfg = cfg.withDefaults()
	r, err := newRules(cfg, nil)
	if err != nil {
		return nil, err
	}
	g := &Guard{log: cfg.Logger}
	g.rules.Store(r)
	g.auditLog = newAuditLog(g.log, g.now)
	g.scans = newScanTracker(cfg.ScanThreshold, cfg.ScanWindow, cfg.BanTime, cfg.MaxSources)
	if g.nonces, err = newNonces(cfg.NonceLifetime, cfg.MaxNonces); err != nil {
		return nil, fmt.Errorf("security: nonce key: %w", err)
	}
	var opaque [12]byte
	if _, err := rand.Read(opaque[:]); err != nil {
		return nil, fmt.Errorf("security: opaque: %w", err)
	}
	g.opaque = base64.RawURLEncoding.EncodeToString(opaque[:])
	return g, nil
}

// newRules checks cfg (with its defaults) and loads the files it names;
// the certificate and client CAs of old are kept when cfg names the same
// files (they reload by themselves when the files change).
func newRules(cfg Config, old *rules) (*rules, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if strings.ContainsFunc(cfg.Realm, func(r rune) bool { return r < ' ' || r == 0x7f || r == '"' || r == '\\' }) {
		return nil, fmt.Errorf("security: realm %q holds a control character, quote or backslash", cfg.Realm)
	}
	r := &rules{
		cfg:       cfg,
		httpAllow: newPrefixSet(cfg.HTTPAllow),
		tftpAllow: newPrefixSet(cfg.TFTPAllow),
		exempt:    newPrefixSet(cfg.ScanExempt),
	}
	var err error
	switch {
	case cfg.TLSCert == "":
	case old != nil && old.certs != nil && old.cfg.TLSCert == cfg.TLSCert && old.cfg.TLSKey == cfg.TLSKey:
		r.certs = old.certs
	default:
		if r.certs, err = newCertReloader(cfg.TLSCert, cfg.TLSKey, cfg.Logger); err != nil {
			return nil, err
		}
	}
	switch {
	case len(cfg.ClientCA) == 0:
	case old != nil && old.cas != nil && slices.Equal(old.cfg.ClientCA, cfg.ClientCA):
		r.cas = old.cas
	default:
		if r.cas, err = newCAPool(cfg.ClientCA, cfg.Logger); err != nil {
			return nil, err
		}
	}
	if r.certs != nil {
		r.tls = r.tlsConfig()
	}
	return r, nil
}

// Reconfigure makes the Guard enforce cfg from the next request on,
// keeping its bans, nonces, counters and audit, and the snapshot source,
// Logger and clock it was made with. When cfg is inconsistent or its files do
// not load, it returns why and the Guard keeps its configuration.
// Changing the scan threshold, window or ban time applies to the bans
// imposed from then on.
func (g *Guard) Reconfigure(cfg Config) error {
	old := g.r()
	cfg.Snapshots, cfg.Logger, cfg.Now = old.cfg.Snapshots, old.cfg.Logger, old.cfg.Now
	cfg = cfg.withDefaults()
	r, err := newRules(cfg, old)
	if err != nil {
		return err
	}
	g.scans.configure(cfg.ScanThreshold, cfg.ScanWindow, cfg.BanTime, cfg.MaxSources)
	g.nonces.configure(cfg.NonceLifetime, cfg.MaxNonces)
	g.rules.Store(r)
	return nil
}

// r returns the rules in force.
func (g *Guard) r() *rules { return g.rules.Load() }

// now is the Guard's clock.
func (g *Guard) now() time.Time { return g.r().cfg.Now() }

// credentialsRequired reports whether sensitive routes over HTTP need
// credentials or a client certificate.
func (g *Guard) credentialsRequired() bool {
	return g.r().cfg.Auth != AuthNone || g.r().cas != nil
}

// tftpServesSensitive reports whether TFTP, which cannot authenticate,
// serves sensitive routes.
func (g *Guard) tftpServesSensitive() bool {
	switch g.r().cfg.TFTPSensitive {
	case settings.TFTPSensitiveAllow:
		return true
	case settings.TFTPSensitiveDeny:
		return false
	}
	return !g.credentialsRequired()
}

// OpenToWorld reports whether sensitive files are served to anyone on the
// Internet without credentials: the HTTP allowlist admits public addresses
// and neither credentials nor client certificates are asked for, or TFTP
// is served, its allowlist admits public addresses and it serves sensitive
// routes. The daemon should log a loud warning at startup when it is true.
func (g *Guard) OpenToWorld() bool {
	return len(g.exposure()) > 0
}

// exposure lists why OpenToWorld is true.
func (g *Guard) exposure() []string { return g.ExposureVia(true, true) }

// ExposureVia is Exposure for listeners as they are bound: http (HTTP or
// HTTPS) and tftp say whether a listener of that kind is reachable from
// other hosts. Listeners bound to loopback only expose nothing.
func (g *Guard) ExposureVia(http, tftp bool) []string {
	var why []string
	if http && g.r().httpAllow.admitsPublic() && !g.credentialsRequired() {
		why = append(why, "HTTP serves sensitive files without credentials to public addresses (set http_allow, auth or client_ca)")
	}
	if tftp && g.r().cfg.TFTP && g.r().tftpAllow.admitsPublic() && g.tftpServesSensitive() {
		why = append(why, "TFTP serves sensitive files to public addresses (set tftp_allow or tftp_sensitive = deny)")
	}
	return why
}

// Exposure explains OpenToWorld: one sentence per way secrets are open,
// none when they are not. It is meant for the startup warning.
func (g *Guard) Exposure() []string { return g.exposure() }

// Sensitive reports whether route is guarded: its rendered body depends on
// SECRET or holds a secret of its phone (SECRET or PROV_PASSWORD of any of
// its lines, however the template got it), or its URI matches one of the
// sensitive globs. body is nil for a static route. The TFTP server asks
// this before calling CheckTFTP.
func (g *Guard) Sensitive(route *phoneprov.Route, body *phoneprov.Rendered) bool {
	if body != nil && (body.Sensitive || body.HoldsSecret) {
		return true
	}
	for _, glob := range g.r().cfg.Sensitive {
		if ok, _ := path.Match(glob, route.URI); ok {
			return true
		}
	}
	return false
}

// macIndex maps the normalised MACs of one snapshot's phones to them.
type macIndex struct {
	snap   *phoneprov.Snapshot
	phones map[string]*phoneprov.Phone
}

// phoneByMAC returns the phone of snap whose MAC, normalised, is mac.
func (g *Guard) phoneByMAC(snap *phoneprov.Snapshot, mac string) *phoneprov.Phone {
	if snap == nil {
		return nil
	}
	idx := g.macs.Load()
	if idx == nil || idx.snap != snap {
		idx = &macIndex{snap: snap, phones: make(map[string]*phoneprov.Phone)}
		for _, p := range snap.Phones() {
			if m, ok := family.NormalizeMAC(p.MAC); ok {
				if _, dup := idx.phones[m]; !dup {
					idx.phones[m] = p
				}
			}
		}
		g.macs.Store(idx)
	}
	return idx.phones[mac]
}

// routePhone returns the phone a route serves and its normalised MAC: the
// route's own phone for a dynamic route, the phone named by the MAC in a
// static route's URI otherwise. Either may be missing.
func (g *Guard) routePhone(snap *phoneprov.Snapshot, route *phoneprov.Route) (*phoneprov.Phone, string) {
	if route.Phone != nil {
		return route.Phone, route.Phone.NormalMAC()
	}
	mac, ok := family.MACFromPath(route.URI)
	if !ok {
		return nil, ""
	}
	return g.phoneByMAC(snap, mac), mac
}

// countUnknownMAC records that remote asked for mac, which no phone has,
// and reports whether remote is banned.
func (g *Guard) countUnknownMAC(remote netip.Addr, mac string, proto string) bool {
	g.counters.unknownMACs.Add(1)
	if !g.r().scanOn() || g.exempted(remote) {
		return false
	}
	var raw [6]byte
	for i := range raw {
		raw[i] = hexByte(mac[2*i])<<4 | hexByte(mac[2*i+1])
	}
	banned, ev := g.scans.unknownMAC(sourceKey(remote, g.r().cfg.IPv6Prefix), raw, g.now())
	g.logBan(ev, proto)
	return banned
}

// countFailure records a failed authentication by remote and reports
// whether remote is now banned.
func (g *Guard) countFailure(remote netip.Addr, proto string) bool {
	g.counters.authFailures.Add(1)
	if !g.r().scanOn() || g.exempted(remote) {
		return false
	}
	banned, ev := g.scans.failure(sourceKey(remote, g.r().cfg.IPv6Prefix), g.now())
	g.logBan(ev, proto)
	return banned
}

// isBanned reports whether remote is banned now.
func (g *Guard) isBanned(remote netip.Addr) bool {
	if !g.r().scanOn() || !g.scans.anyBan() || g.exempted(remote) {
		return false
	}
	return g.scans.banned(sourceKey(remote, g.r().cfg.IPv6Prefix), g.now())
}

// exempted reports whether remote is never counted nor banned: listed in
// scan_exempt, or a loopback address (unless CountLoopback) — the server
// itself, or a reverse proxy on it, which would get everyone banned.
func (g *Guard) exempted(remote netip.Addr) bool {
	return g.r().exempt.contains(remote) || (!g.r().cfg.CountLoopback && remote.Unmap().IsLoopback())
}

// Unban lifts bans before they expire: of the source that holds address
// or prefix which ("192.0.2.7", "2001:db8::/64": every banned source
// inside it), or of every source for "all". It returns the sources
// unbanned, empty when none was banned.
func (g *Guard) Unban(which string) ([]string, error) {
	var match func(netip.Prefix) bool
	switch which = strings.TrimSpace(which); {
	case which == "all":
	case strings.Contains(which, "/"):
		p, err := netip.ParsePrefix(which)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address, a prefix or all", which)
		}
		p = p.Masked()
		match = func(k netip.Prefix) bool { return p.Overlaps(k) && p.Bits() <= k.Bits() }
	default:
		a, err := netip.ParseAddr(which)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address, a prefix or all", which)
		}
		key := sourceKey(a, g.r().cfg.IPv6Prefix)
		match = func(k netip.Prefix) bool { return k == key }
	}
	out := g.scans.unban(match, g.now())
	if out == nil {
		out = []string{}
	}
	for _, src := range out {
		g.log.Info("ban lifted by an administrator", "source", src)
	}
	return out, nil
}

// logBan logs a new ban, once.
func (g *Guard) logBan(ev *banEvent, proto string) {
	if ev == nil {
		return
	}
	g.counters.bans.Add(1)
	g.log.Warn("source banned: too many unknown MACs or failed authentications",
		"source", prefixString(ev.source), "proto", proto,
		"unknown_macs", ev.macs, "auth_failures", ev.fails,
		"threshold", g.r().cfg.ScanThreshold, "window", g.r().cfg.ScanWindow.String(),
		"ban_time", g.r().cfg.BanTime.String(), "until", ev.until.UTC().Format(time.RFC3339))
}

// hexByte is the value of a lower-case hex digit.
func hexByte(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}
