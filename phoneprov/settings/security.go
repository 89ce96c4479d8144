package settings

import (
	"errors"
	"fmt"
	"net/netip"
	"path"
	"strconv"
	"strings"
	"time"
)

// Security is the [security] section: who may fetch the files that carry
// SIP secrets, and how phones prove who they are. Package
// phoneprov/security enforces it; its README section documents each
// setting.
type Security struct {
	// HTTPAllow and TFTPAllow are the addresses served at all (http_allow,
	// tftp_allow); empty admits every address.
	HTTPAllow []netip.Prefix
	TFTPAllow []netip.Prefix

	// ScanThreshold is how many distinct unknown MACs and failed
	// authentications a source may produce within ScanWindow before it is
	// banned for BanTime; 0 turns scan protection off.
	ScanThreshold int
	ScanWindow    time.Duration
	BanTime       time.Duration
	// ScanExempt sources are never counted or banned (NAT egress of sites).
	ScanExempt []netip.Prefix
	// ScanExemptLoopback exempts 127.0.0.0/8 and ::1 (scan_exempt_loopback,
	// default yes): an administrator testing on the server, or a reverse
	// proxy on it, whose address every request would carry.
	ScanExemptLoopback bool
	// ScanMaxSources caps the sources tracked at once (scan_max_sources).
	ScanMaxSources int
	// ScanIPv6Prefix is the prefix length an IPv6 source is counted as
	// (scan_ipv6_prefix): one host usually owns a whole /64.
	ScanIPv6Prefix int

	// Sensitive are route globs (path.Match syntax) that are sensitive
	// whether or not their content depends on SECRET.
	Sensitive []string

	// Auth is none, digest or basic.
	Auth         string
	AuthUser     string
	AuthPassword string
	AuthRealm    string
	// DigestAlgorithms are the digest challenges offered, in order:
	// "SHA-256", "MD5".
	DigestAlgorithms []string
	// NonceLifetime is how long a digest nonce is accepted.
	NonceLifetime time.Duration

	// TLSCert and TLSKey are the HTTPS listener's certificate and key
	// (PEM files, re-read when they change).
	TLSCert string
	TLSKey  string
	// ClientCA are PEM bundles of the CAs whose client certificates
	// identify phones.
	ClientCA []string
	// TLSMinVersion is "1.0", "1.1", "1.2" or "1.3".
	TLSMinVersion string

	// UAMACCheck refuses a sensitive route to a User-Agent naming another
	// phone's MAC (ua_mac_check).
	UAMACCheck bool

	// AuditInterval is how long the audit of sensitive files served is
	// aggregated into one line per phone, route and source.
	AuditInterval time.Duration

	// MaxConnections caps the phone-facing connections held at once,
	// HTTP and HTTPS together.
	MaxConnections int

	// TFTPSensitive is auto, allow or deny: whether TFTP, which cannot
	// authenticate, serves sensitive routes. auto denies them when HTTP
	// asks for credentials or client certificates.
	TFTPSensitive string
}

// Values of Security.Auth.
const (
	AuthNone   = "none"
	AuthDigest = "digest"
	AuthBasic  = "basic"
)

// Values of Security.TFTPSensitive.
const (
	TFTPSensitiveAuto  = "auto"
	TFTPSensitiveAllow = "allow"
	TFTPSensitiveDeny  = "deny"
)

func (s *Security) defaults() {
	s.ScanThreshold = 10
	s.ScanWindow = 60 * time.Second
	s.BanTime = 10 * time.Minute
	s.AuditInterval = time.Minute
	s.ScanMaxSources = 65536
	s.ScanIPv6Prefix = 64
	s.Auth = AuthNone
	s.AuthRealm = "phoneprovd"
	s.DigestAlgorithms = []string{"SHA-256", "MD5"}
	s.NonceLifetime = 5 * time.Minute
	s.TLSMinVersion = "1.2"
	s.MaxConnections = 1024
	s.TFTPSensitive = TFTPSensitiveAuto
	s.ScanExemptLoopback = true
}

func (s *Security) parser() parser {
	// Lists accumulate over repeated lines; the defaults of a list the file
	// sets are replaced, not extended.
	algorithms := false
	return parser{
		"http_allow":           cidrList(&s.HTTPAllow),
		"tftp_allow":           cidrList(&s.TFTPAllow),
		"scan_threshold":       intBetween(&s.ScanThreshold, 0, 1<<20),
		"scan_window":          duration(&s.ScanWindow),
		"ban_time":             duration(&s.BanTime),
		"scan_exempt":          cidrList(&s.ScanExempt),
		"scan_exempt_loopback": boolean(&s.ScanExemptLoopback),
		"scan_max_sources":     intBetween(&s.ScanMaxSources, 1, 1<<24),
		"scan_ipv6_prefix":     intBetween(&s.ScanIPv6Prefix, 32, 128),
		"sensitive":            globList(&s.Sensitive),
		"auth":                 oneOf(&s.Auth, AuthNone, AuthDigest, AuthBasic),
		"auth_user":            str(&s.AuthUser),
		"auth_password":        str(&s.AuthPassword),
		"auth_realm":           str(&s.AuthRealm),
		"digest_algorithms": func(v string) error {
			if !algorithms {
				s.DigestAlgorithms, algorithms = nil, true
			}
			return digestAlgorithmList(&s.DigestAlgorithms)(v)
		},
		"nonce_lifetime":  duration(&s.NonceLifetime),
		"tls_cert":        str(&s.TLSCert),
		"tls_key":         str(&s.TLSKey),
		"client_ca":       commaList(&s.ClientCA),
		"tls_min_version": oneOf(&s.TLSMinVersion, "1.0", "1.1", "1.2", "1.3"),
		"ua_mac_check":    boolean(&s.UAMACCheck),
		"audit_interval":  duration(&s.AuditInterval),
		"max_connections": intBetween(&s.MaxConnections, 1, 1<<20),
		"tftp_sensitive":  oneOf(&s.TFTPSensitive, TFTPSensitiveAuto, TFTPSensitiveAllow, TFTPSensitiveDeny),
	}
}

func (s *Security) validate() error {
	if (s.AuthUser == "") != (s.AuthPassword == "") {
		return errors.New("[security] auth_user and auth_password go together")
	}
	if (s.TLSCert == "") != (s.TLSKey == "") {
		return errors.New("[security] tls_cert and tls_key go together")
	}
	if len(s.ClientCA) > 0 && s.TLSCert == "" {
		return errors.New("[security] client_ca needs tls_cert and tls_key: client certificates come over HTTPS")
	}
	if s.Auth == AuthBasic && s.TLSCert == "" {
		return errors.New("[security] auth = basic needs tls_cert and tls_key: Basic credentials are accepted over HTTPS only")
	}
	if s.Auth != AuthNone && s.AuthRealm == "" {
		return errors.New("[security] auth_realm must not be empty")
	}
	if s.Auth != AuthNone && len(s.DigestAlgorithms) == 0 {
		return errors.New("[security] digest_algorithms must name SHA-256, MD5 or both")
	}
	if s.NonceLifetime <= 0 {
		return errors.New("[security] nonce_lifetime must be positive")
	}
	if s.ScanThreshold > 0 && (s.ScanWindow <= 0 || s.BanTime <= 0) {
		return errors.New("[security] scan_window and ban_time must be positive while scan_threshold is set")
	}
	return nil
}

// String describes the section with the password redacted, so that
// printing the settings never shows it.
func (s Security) String() string {
	if s.AuthPassword != "" {
		s.AuthPassword = "[redacted]"
	}
	type plain Security // no String method: formats field by field
	return fmt.Sprintf("%+v", plain(s))
}

// cidrList parses a comma-separated list of CIDR prefixes or single
// addresses ("10.0.0.0/8, 192.0.2.7, 2001:db8::/32") and appends them.
func cidrList(p *[]netip.Prefix) func(string) error {
	return func(v string) error {
		for _, item := range splitList(v) {
			pfx, err := ParsePrefix(item)
			if err != nil {
				return err
			}
			*p = append(*p, pfx)
		}
		return nil
	}
}

// ParsePrefix parses a CIDR prefix or a single address (a /32 or /128),
// masked, with IPv4-mapped IPv6 addresses unmapped.
func ParsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix (e.g. 10.0.0.0/8)", s)
		}
		if a := p.Addr(); a.Is4In6() {
			bits := p.Bits() - 96
			if bits < 0 {
				return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix (e.g. 10.0.0.0/8)", s)
			}
			p = netip.PrefixFrom(a.Unmap(), bits)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or CIDR prefix", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// commaList appends the comma-separated items of v.
func commaList(p *[]string) func(string) error {
	return func(v string) error {
		*p = append(*p, splitList(v)...)
		return nil
	}
}

// globList appends route globs, checked for path.Match syntax.
func globList(p *[]string) func(string) error {
	return func(v string) error {
		for _, g := range splitList(v) {
			if _, err := path.Match(g, ""); err != nil {
				return fmt.Errorf("%q is not a valid glob", g)
			}
			*p = append(*p, g)
		}
		return nil
	}
}

// digestAlgorithmList appends digest algorithm names, canonically spelled.
func digestAlgorithmList(p *[]string) func(string) error {
	return func(v string) error {
		for _, a := range splitList(v) {
			switch strings.ToUpper(a) {
			case "SHA-256":
				*p = append(*p, "SHA-256")
			case "MD5":
				*p = append(*p, "MD5")
			default:
				return fmt.Errorf("%q is not a digest algorithm (SHA-256 or MD5)", a)
			}
		}
		return nil
	}
}

// intBetween parses a decimal integer in [lo, hi].
func intBetween(p *int, lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%q is not a number from %d to %d", v, lo, hi)
		}
		*p = n
		return nil
	}
}

// splitList splits a comma-separated list, trimming blanks and dropping
// empty items.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
