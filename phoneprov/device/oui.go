package device

// ouiVendor maps the first three octets of a MAC, as six lower-case hex
// digits, to the vendor whose phones carry them, or "". Every entry is a
// block the IEEE MA-L registry (ieee-data 20220827) assigns to one of the
// phone makers; the comments say where VENDORS.md names it (§1.3, or a MAC
// in a §1.2 User-Agent example).
//
// Cisco and Linksys own hundreds of blocks, most of them on routers and
// switches, so only the Cisco blocks seen in documented phone User-Agents
// are listed and Linksys none: a guess from a network-gear OUI would be
// wrong more often than right. Mitel's blocks map to VendorAastra, the
// vendor Mitel's SIP desk phones (the Aastra-derived 6900 series,
// "Mitel6940 MAC:14-00-E9-…") are identified as.
func ouiVendor(oui string) string {
	switch oui {
	case "0004f2", // VENDORS.md §1.3; IEEE: Polycom
		"64167f", // IEEE: Polycom
		"482567": // IEEE: Poly
		return VendorPolycom
	case "001565", // VENDORS.md §1.3 and UA examples; IEEE: Yealink
		"805ec0", // VENDORS.md §1.3, "Yealink SIP-T31G … 80:5e:c0:d5:7d:55"
		"805e0c", // IEEE: Yealink
		"249ad8": // IEEE: Yealink
		return VendorYealink
	case "8843e1", // "Cisco/SPA501G-7.4.4 (8843E157DDCC)(…)"; IEEE: Cisco
		"00562b": // "Cisco-CP-8841-3PCC/11.0 (00562b043615)"; IEEE: Cisco
		return VendorCisco
	case "000b82", // VENDORS.md §1.3 and "DevId 000b828aa872"
		"c074ad", // VENDORS.md §1.3
		"ec74d7": // IEEE: Grandstream
		return VendorGrandstream
	case "000413": // VENDORS.md §1.3 and "… 000413741767)"
		return VendorSnom
	case "0c383e": // VENDORS.md §1.3 and "Fanvil X4 … 0c383e07e16c"
		return VendorFanvil
	case "00085d", // VENDORS.md §1.3, "Aastra6731i MAC:00-08-5D-…"
		"0010bc", // VENDORS.md §1.3; IEEE: Aastra Telecom
		"1400e9": // VENDORS.md §1.3 (Mitel), "Mitel6940 MAC:14-00-E9-…"
		return VendorAastra
	case "7c2f80", // VENDORS.md §1.3 and "…;7C2F80CA21E4"
		"002104", // IEEE: Gigaset Communications
		"589ec6": // IEEE: Gigaset Communications
		return VendorGigaset
	case "000fd3": // IEEE: Digium
		return VendorDigium
	case "9cadef": // IEEE: Obihai Technology
		return VendorObihai
	}
	return ""
}

// VendorByOUI maps the first three octets of a MAC, in any form
// NormalizeMAC accepts, to the vendor whose phones carry that OUI, or ""
// when the MAC is malformed or its OUI is not one of the phone makers'
// listed in ouiVendor (Polycom 00:04:F2 and 64:16:7F, Yealink 00:15:65 and
// 80:5E:C0, Grandstream 00:0B:82 and C0:74:AD, Snom 00:04:13, Fanvil
// 0C:38:3E, Aastra 00:08:5D and 00:10:BC, Mitel 14:00:E9 as Aastra, Gigaset
// 7C:2F:80, Digium 00:0F:D3, Obihai 9C:AD:EF, two Cisco blocks, and a few
// more blocks of the same makers).
func VendorByOUI(mac string) string {
	m, ok := NormalizeMAC(mac)
	if !ok {
		return ""
	}
	return ouiVendor(m[:6])
}
