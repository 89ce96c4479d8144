package family

import "net/netip"

// Values of Device.Source and Device.MACSource: what a field was learnt from.
const (
	SourceUserAgent = "user-agent" // the HTTP User-Agent header
	SourcePath      = "path"       // the requested path or TFTP file name
	SourceOUI       = "oui"        // the OUI of the MAC found in the path
)

// Request is what identification looks at. Proto is "http" or "tftp".
type Request struct {
	Proto     string
	UserAgent string     // "" for TFTP
	Path      string     // URI after /phoneprov/ (decoded) or the TFTP filename
	RemoteIP  netip.Addr // carried for the caller; identification does not use it
}

// Device is what was recognised. Empty fields are unknown.
type Device struct {
	Vendor      string // the Vendor of the family that recognised it
	ProductLine string // product line, e.g. "VVX", "SPA", "MPP", "79xx", "GXP", "D7xx"
	Model       string // as the vendor writes it, e.g. "VVX 400", "SIP-T46G", "CP-8841-3PCC"
	Firmware    string
	MAC         string // 12 lower-case hex digits, no separators
	MACSource   string // SourceUserAgent or SourcePath
	Source      string // what identified the vendor: SourceUserAgent, SourcePath or SourceOUI
}

// MACMismatch reports whether d carries a MAC and pathMAC, the MAC of the
// file requested (as MACFromPath returns it, or in any form NormalizeMAC
// accepts), is a different one. An empty or malformed pathMAC, or a device
// without a MAC, is not a mismatch: there is nothing to compare.
func (d Device) MACMismatch(pathMAC string) bool {
	if d.MAC == "" {
		return false
	}
	p, ok := NormalizeMAC(pathMAC)
	if !ok {
		return false
	}
	return p != d.MAC
}
