package security

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/phoneprovd/phoneprovd/family"
)

// Bounds on what is scanned for MACs in a certificate.
const (
	maxCertFields   = 64   // subject attributes and SANs looked at
	maxCertFieldLen = 1024 // bytes of each looked at
)

// certificateMACs returns the distinct MACs a device certificate names, in
// the places vendors put them (docs/vendors.md#client-certificates): the
// subject common name
// (Polycom and Yealink factory certificates, private CAs), the subject
// stateOrProvince (Cisco MPP writes S=<mac>), and the DNS, URI and e-mail
// subject alternative names (urn:dev:mac:…, SEP<MAC>, <mac>.example).
// Serial numbers, models and locality are not looked at: a serial can look
// like hex.
func certificateMACs(c *x509.Certificate) []string {
	fields := []string{c.Subject.CommonName}
	fields = append(fields, c.Subject.Province...)
	fields = append(fields, c.DNSNames...)
	for _, u := range c.URIs {
		fields = append(fields, u.String())
	}
	fields = append(fields, c.EmailAddresses...)
	if len(fields) > maxCertFields {
		fields = fields[:maxCertFields]
	}
	var out []string
	for _, f := range fields {
		if len(f) > maxCertFieldLen {
			f = f[:maxCertFieldLen]
		}
		for _, m := range macsIn(f) {
			if !containsString(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// macsIn finds the MACs written in s in any notation family.NormalizeMAC
// accepts ("0004F2A1B2C3", "00:04:f2:a1:b2:c3", "00-04-F2-A1-B2-C3",
// "0004.f2a1.b2c3"), each starting where no hex digit precedes it and
// ending where none follows ("SEP0004F2A1B2C3" and "urn:dev:mac:
// 0004f2a1b2c3" hold one; a run of 13 hex digits holds none). The all-zero
// MAC is left out. The result is normalised.
func macsIn(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if i > 0 && isHexDigit(s[i-1]) || !isHexDigit(s[i]) {
			continue
		}
		for _, n := range [...]int{17, 14, 12} {
			if i+n > len(s) || i+n < len(s) && isHexDigit(s[i+n]) {
				continue
			}
			if m, ok := family.NormalizeMAC(s[i : i+n]); ok {
				if m != "000000000000" {
					out = append(out, m)
				}
				i += n - 1
				break
			}
		}
	}
	return out
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// peerCertificate is what a request's client certificate establishes.
type peerCertificate struct {
	presented bool     // the client sent a certificate
	verified  bool     // it chains to a configured client CA
	macs      []string // the MACs it names, when verified
}

// peerCertificate checks the client certificate of a TLS connection
// against the client CAs. Intermediates the client sent are used to build
// the chain. Any extended key usage is accepted: vendors' factory
// certificates are not consistent about clientAuth, and trust comes from
// the CA and the MAC binding. Validity is checked against the real time,
// whatever the Guard's clock.
func (g *Guard) peerCertificate(cs *tls.ConnectionState) peerCertificate {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		return peerCertificate{}
	}
	pc := peerCertificate{presented: true}
	if g.r().cas == nil {
		return pc
	}
	leaf := cs.PeerCertificates[0]
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Roots:         g.r().cas.get(),
		Intermediates: inter,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return pc
	}
	pc.verified = true
	pc.macs = certificateMACs(leaf)
	return pc
}
