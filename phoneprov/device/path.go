package device

import "strings"

// pathInfo is what a file-name convention says about the phone asking.
type pathInfo struct {
	vendor, family, model string
}

// pathRules are the vendors' file-name conventions (VENDORS.md §1.1, §1.2),
// tried in order on the directory and last element of a path. Each is
// specific to its vendor; a bare "<mac>.cfg" or "<mac>.xml", which several
// vendors request, matches none of them and is left to the OUI.
var pathRules = [...]func(dir, base string) (pathInfo, bool){
	ciscoPath,
	grandstreamPath,
	yealinkPath,
	polycomPath,
	digiumPath,
	snomPath,
	fanvilPath,
	aastraPath,
}

// vendorFromPath applies pathRules to p.
func vendorFromPath(p string) (pathInfo, bool) {
	base := baseName(p)
	if base == "" {
		return pathInfo{}, false
	}
	dir := p[:len(p)-len(base)]
	for _, rule := range pathRules {
		if info, ok := rule(dir, base); ok {
			return info, true
		}
	}
	return pathInfo{}, false
}

// macThen reports whether base is a MAC (12 hex digits, any case, zeros
// included) at offset i followed by one of the suffixes, compared without
// regard to case.
func macThen(base string, i int, suffixes ...string) bool {
	if len(base) < i+12 || !isHex12(base[i:i+12]) {
		return false
	}
	rest := base[i+12:]
	for _, s := range suffixes {
		if strings.EqualFold(rest, s) {
			return true
		}
	}
	return false
}

// cisco79xxFiles are the fixed names Cisco 79xx phones ask for over TFTP.
var cisco79xxFiles = [...]string{
	"XMLDefault.cnf.xml", "ITLFile.tlv", "CTLFile.tlv", "OS79XX.TXT",
	"SIPDefault.cnf", "RINGLIST.DAT", "RINGLIST.XML", "syncinfo.xml",
}

// ciscoPath: 79xx SEP<MAC>.cnf.xml, CTLSEP/ITLSEP<MAC>.tlv, SIP<MAC>.cnf and
// the fixed 79xx files; ATA190 ATA<MAC>.cnf.xml; SPA spa<mac>.xml and the
// Profile_Rule default spa$PSN.cfg; MPP $PSN.xml ("CP-8841-3PCC.xml").
func ciscoPath(_, base string) (pathInfo, bool) {
	switch {
	case hasPrefixFold(base, "SEP") && macThen(base, 3, ".cnf.xml", ".cnf"),
		hasPrefixFold(base, "CTLSEP") && macThen(base, 6, ".tlv"),
		hasPrefixFold(base, "ITLSEP") && macThen(base, 6, ".tlv"),
		hasPrefixFold(base, "SIP") && macThen(base, 3, ".cnf"):
		return pathInfo{VendorCisco, "79xx", ""}, true
	case hasPrefixFold(base, "ATA") && macThen(base, 3, ".cnf.xml"):
		return pathInfo{VendorCisco, "ATA", "ATA190"}, true
	case hasPrefixFold(base, "spa") && macThen(base, 3, ".xml", ".cfg"):
		return pathInfo{VendorCisco, "SPA", ""}, true
	case hasPrefixFold(base, "spa") && hasSuffixFold(base, ".cfg"):
		psn := base[len("spa") : len(base)-len(".cfg")]
		if len(leadingDigits(psn)) >= 3 && isModelToken(psn) && len(psn) <= 8 {
			return pathInfo{VendorCisco, "SPA", "SPA" + strings.ToUpper(psn)}, true
		}
	case hasPrefixFold(base, "CP-") && hasSuffixFold(base, "-3PCC.xml"):
		model := base[:len(base)-len(".xml")]
		if isModelToken(model) {
			return pathInfo{VendorCisco, "MPP", strings.ToUpper(model)}, true
		}
	}
	for _, name := range cisco79xxFiles {
		if len(base) == len(name) && strings.EqualFold(base, name) {
			return pathInfo{VendorCisco, "79xx", ""}, true
		}
	}
	return pathInfo{}, false
}

// grandstreamPath: cfg<mac>, cfg<mac>.bin, cfg<mac>.xml, the model file
// cfg<model>.xml ("cfggxp2135.xml") and the generic cfg.xml.
func grandstreamPath(_, base string) (pathInfo, bool) {
	if !hasPrefixFold(base, "cfg") {
		return pathInfo{}, false
	}
	if macThen(base, 3, "", ".bin", ".xml") || strings.EqualFold(base, "cfg.xml") {
		return pathInfo{VendorGrandstream, "", ""}, true
	}
	if hasSuffixFold(base, ".xml") {
		model := base[len("cfg") : len(base)-len(".xml")]
		letters := leadingLetters(model)
		number := leadingDigits(model[len(letters):])
		if len(letters) >= 2 && len(letters) <= 4 && len(number) >= 3 && isModelToken(model) {
			return pathInfo{VendorGrandstream, strings.ToUpper(letters), strings.ToUpper(model)}, true
		}
	}
	return pathInfo{}, false
}

// yealinkPath: <mac>.boot, the common y000000000000.boot, the per-model
// common file y0000000000XX.cfg (its digits are a model code, not a MAC),
// <mac>-local.cfg, <mac>-contact.xml, firmware *.rom and the key file
// *_Security.enc.
func yealinkPath(_, base string) (pathInfo, bool) {
	switch {
	case macThen(base, 0, ".boot", "-local.cfg", "-contact.xml"),
		isYealinkCommonFile(base),
		hasSuffixFold(base, ".rom"),
		hasSuffixFold(base, "_Security.enc"):
		return pathInfo{VendorYealink, "", ""}, true
	}
	return pathInfo{}, false
}

// isYealinkCommonFile reports whether base is y000000000000.boot or a
// y0000000000XX.cfg: 'y' and twelve decimal digits.
func isYealinkCommonFile(base string) bool {
	return (base[0] == 'y' || base[0] == 'Y') && macThen(base, 1, ".boot", ".cfg") &&
		leadingDigits(base[1:13]) == base[1:13]
}

// polycomPath: the files a Polycom phone fetches or uploads beside its
// <mac>.cfg (-phone.cfg, -web.cfg, -license.cfg, -directory.xml, -app.log,
// -boot.log, Wazo's -user.cfg), the shipped 000000000000.cfg, bootROM and
// application images (*.ld, sip.ver, bootrom.ver) and the localisation
// directory.
func polycomPath(dir, base string) (pathInfo, bool) {
	switch {
	case macThen(base, 0, "-phone.cfg", "-web.cfg", "-license.cfg", "-directory.xml",
		"-app.log", "-boot.log", "-user.cfg"),
		strings.EqualFold(base, zeroMAC+".cfg"),
		hasSuffixFold(base, ".ld"),
		strings.EqualFold(base, "sip.ver"),
		strings.EqualFold(base, "bootrom.ver"),
		strings.Contains(dir, "SoundPointIPLocalization"):
		return pathInfo{VendorPolycom, "", ""}, true
	}
	return pathInfo{}, false
}

// digiumPath: Wazo's /Digium/ directory, <mac>-contacts.xml and
// <mac>-smartblf.cfg.
func digiumPath(dir, base string) (pathInfo, bool) {
	if macThen(base, 0, "-contacts.xml", "-smartblf.cfg") || hasDirElement(dir, "Digium") {
		return pathInfo{VendorDigium, "", ""}, true
	}
	return pathInfo{}, false
}

// hasDirElement reports whether name, compared without regard to case, is
// one of the elements of dir ('/' or '\' separated).
func hasDirElement(dir, name string) bool {
	for dir != "" {
		elem := dir
		if i := strings.IndexAny(dir, `/\`); i >= 0 {
			elem, dir = dir[:i], dir[i+1:]
		} else {
			dir = ""
		}
		if strings.EqualFold(elem, name) {
			return true
		}
	}
	return false
}

// snomPath: snom<model>-<MAC>.htm, snom<model>.htm, res_phoneprov's
// snom-<MAC>.xml and firmware snom<model>-<version>-SIP-r.bin. The model is
// the part before the first '-' or '.'.
func snomPath(_, base string) (pathInfo, bool) {
	if !hasPrefixFold(base, "snom") {
		return pathInfo{}, false
	}
	end := strings.IndexAny(base, "-.")
	if end < 0 {
		return pathInfo{}, false
	}
	info := pathInfo{vendor: VendorSnom}
	if end > len("snom") && isModelToken(base[:end]) {
		info.model = base[:end]
		info.family = snomFamily(base[len("snom"):end])
	}
	return info, true
}

// fanvilPath: the common file f0<model>hw<hw>.cfg ("f0X4hw1.100.cfg") and
// the older f0<code>.cfg, a letter or two and digits ("f0C00580000.cfg").
// A MAC that happens to start with f0 ("f0a1b2c3d4e5.cfg") is a per-phone
// file, not one of these.
func fanvilPath(_, base string) (pathInfo, bool) {
	if !strings.HasPrefix(base, "f0") || !hasSuffixFold(base, ".cfg") || macThen(base, 0, ".cfg") {
		return pathInfo{}, false
	}
	stem := base[len("f0") : len(base)-len(".cfg")]
	if model, _, ok := strings.Cut(stem, "hw"); ok && model != "" && isModelToken(model) {
		return pathInfo{VendorFanvil, leadingLetters(model), model}, true
	}
	letters := leadingLetters(stem)
	if digits := stem[len(letters):]; len(letters) <= 2 && len(digits) >= 4 && leadingDigits(digits) == digits {
		return pathInfo{VendorFanvil, "", ""}, true
	}
	return pathInfo{}, false
}

// aastraPath: aastra.cfg, aastra.tuz, the encrypted <MAC>.tuz and the
// model files <model>.cfg, <model>.tuz and firmware <model>.st for the
// 67xxi, 68xxi and 69xx models ("6731i.cfg", "6863i.st").
func aastraPath(_, base string) (pathInfo, bool) {
	if strings.EqualFold(base, "aastra.cfg") || strings.EqualFold(base, "aastra.tuz") ||
		macThen(base, 0, ".tuz") {
		return pathInfo{VendorAastra, "", ""}, true
	}
	stem, ext, ok := strings.Cut(base, ".")
	if !ok || (ext != "cfg" && ext != "tuz" && ext != "st") {
		return pathInfo{}, false
	}
	digits := leadingDigits(stem)
	suffix := stem[len(digits):]
	series := len(digits) == 4 && digits[0] == '6' && '7' <= digits[1] && digits[1] <= '9'
	if series && (suffix == "" || suffix == "i") {
		return pathInfo{VendorAastra, aastraFamily(stem), stem}, true
	}
	return pathInfo{}, false
}
