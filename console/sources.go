package console

import (
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// Inventory is what the console reads of the device inventory; an
// *inventory.Inventory is one.
type Inventory interface {
	// Devices returns every device, without its history, in any order.
	Devices() []inventory.Device
	// Get returns one device, with its history.
	Get(mac string) (inventory.Device, bool)
}

// Resync is the re-sync of phones, when it is on.
type Resync interface {
	// Phone returns a phone's re-sync state (by its MAC as configured).
	Phone(mac string) (resync.PhoneStatus, bool)
	// Status reports the queue and the phones by state.
	Status() resync.Status
	// Request queues a re-sync of phones, as POST /resync does, and
	// returns once the request is saved.
	Request(macs []string) (ResyncResult, error)
}

// ResyncResult is what became of a re-sync request.
type ResyncResult struct {
	Queued  []string // MACs queued
	Unknown []string // no such phone
	Skipped []string // no endpoint known, or resync = no for its profile
}

// Security is the guard of the phone-facing listeners; a
// *security.Guard is one.
type Security interface {
	// Status reports the settings (no credential), the bans and counters.
	Status() security.Status
	// Unban lifts the bans of an address, a prefix or "all", and returns
	// the sources unbanned.
	Unban(which string) ([]string, error)
}

// Firmware is the firmware rollouts, when that feature is present: the
// console lists them and pauses or resumes one.
type Firmware interface {
	Rollouts() []Rollout
	Pause(id string) error
	Resume(id string) error
}

// Rollout is one firmware rollout as the console shows it.
type Rollout struct {
	ID     string // what Pause and Resume take
	Name   string
	Vendor string
	Model  string
	From   string // firmware version(s) being replaced, "" when any
	To     string // the firmware version rolled out
	State  string // as the feature says: running, paused, done, failed…
	Paused bool
	// Phones counts the phones of the rollout: Done updated, Failed
	// failed, the rest still to go.
	Phones  int
	Done    int
	Failed  int
	Started time.Time
	Updated time.Time
	Message string // why it stopped, what it waits for
}

// DHCP is the DHCP integration, when present: the devices it saw.
type DHCP interface {
	Devices() []DHCPDevice
}

// DHCPDevice is a device the DHCP integration saw. The console lists
// those that never asked for a provisioning file: the phones that get an
// address but not their configuration.
type DHCPDevice struct {
	MAC         string // any notation
	IP          string
	Hostname    string
	VendorClass string // option 60
	Vendor      string // identification's, when any
	Model       string
	// Offered is the provisioning server or URL the phone was given
	// (option 66, 160, 43…), "" when none.
	Offered   string
	FirstSeen time.Time
	LastSeen  time.Time
}
