// Package linksys is the Linksys family: the SPA phones and ATAs sold
// under the Linksys name (Sipura's line before Cisco renamed it), for
// identification and re-sync only. See README.md.
package linksys

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/cisco"
)

// Vendor is the Device.Vendor of Linksys phones.
const Vendor = "Linksys"

// Family returns the Linksys family.
func Family() family.Family {
	return family.Family{
		Name:      "linksys",
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		// Linksys's blocks hold routers as much as phones: none is listed,
		// a guess from them would be wrong more often than right.
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "LINKSYS SPA", Line: "SPA"}, // "LINKSYS SPA-942"
			},
			Boot: []family.BootOption{{Code: 66, Form: "url", Path: "/spa$PSN.cfg"}},
		},
		Notify: family.Notify{
			Event:        "resync", // Sipura/Linksys Resync_From_SIP
			ProfileWords: []family.LineEvent{{Key: "linksys"}, {Key: "sipura"}},
		},
	}
}

// matchUserAgent recognises "Linksys/SPA-942-6.1.5(a) (88019FA42805)": the
// Cisco SPA format (cisco.SPA) under the Linksys word.
func matchUserAgent(ua string) (family.Device, bool) {
	if !strings.HasPrefix(ua, "Linksys/") {
		return family.Device{}, false
	}
	return cisco.SPA(ua[len("Linksys/"):])
}
