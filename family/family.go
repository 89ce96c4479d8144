package family

import (
	"io/fs"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

// Family is everything phoneprovd knows about one vendor's phones, in one
// place: how to recognise them (User-Agent, file names, OUIs, DHCP vendor
// class), how DHCP points them at a provisioning server, which SIP NOTIFY
// makes them re-fetch their configuration, and — for the families Wazo has
// a provd plugin for — the plugin's behaviour (Provd).
//
// A Family is a value built by its package (yealink.Family(), …) and
// listed in family/families; nothing registers itself.
type Family struct {
	// Name is the family's directory name and the word in a Wazo plugin's
	// name that selects it ("wazo-yealink-v86" → "yealink").
	Name string
	// Vendor is the value Device.Vendor takes for this family's phones.
	Vendor string

	// UserAgent recognises the vendor's HTTP User-Agent formats. It
	// returns ok only for a User-Agent it is sure about, anchored on the
	// vendor's own leading token so that at most one family accepts a given
	// User-Agent. The Device it returns names no vendor (or this family's);
	// its fields are validated by Identify. Nil: no User-Agent is known.
	UserAgent func(ua string) (d Device, ok bool)
	// Path recognises the vendor's provisioning file-name conventions in
	// the directory and last element of a path or TFTP file name, and may
	// give the product line (Device.ProductLine) and model. Nil: none.
	Path func(dir, base string) (d Device, ok bool)
	// OUIs are the first three octets, as six lower-case hex digits, of
	// the MACs this vendor's phones carry. Only blocks that hold phones are
	// listed: a guess from a network-gear OUI would be wrong more often than
	// right.
	OUIs []string

	// DHCP is how the vendor's phones show themselves to a DHCP server and
	// where they read the provisioning server from.
	DHCP DHCP

	// Notify is the SIP NOTIFY that makes the phones re-fetch their
	// configuration.
	Notify Notify

	// Provd returns the stand-in for the Python of one of the family's
	// Wazo provd plugins, from the plugin's directory name
	// ("wazo-yealink-v86"); an error when the family has no data for that
	// plugin version. Nil for families with no plugin support.
	Provd func(pluginName string, opts provd.Options) (provd.Plugin, error)

	// Profile is the res_phoneprov profile phoneprovd ships for the
	// family's phones (family/<name>/profile, embedded), nil when it ships
	// none: phoneprov.conf holds its profile sections (inheriting the
	// sample's [provisioning]), phoneprovd.conf their [profile:NAME]
	// sections (optional), and each profile's directory its templates and
	// README, as DATA-DIR/phoneprov/<profile>/ holds them. Package conf
	// puts the families' profiles together into the sample configuration.
	Profile fs.FS
}

// Notify is a family's re-sync NOTIFY policy.
type Notify struct {
	// Event is the default Event header: the one that makes the phone
	// fetch its configuration without being told to reboot where the vendor
	// distinguishes the two.
	Event string
	// Lines overrides Event for some product lines (Device.ProductLine), e.g.
	// Cisco SPA phones want "resync".
	Lines []LineEvent
	// ProfileWords are lower-case words that, found in a phoneprov.conf
	// profile's name, suggest the profile's phones are this family's (and
	// which product line), when nothing better is known.
	ProfileWords []LineEvent
}

// LineEvent pairs a product line (or a profile word) with an event.
type LineEvent struct {
	Key   string // product line (Device.ProductLine) or profile word
	Line  string // for a profile word: the product line it suggests, or ""
	Event string // for a product line: its event
}

// EventFor returns the event for one of the family's product lines.
func (n Notify) EventFor(line string) string {
	for _, l := range n.Lines {
		if l.Key == line && line != "" {
			return l.Event
		}
	}
	return n.Event
}

// DHCP describes a family's DHCP behaviour, the facts a DHCP server's
// configuration for the family is generated from.
type DHCP struct {
	// VendorClasses are the option 60 (vendor class identifier) values
	// the phones send.
	VendorClasses []VendorClass
	// Boot are the options the phones read the provisioning server from,
	// most preferred first.
	Boot []BootOption
	// Extract is the family's DHCP extractor: what an option 60 value
	// tells beyond the vendor — the model and firmware
	// ("digium_D40_1_1_0_0_48178" → D40, 1.1.0.0.48178). It returns ok
	// only for a value it recognises; the Device it returns names no vendor
	// (or this family's). Nil when the phones' vendor class names no more
	// than the vendor.
	Extract func(vendorClass string) (d Device, ok bool)
}

// Match is how a VendorClass value is compared with option 60.
type Match int

const (
	// Exact: option 60 equals Value.
	Exact Match = iota
	// Prefix: option 60 begins with Value.
	Prefix
	// Suffix: option 60 ends with Value.
	Suffix
)

// VendorClass is one option 60 value (or pattern) a family's phones send.
type VendorClass struct {
	Match Match
	Value string // may hold a NUL (Cisco sends "…CP-7941G\x00")
	Line  string // the product line it names, "" when it names none
}

// Matches reports whether option 60 value v matches c.
func (c VendorClass) Matches(v string) bool {
	switch c.Match {
	case Prefix:
		return len(v) >= len(c.Value) && v[:len(c.Value)] == c.Value
	case Suffix:
		return len(v) >= len(c.Value) && v[len(v)-len(c.Value):] == c.Value
	}
	return v == c.Value
}

// BootOption is one DHCP option a family's phones take their provisioning
// server from.
type BootOption struct {
	// Line is the product line (Device.ProductLine) the option is for, "" for
	// all the family's phones.
	Line string
	// Code is the DHCP option: 66 (TFTP server name, read as a URL by most
	// phones), 150 (Cisco TFTP server address), 160 (Polycom/Yealink
	// provisioning URL), 43 (vendor-encapsulated, with Sub) or 114 (URL).
	Code int
	// Sub is the sub-option inside option 43, 0 otherwise.
	Sub int
	// Form is what the option carries: "url" (a URL, to which Path is
	// appended), "host" (a host name or address) or "ip" (an IPv4 address).
	Form string
	// Path is appended to the provisioning base URL ("/Digium"), with the
	// vendor's macros left for the phone to expand ("/spa$PSN.cfg").
	Path string
}
