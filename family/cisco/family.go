// Package cisco is the Cisco family: SPA (the Sipura/Linksys line sold as
// Cisco Small Business), the Multiplatform phones (6800/7800/8800 3PCC),
// the 79xx SIP phones and the ATA190. See README.md.
package cisco

import "github.com/phoneprovd/phoneprovd/family"

// Vendor is the Device.Vendor of Cisco phones.
const Vendor = "Cisco"

// Family returns the Cisco family.
func Family() family.Family {
	return family.Family{
		Name:      "cisco",
		Profile:   profile(),
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		// Cisco owns hundreds of blocks, most of them on routers and
		// switches: only the blocks seen in documented phone User-Agents.
		OUIs: []string{
			"8843e1", // "Cisco/SPA501G-7.4.4 (8843E157DDCC)(…)"; IEEE: Cisco
			"00562b", // "Cisco-CP-8841-3PCC/11.0 (00562b043615)"; IEEE: Cisco
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "Cisco SPA", Line: "SPA"},                           // "Cisco SPA508G"
				{Match: family.Prefix, Value: "CISCO SPA", Line: "SPA"},                           // "CISCO SPA112" (ATA)
				{Match: family.Prefix, Value: "Cisco Systems, Inc. IP Phone SPA", Line: "SPA"},    // SPA50x/51x/525
				{Match: family.Suffix, Value: "-3PCC\x00", Line: "MPP"},                           // "…IP Phone CP-8841-3PCC\x00"
				{Match: family.Prefix, Value: "Cisco Systems, Inc. IP Phone CP-79", Line: "79xx"}, // "…CP-7941G\x00"
				{Match: family.Prefix, Value: "Cisco Systems, Inc. IP Phone 79", Line: "79xx"},    // 7905, 7912, 7920
				{Match: family.Prefix, Value: "CISCO ATA19", Line: "ATA"},                         // ATA190, ATA191-MPP
			},
			Boot: []family.BootOption{
				{Line: "SPA", Code: 66, Form: "url", Path: "/spa$PSN.cfg"}, // the Profile_Rule default
				{Line: "MPP", Code: 66, Form: "url", Path: "/$PSN.xml"},
				{Line: "79xx", Code: 150, Form: "ip"}, // TFTP only
				{Line: "79xx", Code: 66, Form: "host"},
				{Line: "ATA", Code: 66, Form: "host"},
			},
		},
		Notify: family.Notify{
			Event: "check-sync", // MPP (Resync_From_SIP) and 79xx SIP firmware
			Lines: []family.LineEvent{{Key: "SPA", Event: "resync"}},
			ProfileWords: []family.LineEvent{
				{Key: "spa", Line: "SPA"},
				{Key: "cisco"},
			},
		},
	}
}
