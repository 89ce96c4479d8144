package cisco

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// fixed79xx are the fixed names Cisco 79xx phones ask for over TFTP.
var fixed79xx = [...]string{
	"XMLDefault.cnf.xml", "ITLFile.tlv", "CTLFile.tlv", "OS79XX.TXT",
	"SIPDefault.cnf", "RINGLIST.DAT", "RINGLIST.XML", "syncinfo.xml",
}

// matchPath: 79xx SEP<MAC>.cnf.xml, CTLSEP/ITLSEP<MAC>.tlv, SIP<MAC>.cnf and
// the fixed 79xx files; ATA190 ATA<MAC>.cnf.xml; SPA spa<mac>.xml and the
// Profile_Rule default spa$PSN.cfg; MPP $PSN.xml ("CP-8841-3PCC.xml").
func matchPath(_, base string) (family.Device, bool) {
	switch {
	case text.HasPrefixFold(base, "SEP") && text.MACThen(base, 3, ".cnf.xml", ".cnf"),
		text.HasPrefixFold(base, "CTLSEP") && text.MACThen(base, 6, ".tlv"),
		text.HasPrefixFold(base, "ITLSEP") && text.MACThen(base, 6, ".tlv"),
		text.HasPrefixFold(base, "SIP") && text.MACThen(base, 3, ".cnf"):
		return family.Device{ProductLine: "79xx"}, true
	case text.HasPrefixFold(base, "ATA") && text.MACThen(base, 3, ".cnf.xml"):
		return family.Device{ProductLine: "ATA", Model: "ATA190"}, true
	case text.HasPrefixFold(base, "spa") && text.MACThen(base, 3, ".xml", ".cfg"):
		return family.Device{ProductLine: "SPA"}, true
	case text.HasPrefixFold(base, "spa") && text.HasSuffixFold(base, ".cfg"):
		psn := base[len("spa") : len(base)-len(".cfg")]
		if len(text.LeadingDigits(psn)) >= 3 && text.IsModelToken(psn) && len(psn) <= 8 {
			return family.Device{ProductLine: "SPA", Model: "SPA" + strings.ToUpper(psn)}, true
		}
	case text.HasPrefixFold(base, "CP-") && text.HasSuffixFold(base, "-3PCC.xml"):
		model := base[:len(base)-len(".xml")]
		if text.IsModelToken(model) {
			return family.Device{ProductLine: "MPP", Model: strings.ToUpper(model)}, true
		}
	}
	for _, name := range fixed79xx {
		if len(base) == len(name) && strings.EqualFold(base, name) {
			return family.Device{ProductLine: "79xx"}, true
		}
	}
	return family.Device{}, false
}
