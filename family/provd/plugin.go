package provd

import (
	"fmt"
	"time"
)

// Support is how well a plugin supports a device, provd's DeviceSupport
// (devices/pgasso.py): the plugin with the best rating drives the device.
type Support int

// The ratings, with provd's values.
const (
	None       Support = 0
	Improbable Support = 100
	Unknown    Support = 200
	Probable   Support = 300
	Incomplete Support = 400
	Complete   Support = 500
	Exact      Support = 600
)

// String returns provd's name of the rating.
func (s Support) String() string {
	switch s {
	case None:
		return "NONE"
	case Improbable:
		return "IMPROBABLE"
	case Unknown:
		return "UNKNOWN"
	case Probable:
		return "PROBABLE"
	case Incomplete:
		return "INCOMPLETE"
	case Complete:
		return "COMPLETE"
	case Exact:
		return "EXACT"
	}
	return fmt.Sprintf("Support(%d)", int(s))
}

// Info is what an identification extractor learnt about a device from one
// request, provd's dev_info: any field may be empty.
type Info struct {
	Vendor  string
	Model   string
	Version string
	MAC     string // provd's normalised form, "00:0f:d3:aa:bb:01"
}

// Plugin is the Go stand-in for one Wazo plugin's Python (its entry.py and
// the common.py it runs), bound to one plugin directory's version.
type Plugin interface {
	// Associate rates how well the plugin supports a device (pgasso).
	// An empty vendor, model or version is unknown.
	Associate(vendor, model, version string) Support

	// IdentifyHTTP, IdentifyTFTP and IdentifyDHCP are the plugin's device
	// info extractors: what a request's User-Agent and path, a TFTP file
	// name, or a DHCP option 60 vendor class tell about the device. ok is
	// false when the plugin recognises nothing.
	IdentifyHTTP(userAgent, path string) (Info, bool)
	IdentifyTFTP(filename string) (Info, bool)
	IdentifyDHCP(vendorClass string) (Info, bool)

	// Configure is provd's configure(device, raw_config): the files to
	// write for dev, each from the first existing of its templates with
	// its context. raw is the device's raw config as provd merged it;
	// Configure does not change it (the contexts are copies) and applies
	// provd's defaults itself (Defaults). An error says why the device
	// cannot be configured (no MAC, a raw config the plugin refuses).
	Configure(dev Device, raw *Dict) ([]File, error)

	// TriggerFile is get_remote_state_trigger_filename: the file whose
	// fetch marks the device in sync with its configuration, relative to
	// the plugin's var/tftpboot, or "" when there is none.
	TriggerFile(dev Device) string

	// IsSensitive is is_sensitive_filename: whether a requested file name
	// (relative to var/tftpboot, without a leading '/') holds secrets.
	IsSensitive(filename string) bool

	// Synchronize is synchronize(device, raw_config): the NOTIFY that
	// makes the device re-fetch its configuration.
	Synchronize(dev Device, raw *Dict) (Notification, error)
}

// File is one file Configure writes: Name relative to the plugin's
// var/tftpboot ("Digium/000fd3aabb01.cfg"), rendered from the first of
// Templates that exists in the plugin's template path (var/templates, then
// templates) with Context as its variables.
type File struct {
	Name      string
	Templates []string
	Context   *Dict
}

// Options are what a Plugin takes from its environment.
type Options struct {
	// Now is the clock; tzinform applies DST rules to the current year.
	// Nil means time.Now.
	Now func() time.Time
	// TZ is the time zone database. The zero value reads the one Go's time
	// package reads.
	TZ TZDB
}

// Year returns the current year by o.Now.
func (o Options) Year() int {
	if o.Now == nil {
		return time.Now().UTC().Year()
	}
	return o.Now().UTC().Year()
}
