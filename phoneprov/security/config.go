package security

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/netip"
	"path"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Auth modes of Config.Auth.
const (
	AuthNone   = settings.AuthNone   // no credentials are asked for
	AuthDigest = settings.AuthDigest // Digest challenges; Basic also accepted over TLS
	AuthBasic  = settings.AuthBasic  // Basic challenge over TLS, Digest over plain HTTP
)

// Digest algorithms a Guard can offer.
const (
	AlgorithmSHA256 = "SHA-256"
	AlgorithmMD5    = "MD5"
)

// Config configures a Guard. ConfigFromSettings builds one from the
// [security] section, with phoneprovd.conf's defaults. The zero value
// admits everyone, asks for no credentials and, its ScanThreshold being 0,
// bans nobody; other zero fields take the defaults below.
type Config struct {
	HTTPAllow []netip.Prefix // empty admits every address
	TFTPAllow []netip.Prefix // empty admits every address

	ScanThreshold int           // 0: no scan protection
	ScanWindow    time.Duration // counting window
	BanTime       time.Duration
	ScanExempt    []netip.Prefix
	// CountLoopback counts and bans loopback sources too; by default they
	// are exempt (scan_exempt_loopback = yes).
	CountLoopback bool
	MaxSources    int // sources tracked at once; the least recently active is forgotten first
	IPv6Prefix    int // IPv6 sources are counted per prefix of this length

	Sensitive []string // route globs (path.Match) that are always sensitive

	Auth             string // AuthNone, AuthDigest or AuthBasic
	User, Password   string // the global pair; a phone's PROV_USER/PROV_PASSWORD win
	Realm            string
	DigestAlgorithms []string // offered in this order
	NonceLifetime    time.Duration
	MaxNonces        int // nonces whose counts are remembered

	TLSCert, TLSKey string   // PEM files of the HTTPS certificate
	ClientCA        []string // PEM bundles of trusted phone CAs
	TLSMinVersion   uint16

	UAMACCheck bool

	// TFTP says the daemon serves TFTP (OpenToWorld considers it), and
	// TFTPSensitive whether TFTP serves sensitive routes: settings'
	// auto, allow or deny.
	TFTP          bool
	TFTPSensitive string

	// Snapshots lets CheckTFTP tell known MACs from unknown ones; nil
	// counts every MAC in an unmatched TFTP name as unknown.
	Snapshots phoneprov.SnapshotSource

	// AuditInterval is how long the audit of sensitive files served is
	// aggregated before its lines are written (default 1 minute).
	AuditInterval time.Duration

	Logger *slog.Logger
	Now    func() time.Time // the clock; nil is time.Now
}

// Defaults of Config, the same as phoneprovd.conf's: zero fields take
// them, except ScanThreshold, where zero turns scan protection off.
const (
	DefaultScanThreshold = 10
	DefaultScanWindow    = 60 * time.Second
	DefaultBanTime       = 10 * time.Minute
	DefaultMaxSources    = 65536
	DefaultIPv6Prefix    = 64
	DefaultRealm         = "phoneprovd"
	DefaultNonceLifetime = 5 * time.Minute
	DefaultMaxNonces     = 65536
)

// withDefaults returns c with unset fields given their defaults.
func (c Config) withDefaults() Config {
	if c.ScanWindow <= 0 {
		c.ScanWindow = DefaultScanWindow
	}
	if c.BanTime <= 0 {
		c.BanTime = DefaultBanTime
	}
	if c.MaxSources <= 0 {
		c.MaxSources = DefaultMaxSources
	}
	if c.IPv6Prefix <= 0 || c.IPv6Prefix > 128 {
		c.IPv6Prefix = DefaultIPv6Prefix
	}
	if c.Auth == "" {
		c.Auth = AuthNone
	}
	if c.Realm == "" {
		c.Realm = DefaultRealm
	}
	if len(c.DigestAlgorithms) == 0 {
		c.DigestAlgorithms = []string{AlgorithmSHA256, AlgorithmMD5}
	}
	if c.NonceLifetime <= 0 {
		c.NonceLifetime = DefaultNonceLifetime
	}
	if c.MaxNonces <= 0 {
		c.MaxNonces = DefaultMaxNonces
	}
	if c.TLSMinVersion == 0 {
		c.TLSMinVersion = tls.VersionTLS12
	}
	if c.AuditInterval <= 0 {
		c.AuditInterval = DefaultAuditInterval
	}
	if c.TFTPSensitive == "" {
		c.TFTPSensitive = settings.TFTPSensitiveAuto
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// validate reports a Config that cannot work.
func (c *Config) validate() error {
	switch c.Auth {
	case AuthNone, AuthDigest, AuthBasic:
	default:
		return fmt.Errorf("security: auth %q is not none, digest or basic", c.Auth)
	}
	if (c.User == "") != (c.Password == "") {
		return fmt.Errorf("security: the global user and password go together")
	}
	for _, a := range c.DigestAlgorithms {
		if a != AlgorithmSHA256 && a != AlgorithmMD5 {
			return fmt.Errorf("security: digest algorithm %q is not SHA-256 or MD5", a)
		}
	}
	for _, g := range c.Sensitive {
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("security: sensitive glob %q: %w", g, err)
		}
	}
	if c.ScanThreshold < 0 {
		return fmt.Errorf("security: scan threshold %d is negative", c.ScanThreshold)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("security: the TLS certificate and key go together")
	}
	if len(c.ClientCA) > 0 && c.TLSCert == "" {
		return fmt.Errorf("security: client CAs need a TLS certificate and key")
	}
	switch c.TFTPSensitive {
	case settings.TFTPSensitiveAuto, settings.TFTPSensitiveAllow, settings.TFTPSensitiveDeny:
	default:
		return fmt.Errorf("security: tftp_sensitive %q is not auto, allow or deny", c.TFTPSensitive)
	}
	return nil
}

// ConfigFromSettings turns phoneprovd.conf's [security] section into a
// Config. tftp says whether the daemon serves TFTP; the caller sets Snapshots
// and Logger.
func ConfigFromSettings(s settings.Security, tftp bool) Config {
	return Config{
		HTTPAllow:        s.HTTPAllow,
		TFTPAllow:        s.TFTPAllow,
		ScanThreshold:    s.ScanThreshold,
		ScanWindow:       s.ScanWindow,
		BanTime:          s.BanTime,
		ScanExempt:       s.ScanExempt,
		CountLoopback:    !s.ScanExemptLoopback,
		MaxSources:       s.ScanMaxSources,
		IPv6Prefix:       s.ScanIPv6Prefix,
		Sensitive:        s.Sensitive,
		Auth:             s.Auth,
		User:             s.AuthUser,
		Password:         s.AuthPassword,
		Realm:            s.AuthRealm,
		DigestAlgorithms: s.DigestAlgorithms,
		NonceLifetime:    s.NonceLifetime,
		TLSCert:          s.TLSCert,
		TLSKey:           s.TLSKey,
		ClientCA:         s.ClientCA,
		TLSMinVersion:    tlsVersion(s.TLSMinVersion),
		UAMACCheck:       s.UAMACCheck,
		AuditInterval:    s.AuditInterval,
		TFTP:             tftp,
		TFTPSensitive:    s.TFTPSensitive,
	}
}

// tlsVersion maps settings' "1.0"…"1.3" to crypto/tls's constants; 0
// (the default, TLS 1.2) for anything else.
func tlsVersion(v string) uint16 {
	switch v {
	case "1.0":
		return tls.VersionTLS10
	case "1.1":
		return tls.VersionTLS11
	case "1.2":
		return tls.VersionTLS12
	case "1.3":
		return tls.VersionTLS13
	}
	return 0
}
