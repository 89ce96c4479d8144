package security

import (
	"sync/atomic"
	"time"
)

// counters count what the Guard did since it was made.
type counters struct {
	refusedAllowlist atomic.Int64
	refusedBanned    atomic.Int64
	refusedUserAgent atomic.Int64
	refusedCert      atomic.Int64
	challenges       atomic.Int64
	unknownMACs      atomic.Int64
	authFailures     atomic.Int64
	bans             atomic.Int64
}

// Status is the Guard's state for the admin /status page. It holds no
// secret.
type Status struct {
	OpenToWorld  bool     `json:"open_to_world"`
	Exposure     []string `json:"exposure,omitempty"`
	HTTPAllow    []string `json:"http_allow"`
	TFTPAllow    []string `json:"tftp_allow"`
	ScanExempt   []string `json:"scan_exempt"`
	Auth         string   `json:"auth"`
	ClientCerts  bool     `json:"client_certificates"`
	UAMACCheck   bool     `json:"ua_mac_check"`
	TFTPServes   bool     `json:"tftp_serves_sensitive"`
	ScanOn       bool     `json:"scan_protection"`
	Threshold    int      `json:"scan_threshold"`
	Window       string   `json:"scan_window"`
	BanTime      string   `json:"ban_time"`
	Tracked      int      `json:"tracked_sources"`
	NoncesInUse  int      `json:"nonces_in_use"`
	Bans         []Ban    `json:"bans"`
	Counters     Counters `json:"counters"`
	CertReloaded string   `json:"tls_certificate_loaded,omitempty"`
}

// Counters are running totals since the Guard was made.
type Counters struct {
	RefusedAllowlist int64 `json:"refused_allowlist"`
	RefusedBanned    int64 `json:"refused_banned"`
	RefusedUserAgent int64 `json:"refused_user_agent"`
	RefusedCert      int64 `json:"refused_client_certificate"`
	Challenges       int64 `json:"auth_challenges"`
	UnknownMACs      int64 `json:"unknown_macs"`
	AuthFailures     int64 `json:"auth_failures"`
	Bans             int64 `json:"bans"`
	ServedSensitive  int64 `json:"served_sensitive"`
}

// Status reports the Guard's settings (no credential), the sources banned
// now and its counters.
func (g *Guard) Status() Status {
	now := g.now()
	s := Status{
		OpenToWorld: g.OpenToWorld(),
		Exposure:    g.exposure(),
		HTTPAllow:   g.r().httpAllow.strings(),
		TFTPAllow:   g.r().tftpAllow.strings(),
		ScanExempt:  g.r().exempt.strings(),
		Auth:        g.r().cfg.Auth,
		ClientCerts: g.r().cas != nil,
		UAMACCheck:  g.r().cfg.UAMACCheck,
		TFTPServes:  g.tftpServesSensitive(),
		ScanOn:      g.r().scanOn(),
		Threshold:   g.r().cfg.ScanThreshold,
		Window:      g.r().cfg.ScanWindow.String(),
		BanTime:     g.r().cfg.BanTime.String(),
		NoncesInUse: g.nonces.inUse(),
		Bans:        []Ban{},
		Counters: Counters{
			RefusedAllowlist: g.counters.refusedAllowlist.Load(),
			RefusedBanned:    g.counters.refusedBanned.Load(),
			RefusedUserAgent: g.counters.refusedUserAgent.Load(),
			RefusedCert:      g.counters.refusedCert.Load(),
			Challenges:       g.counters.challenges.Load(),
			UnknownMACs:      g.counters.unknownMACs.Load(),
			AuthFailures:     g.counters.authFailures.Load(),
			Bans:             g.counters.bans.Load(),
			ServedSensitive:  g.auditLog.served(),
		},
	}
	if g.r().scanOn() {
		s.Tracked = g.scans.tracked()
		s.Bans = g.scans.bans(now)
	}
	if g.r().certs != nil {
		if t := g.r().certs.loadedAt(); !t.IsZero() {
			s.CertReloaded = t.UTC().Format(time.RFC3339)
		}
	}
	return s
}
