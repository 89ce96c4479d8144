// Package profiletest checks the res_phoneprov profiles the families ship
// (family/<name>/profile), put together into the sample configuration
// (package conf): each family's profile test declares what its templates
// render — their format, where each SIP account is, the fixed settings, the
// phone book, the daylight saving time rule — and CheckProfile renders
// every file for one- and two-line phones, phones whose names hold XML's
// special characters, in zones of both hemispheres and without DST,
// reached over IPv4 and IPv6 on several ports, and as Asterisk renders
// them, and parses each as the phone would.
package profiletest

// LineKeys are the settings a format puts one SIP account in.
type LineKeys struct {
	Users   []string // each must hold USERNAME (user id, auth id, …)
	Secret  string
	Display string
	Server  string // SERVER, or SERVER:SERVER_PORT when Port is ""
	Port    string
}

// Format describes one template's output: how to parse it, where each
// line's account is, which fixed settings it must carry, and where its
// phone book is.
type Format struct {
	Parse func(body string) (Settings, *XMLNode, error)
	// Line names the settings of line n; nil when the file has no accounts.
	Line func(n int) LineKeys
	// Fixed are settings that must have exactly this value: above all the
	// one that makes the phone accept a check-sync (or resync) NOTIFY.
	Fixed map[string]string
	// Refs are settings that name another file the phone fetches from
	// phoneprovd (a URL, a server path or a bare file name), with the text
	// the phone appends to the value (MACMarker stands for the MAC).
	Refs map[string]string
	// Book extracts the phone book; nil when the file has none. BookRoot
	// is the root element it must have.
	Book     func(root *XMLNode) (name string, list []Entry)
	BookRoot string
	// Shared files are the same for every phone of the profile.
	Shared bool
	// DST reads the daylight saving time rule; nil when the file has none.
	DST DSTReader
	// Scheme, when set, checks the settings that depend on the scheme the
	// phone reached phoneprovd over ("http", "https").
	Scheme func(s Settings, scheme string) error
}

// Formats are a family's templates' formats, by their path under
// DATA-DIR/phoneprov ("yealink/mac.cfg").
type Formats map[string]Format

// MACMarker in a ref's suffix stands for the phone's MAC: Grandstream
// phones append cfg<mac>.xml to the config server path.
const MACMarker = "<mac>"

// KeyValueFormat parses Yealink's key = value files.
func KeyValueFormat(body string) (Settings, *XMLNode, error) {
	s, err := ParseKeyValue(body)
	return s, nil, err
}

// ElementFormat parses an XML file with an element per setting.
func ElementFormat(body string) (Settings, *XMLNode, error) {
	root, err := ParseXML(body)
	if err != nil {
		return nil, nil, err
	}
	return ElementSettings(root), root, nil
}

// AttributeFormat parses an XML file with an attribute per setting
// (Polycom).
func AttributeFormat(body string) (Settings, *XMLNode, error) {
	root, err := ParseXML(body)
	if err != nil {
		return nil, nil, err
	}
	return AttributeSettings(root), root, nil
}

// DirectoryBook reads the <XxxIPPhoneDirectory><DirectoryEntry><Name>
// <Telephone> phone books of Yealink, Cisco and Fanvil.
func DirectoryBook(root *XMLNode) (string, []Entry) {
	return root.Name, Entries(root, "DirectoryEntry", "Name", "Telephone")
}
