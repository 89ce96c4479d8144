// Package obihai is the Obihai / Poly OBi family (OBi ATAs and the
// OBi1000 phones), for identification and re-sync only. See README.md.
package obihai

import "github.com/phoneprovd/phoneprovd/family"

// Vendor is the Device.Vendor of Obihai devices.
const Vendor = "Obihai"

// Family returns the Obihai family.
func Family() family.Family {
	return family.Family{
		Name:      "obihai",
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		OUIs: []string{
			"9cadef", // IEEE: Obihai Technology
		},
		DHCP: family.DHCP{
			// The ConfigURL is usually set through OBiTALK or option 66.
			Boot: []family.BootOption{{Code: 66, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "resync", // X_AcceptResync: reboot and re-fetch
			ProfileWords: []family.LineEvent{{Key: "obi"}},
		},
	}
}
