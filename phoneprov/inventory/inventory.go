// Package inventory remembers every device that asked for a provisioning
// file: configured phones and unknown devices alike, with what
// identification made of them (vendor, model, firmware), where they were
// last seen from and which files they fetched. It is kept in memory,
// bounded, and persisted to a small state file so a restart does not
// forget who was seen.
package inventory

import (
	"log/slog"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Limits.
const (
	// DefaultMaxUnknown bounds the devices kept that match no configured
	// phone: a scanner inventing MACs evicts the oldest, it cannot fill memory.
	DefaultMaxUnknown = 10000
	// DefaultMaxAge forgets unknown devices not seen for this long.
	DefaultMaxAge = 7 * 24 * time.Hour
	// HistoryLen is how many fetches are kept per device.
	HistoryLen = 20
)

// Device is what is known about one MAC.
type Device struct {
	MAC         string    `json:"mac"` // 12 lower-case hex digits
	Vendor      string    `json:"vendor,omitempty"`
	ProductLine string    `json:"family,omitempty"` // /phones has always called it "family"
	Model       string    `json:"model,omitempty"`
	Firmware    string    `json:"firmware,omitempty"`
	UserAgent   string    `json:"user_agent,omitempty"`
	LastIP      string    `json:"last_ip,omitempty"`
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
	Requests    uint64    `json:"requests"`
	Files       []Fetch   `json:"files"` // the latest HistoryLen, oldest first
	// Configured is set when the MAC belonged to a configured phone at the
	// time of its last request.
	Configured bool `json:"configured"`
	// DHCP is the device's last DHCP lease, when a DHCP server told (see
	// ObserveLease); nil otherwise.
	DHCP *dhcp.Lease `json:"dhcp,omitempty"`
}

// Fetch is one request of a device.
type Fetch struct {
	At     time.Time `json:"at"`
	Proto  string    `json:"proto"` // http or tftp
	File   string    `json:"file"`
	Status string    `json:"status"` // "200", "404", … for HTTP; TFTP outcome
	Bytes  int64     `json:"bytes"`
}

// Request is what the servers report about a request.
type Request struct {
	Proto     string
	UserAgent string
	Path      string // decoded URI after /phoneprov/, or the TFTP filename
	RemoteIP  netip.Addr
	// PhoneMAC is the MAC of the configured phone whose own route (one
	// naming its MAC) was served, "" for any other request: a shared file
	// is attributed to the MAC the request carries (User-Agent, path) or
	// else to the one device seen at its address, never to the phone
	// that happened to add the route.
	PhoneMAC string
	// Phone is that configured phone, when the server has it: the
	// inventory keeps its record with the phone (Phone.SetMemo) and finds
	// it there on the phone's next request, without a lookup by MAC.
	Phone  *phoneprov.Phone
	Status string
	Bytes  int64
	At     time.Time
}

// Config configures an Inventory.
type Config struct {
	MaxUnknown int
	MaxAge     time.Duration
	Logger     *slog.Logger
	Now        func() time.Time
	// NewDeviceLogs bounds the info lines about unknown devices asking for
	// the first time: at most this many per minute (default 10), so a
	// scanner cannot flood the log; the rest are counted in the next line.
	NewDeviceLogs int
}

// Inventory is safe for concurrent use.
type Inventory struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	devices map[string]*record
	// byAddr is the device seen at each address, "" where several were
	// (a NAT, a proxy): a request that names no MAC is that device's.
	byAddr map[netip.Addr]string
	words  words // protocols and statuses of the fetches
	newLog rateLimit

	// Persistence (see state.go), once Restore was called: the records
	// changed and the MACs forgotten since the last Collect; the records
	// only fetched again, written at most every SeenInterval by the
	// periodic flush (last took them at seenAt); and what the last Collect
	// sent, queued again if its commit fails.
	tracking atomic.Bool // read by routine fetches without the lock
	dirty    []*record
	seen     []*record
	seenAt   time.Time
	deleted  []string
	sentRecs []*record
	sentDels []string
}

// New returns an empty Inventory; Load reads the state file.
func New(cfg Config) *Inventory {
	if cfg.MaxUnknown <= 0 {
		cfg.MaxUnknown = DefaultMaxUnknown
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.NewDeviceLogs <= 0 {
		cfg.NewDeviceLogs = 10
	}
	return &Inventory{cfg: cfg, log: log, devices: make(map[string]*record),
		newLog: rateLimit{burst: float64(cfg.NewDeviceLogs), per: time.Minute}}
}

// Observe records a request. The device is the configured phone whose
// route was served, else the MAC identification found in the User-Agent
// or the path; requests that name no MAC are not recorded.
func (inv *Inventory) Observe(r Request) {
	at := r.At
	if at.IsZero() {
		at = inv.cfg.Now()
	}
	// The record kept with the phone, if it is this inventory's and still
	// in it, needs no lookup, and a routine fetch no inventory lock.
	if r.Phone != nil {
		if d, ok := r.Phone.Memo().(*record); ok && d.inv == inv && inv.observeRoutine(d, r, at) {
			return
		}
	}
	mac, configured := "", false
	if r.PhoneMAC != "" {
		if m, ok := family.NormalizeMAC(r.PhoneMAC); ok {
			mac, configured = m, true
		}
	}
	// A configured phone needs no identification when the request cannot
	// teach anything new (record.routine). That is most requests of a boot
	// storm, recorded with one lookup under one lock.
	if configured {
		inv.mu.Lock()
		if d := inv.devices[mac]; d != nil {
			d.mu.Lock()
			routine := d.routine(r)
			d.mu.Unlock()
			if routine {
				inv.recordLocked(d, r, at, configured, nil)
				inv.memoLocked(r, d)
				inv.mu.Unlock()
				return
			}
		}
		inv.mu.Unlock()
	}
	id := families.Identify(family.Request{Proto: r.Proto, UserAgent: r.UserAgent, Path: r.Path, RemoteIP: r.RemoteIP})
	if mac == "" {
		mac = id.MAC
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if mac == "" {
		// A shared file: the device seen alone at this address, if any,
		// fetched it.
		d := inv.devices[inv.byAddr[r.RemoteIP.Unmap()]]
		if d == nil {
			return
		}
		d.mu.Lock()
		configured := d.Configured
		d.mu.Unlock()
		inv.recordLocked(d, r, at, configured, nil)
		return
	}
	d := inv.devices[mac]
	if d == nil {
		if !configured {
			inv.makeRoomLocked(at)
		}
		d = &record{Device: Device{MAC: mac, FirstSeen: at}, inv: inv}
		inv.devices[mac] = d
		if !configured {
			inv.logNewLocked(mac, r, &id, at)
		}
	} else if !configured && d.requests() == 0 {
		inv.logNewLocked(mac, r, &id, at) // known from its lease only
	}
	inv.recordLocked(d, r, at, configured, &id)
	if configured {
		inv.memoLocked(r, d)
	}
}

// memoLocked keeps d, the record of the configured phone r names, with
// the phone.
func (inv *Inventory) memoLocked(r Request, d *record) {
	if r.Phone == nil || r.Phone.NormalMAC() != d.MAC {
		return
	}
	if m, _ := r.Phone.Memo().(*record); m != d {
		r.Phone.SetMemo(d)
	}
}

// observeRoutine records request r, made at, in d when it is a routine
// fetch of d (see record.routine) from the address d was last seen at,
// holding only d's lock. It reports false, having done nothing, when the
// request needs the inventory's lock.
func (inv *Inventory) observeRoutine(d *record, r Request, at time.Time) bool {
	proto, ok := inv.words.lookup(r.Proto)
	status, ok2 := inv.words.lookup(r.Status)
	if !ok || !ok2 {
		return false
	}
	ip := r.RemoteIP.Unmap()
	d.mu.Lock()
	if d.gone || d.Requests == 0 || !d.Configured || !d.routine(r) || ip.IsValid() && ip != d.lastAddr {
		d.mu.Unlock()
		return false
	}
	d.LastSeen = at
	d.Requests++
	d.add(fetch{at: at.UnixNano(), bytes: r.Bytes, file: cut(r.Path, 256), proto: proto, status: status})
	queue := inv.tracking.Load() && d.queued == queuedNone
	if queue {
		d.queued = queuedSeen
	}
	d.mu.Unlock()
	if queue {
		// Once per SeenInterval per phone. A Collect in between finds d
		// in a later flush; one that forgot d meanwhile skips it.
		inv.mu.Lock()
		inv.seen = append(inv.seen, d)
		inv.mu.Unlock()
	}
	return true
}

// requests returns d's count of requests.
func (d *record) requests() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.Requests
}

// recordLocked records request r, made at, in d; id is the request's
// identification, nil when it was not needed. The inventory's lock is
// held, d's is not.
func (inv *Inventory) recordLocked(d *record, r Request, at time.Time, configured bool, id *family.Device) {
	proto, status := inv.words.id(r.Proto), inv.words.id(r.Status)
	d.mu.Lock()
	defer d.mu.Unlock()
	// changed: more than a routine fetch (which updates LastSeen, the
	// count and the history) — a new device, a move, an identification.
	changed := d.Requests == 0 || d.Configured != configured
	d.Configured = configured
	d.LastSeen = at
	d.Requests++
	if ip := r.RemoteIP.Unmap(); ip.IsValid() && ip != d.lastAddr {
		d.LastIP, d.lastAddr = ip.String(), ip
		inv.noteAddrLocked(ip, d.MAC)
		changed = true
	}
	// Identification by User-Agent is the most precise; a later request
	// that only identifies by path or OUI does not erase it.
	if id != nil && id.Vendor != "" && (id.Source == family.SourceUserAgent || d.Vendor == "") {
		if d.Vendor != id.Vendor || d.ProductLine != id.ProductLine || d.Model != id.Model || d.Firmware != id.Firmware {
			d.Vendor, d.ProductLine, d.Model, d.Firmware = id.Vendor, id.ProductLine, id.Model, id.Firmware
			changed = true
		}
	}
	if ua := cut(r.UserAgent, 256); ua != "" && ua != d.UserAgent {
		d.UserAgent = ua
		changed = true
	}
	d.add(fetch{at: at.UnixNano(), bytes: r.Bytes, file: cut(r.Path, 256), proto: proto, status: status})
	if changed {
		inv.markLocked(d)
	} else {
		inv.markSeenLocked(d)
	}
}

// makeRoomLocked ages out unknown devices and evicts the oldest while there
// are too many.
func (inv *Inventory) makeRoomLocked(now time.Time) {
	type seen struct {
		mac  string
		last time.Time
	}
	var unknown []seen
	for mac, d := range inv.devices {
		d.mu.Lock()
		configured, last := d.Configured, d.LastSeen
		d.mu.Unlock()
		if configured {
			continue
		}
		if now.Sub(last) > inv.cfg.MaxAge {
			inv.forgetLocked(mac)
			continue
		}
		unknown = append(unknown, seen{mac, last})
	}
	if len(unknown) < inv.cfg.MaxUnknown {
		return
	}
	sort.Slice(unknown, func(i, j int) bool { return unknown[i].last.Before(unknown[j].last) })
	for _, u := range unknown[:len(unknown)-inv.cfg.MaxUnknown+1] {
		inv.forgetLocked(u.mac)
	}
}

// Get returns a copy of what is known about mac (in any notation).
func (inv *Inventory) Get(mac string) (Device, bool) {
	m, ok := family.NormalizeMAC(mac)
	if !ok {
		return Device{}, false
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	d := inv.devices[m]
	if d == nil {
		return Device{}, false
	}
	return d.device(&inv.words), true
}

// Vendor returns the vendor and product line identification last gave
// for mac.
func (inv *Inventory) Vendor(mac string) (vendor, productLine string, ok bool) {
	d, ok := inv.Get(mac)
	if !ok || d.Vendor == "" {
		return "", "", false
	}
	return d.Vendor, d.ProductLine, true
}

// All returns a copy of every device, by MAC.
func (inv *Inventory) All() []Device {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	out := make([]Device, 0, len(inv.devices))
	for _, d := range inv.devices {
		out = append(out, d.device(&inv.words))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MAC < out[j].MAC })
	return out
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
