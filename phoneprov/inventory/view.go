package inventory

import (
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Entry is one row of the phones listing: a configured phone (seen or
// not) or an unknown device that asked.
type Entry struct {
	MAC        string     `json:"mac"` // as configured, or normalised for unknown devices
	Configured bool       `json:"configured"`
	Profile    string     `json:"profile,omitempty"`
	Provider   string     `json:"provider,omitempty"`
	Lines      []LineInfo `json:"lines,omitempty"`
	// Plugin is the Wazo plugin serving the phone; PluginPending that the
	// phone waits to say what it is before its files can be named.
	Plugin        string  `json:"plugin,omitempty"`
	PluginPending bool    `json:"plugin_pending,omitempty"`
	Seen          bool    `json:"seen"` // asked for a file at least once
	Device        *Device `json:"device,omitempty"`
	// DHCPOnly is set for a device that leased an address but never asked
	// for a file, and Hint says what to check.
	DHCPOnly bool   `json:"dhcp_only,omitempty"`
	Hint     string `json:"hint,omitempty"`
	// Resync is the phone's re-sync state, filled in by the caller.
	Resync string `json:"resync,omitempty"`
}

// LineInfo is one line of a configured phone.
type LineInfo struct {
	Line     int    `json:"line"`
	Username string `json:"username"`
	Endpoint string `json:"endpoint,omitempty"`
}

// Filter selects entries; zero values select everything.
type Filter struct {
	Vendor string // case-insensitive
	Model  string // case-insensitive substring
	Unseen bool   // configured phones never seen
	Known  *bool  // configured (true) or unknown (false) only
	// DHCPOnly: devices that leased an address but never asked for a file.
	DHCPOnly bool
}

// List joins the configured phones of snap with what was seen, plus the
// unknown devices, sorted by MAC.
func (inv *Inventory) List(snap *phoneprov.Snapshot, f Filter) []Entry {
	seen := make(map[string]Device)
	for _, d := range inv.All() {
		seen[d.MAC] = d
	}
	var out []Entry
	if snap != nil {
		for _, p := range snap.Phones() {
			e := SnapshotEntry(snap, p)
			if mac, ok := family.NormalizeMAC(p.MAC); ok {
				if d, ok := seen[mac]; ok {
					d := d
					e.setDevice(&d)
					delete(seen, mac)
				}
			}
			out = append(out, e)
		}
	}
	for _, d := range seen {
		d := d
		e := Entry{MAC: d.MAC}
		e.setDevice(&d)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MAC < out[j].MAC })
	filtered := out[:0]
	for _, e := range out {
		if f.match(e) {
			filtered = append(filtered, e)
		}
	}
	return filtered
}

// setDevice attaches what was seen of the entry's device.
func (e *Entry) setDevice(d *Device) {
	e.Device, e.Seen = d, d.Requests > 0
	if d.DHCPOnly() {
		e.DHCPOnly, e.Hint = true, dhcp.Hint(families.List(), d.Vendor)
	}
}

// SnapshotEntry describes a configured phone of snap, with its plugin.
func SnapshotEntry(snap *phoneprov.Snapshot, p *phoneprov.Phone) Entry {
	e := PhoneEntry(p)
	e.Plugin, e.PluginPending = snap.PhonePlugin(p)
	return e
}

// PhoneEntry describes a configured phone.
func PhoneEntry(p *phoneprov.Phone) Entry {
	e := Entry{MAC: p.MAC, Configured: true, Profile: p.Profile.Name, Provider: p.Provider}
	for _, l := range p.Lines {
		e.Lines = append(e.Lines, LineInfo{Line: l.Index, Username: l.Username, Endpoint: l.Endpoint})
	}
	return e
}

func (f Filter) match(e Entry) bool {
	if f.Unseen && (!e.Configured || e.Seen) {
		return false
	}
	if f.DHCPOnly && !e.DHCPOnly {
		return false
	}
	if f.Known != nil && e.Configured != *f.Known {
		return false
	}
	if f.Vendor != "" && (e.Device == nil || !strings.EqualFold(e.Device.Vendor, f.Vendor)) {
		return false
	}
	if f.Model != "" && (e.Device == nil || !strings.Contains(strings.ToLower(e.Device.Model), strings.ToLower(f.Model))) {
		return false
	}
	return true
}
