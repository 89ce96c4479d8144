package polycom

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Polycom/Poly UC software User-Agents
// (docs/vendors.md#polycom):
//
//	FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application
//	FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078
//	FileTransport PolyEdge-Edge_E450-UA/8.0.0.15602 Type/Application
//
// that is "Polycom" or "Poly", the product line, '-', the model with '_'
// for a space, "-UA/" and the version (bootROM/Updater early in the boot,
// application later). The SIP stack sends the same string without
// "FileTransport ", which is accepted too. The UA carries no MAC; newer
// firmware adds "(SN:…)", a serial number, which is not reported as a MAC.
func matchUserAgent(ua string) (family.Device, bool) {
	s := strings.TrimPrefix(ua, "FileTransport ")
	switch {
	case strings.HasPrefix(s, "Polycom"):
		s = s[len("Polycom"):]
	case strings.HasPrefix(s, "Poly"):
		s = s[len("Poly"):]
	default:
		return family.Device{}, false
	}
	dash := strings.IndexByte(s, '-')
	if dash <= 0 {
		return family.Device{}, false
	}
	line := s[:dash]
	if text.LeadingLetters(line) != line {
		return family.Device{}, false
	}
	s = s[dash+1:]
	end := strings.Index(s, "-UA/")
	if end <= 0 {
		return family.Device{}, false
	}
	model := s[:end]
	if !text.IsModelToken(model) {
		return family.Device{}, false
	}
	return family.Device{
		Vendor:      Vendor,
		ProductLine: polycomProductLine(line),
		Model:       strings.ReplaceAll(model, "_", " "),
		Firmware:    text.LeadingVersion(s[end+len("-UA/"):]),
	}, true
}

// polycomProductLine names the product line the UA spells without spaces.
func polycomProductLine(line string) string {
	switch line {
	case "SoundPointIP":
		return "SoundPoint IP"
	case "SoundStationIP":
		return "SoundStation IP"
	case "RealPresenceTrio":
		return "Trio"
	}
	return line
}
