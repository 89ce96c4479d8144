package console

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
)

// The fleet page lists every configured phone and every unknown device
// that asked, by MAC, a page at a time. What depends on the configuration
// only — the phones in MAC order, the index to join devices to them — is
// built once per snapshot (fleetIndex); a request joins the inventory's
// devices to it with a map lookup each, sorts only the unknown devices,
// and filters, counts and pages in one pass.

// fleetIndex is what the fleet page keeps of one snapshot.
type fleetIndex struct {
	snap  *phoneprov.Snapshot
	rows  []indexRow     // configured phones, by key
	byKey map[string]int // key → index in rows

	maskerOnce sync.Once
	masker     *masker // of every phone's secrets (fleetMasker)
}

// indexRow is one configured phone.
type indexRow struct {
	key    string // the normalised MAC, or the MAC as configured when it does not normalise
	phone  *phoneprov.Phone
	search string // usernames and endpoints, lower-case, for the search box
}

// Forget lets go of what the console keeps of the snapshot it last
// showed: call it when another snapshot is swapped in, so that the
// previous one is not kept alive until the console is next opened.
func (c *Console) Forget() { c.index.Store(nil) }

// fleetIndex returns the index of snap, building it when snap is new.
func (c *Console) fleetIndex(snap *phoneprov.Snapshot) *fleetIndex {
	if idx := c.index.Load(); idx != nil && idx.snap == snap {
		return idx
	}
	c.indexMu.Lock()
	defer c.indexMu.Unlock()
	if idx := c.index.Load(); idx != nil && idx.snap == snap {
		return idx
	}
	idx := &fleetIndex{snap: snap, byKey: make(map[string]int)}
	if snap != nil {
		phones := snap.Phones()
		idx.rows = make([]indexRow, 0, len(phones))
		for _, p := range phones {
			key, ok := family.NormalizeMAC(p.MAC)
			if !ok {
				key = p.MAC
			}
			var b strings.Builder
			for _, l := range p.Lines {
				b.WriteString(strings.ToLower(l.Username))
				b.WriteByte(' ')
				b.WriteString(strings.ToLower(l.Endpoint))
				b.WriteByte(' ')
			}
			idx.rows = append(idx.rows, indexRow{key: key, phone: p, search: b.String()})
		}
		slices.SortFunc(idx.rows, func(a, b indexRow) int { return strings.Compare(a.key, b.key) })
		for i, r := range idx.rows {
			if _, dup := idx.byKey[r.key]; !dup {
				idx.byKey[r.key] = i
			}
		}
	}
	c.index.Store(idx)
	return idx
}

// fleetQuery is the fleet page's filters and page, from its URL.
type fleetQuery struct {
	Vendor   string // "-" selects devices with none
	Model    string
	Firmware string
	State    string // a re-sync state
	Show     string // configured, unseen, seen, unknown; "" for all
	Search   string
	Page     int // from 1
}

// none is the filter value of an empty field (a device not identified).
const none = "-"

func parseFleetQuery(v url.Values) fleetQuery {
	q := fleetQuery{
		Vendor: v.Get("vendor"), Model: v.Get("model"), Firmware: v.Get("firmware"),
		State: v.Get("state"), Show: v.Get("show"), Search: strings.TrimSpace(v.Get("q")),
	}
	switch q.Show {
	case "", "configured", "unseen", "seen", "unknown":
	default:
		q.Show = ""
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = min(max(q.Page, 1), 1<<30) // no offset overflows
	return q
}

// values is q as URL parameters, without the page.
func (q fleetQuery) values() url.Values {
	v := url.Values{}
	for _, kv := range [...][2]string{{"vendor", q.Vendor}, {"model", q.Model}, {"firmware", q.Firmware}, {"state", q.State}, {"show", q.Show}, {"q", q.Search}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

// href is the fleet page's URL for q.
func (q fleetQuery) href() string {
	v := q.values()
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// Filtered reports whether any filter is set.
func (q fleetQuery) Filtered() bool { return len(q.values()) > 0 }

// fleetItem is one phone or device in a request.
type fleetItem struct {
	row *indexRow         // nil for an unknown device
	dev *inventory.Device // nil for a phone never seen
}

func (it fleetItem) mac() string {
	if it.row != nil {
		return it.row.phone.MAC
	}
	return it.dev.MAC
}

func (it fleetItem) field(get func(*inventory.Device) string) string {
	if it.dev == nil {
		return ""
	}
	return get(it.dev)
}

func vendorOf(d *inventory.Device) string   { return d.Vendor }
func modelOf(d *inventory.Device) string    { return d.Model }
func firmwareOf(d *inventory.Device) string { return d.Firmware }

// fleetPage is what the fleet template shows.
type fleetPage struct {
	Query  fleetQuery
	Rows   []fleetRow
	Total  int // matching the filters
	First  int // the first row's number, from 1
	Last   int
	Page   int
	Pages  int
	Prev   string // URLs, "" when none
	Next   string
	Counts fleetCounts
	// Charts count the phones matching the filters.
	Models    []bar
	Firmwares []bar
	// Options are the values of the whole fleet, for the filters.
	Vendors      []option
	ModelOpts    []option
	FirmwareOpts []option
	States       []option
	Resync       *resync.Status
	Generation   uint64
	Took         time.Duration
}

// fleetCounts are the whole fleet's.
type fleetCounts struct {
	Configured, Seen, Unseen, Unknown int
}

// fleetRow is one line of the table.
type fleetRow struct {
	MAC        string
	Configured bool
	Seen       bool
	Vendor     string
	Model      string
	Firmware   string
	Profile    string
	Line       string // the first line's user name
	MoreLines  int
	LastIP     string
	LastSeen   time.Time
	Resync     string
}

// bar is one bar of a chart: a value, how many have it, and the fleet
// page filtered on it.
type bar struct {
	Label   string
	Count   int
	Percent int // of the largest bar
	Href    string
}

// option is one choice of a filter.
type option struct {
	Value    string
	Label    string
	Count    int
	Selected bool
}

// maxBars is how many bars a chart shows; the rest are summed in one.
const maxBars = 12

func (c *Console) serveFleet(w http.ResponseWriter, r *http.Request) {
	q := parseFleetQuery(r.URL.Query())
	page := c.fleet(q)
	if page.Page != q.Page {
		// Past the last page (the fleet shrank, or a hand-made URL).
		q.Page = page.Page
		http.Redirect(w, r, q.href(), http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "fleet", "Fleet", "fleet", page)
}

// fleet computes the fleet page for q.
func (c *Console) fleet(q fleetQuery) *fleetPage {
	start := time.Now()
	snap := c.cfg.Snapshot()
	idx := c.fleetIndex(snap)
	devs := c.cfg.Inventory.Devices()
	attached := make([]*inventory.Device, len(idx.rows))
	var unknown []*inventory.Device
	for i := range devs {
		if j, ok := idx.byKey[devs[i].MAC]; ok {
			attached[j] = &devs[i]
		} else {
			unknown = append(unknown, &devs[i])
		}
	}
	slices.SortFunc(unknown, func(a, b *inventory.Device) int { return strings.Compare(a.MAC, b.MAC) })

	p := &fleetPage{Query: q}
	if snap != nil {
		p.Generation = snap.Generation()
	}
	if c.cfg.Resync != nil {
		st := c.cfg.Resync.Status()
		p.Resync = &st
	}
	state := func(it fleetItem) string {
		if it.row == nil || c.cfg.Resync == nil {
			return ""
		}
		st, _ := c.cfg.Resync.Phone(it.row.phone.MAC)
		return st.State
	}
	search := strings.ToLower(q.Search)
	searchMAC, _ := family.NormalizeMAC(q.Search)
	if searchMAC == "" && isHex(search) {
		searchMAC = search
	}
	vendors, models, firmwares := map[string]int{}, map[string]int{}, map[string]int{}
	chartModels, chartFirmwares := map[string]int{}, map[string]int{}
	offset := (q.Page - 1) * c.cfg.PageSize
	var rows []fleetItem

	visit := func(it fleetItem) {
		vendor, model, fw := it.field(vendorOf), it.field(modelOf), it.field(firmwareOf)
		switch {
		case it.row == nil:
			p.Counts.Unknown++
		case it.dev == nil:
			p.Counts.Configured++
			p.Counts.Unseen++
		default:
			p.Counts.Configured++
			p.Counts.Seen++
		}
		vendors[vendor]++
		models[model]++
		firmwares[fw]++
		if !q.matchFields(vendor, model, fw) || !q.matchShow(it) || (q.Search != "" && !matchSearch(it, search, searchMAC)) ||
			(q.State != "" && state(it) != q.State) {
			return
		}
		p.Total++
		chartModels[model]++
		chartFirmwares[fw]++
		if p.Total > offset && len(rows) < c.cfg.PageSize {
			rows = append(rows, it)
		}
	}
	// The configured phones and the unknown devices, merged by MAC.
	i, j := 0, 0
	for i < len(idx.rows) || j < len(unknown) {
		if j == len(unknown) || (i < len(idx.rows) && idx.rows[i].key <= unknown[j].MAC) {
			visit(fleetItem{row: &idx.rows[i], dev: attached[i]})
			i++
		} else {
			visit(fleetItem{dev: unknown[j]})
			j++
		}
	}

	p.Rows = make([]fleetRow, len(rows))
	for k, it := range rows {
		p.Rows[k] = c.fleetRow(it, state(it))
	}
	p.Pages = max(1, (p.Total+c.cfg.PageSize-1)/c.cfg.PageSize)
	p.Page = min(q.Page, p.Pages)
	if len(rows) > 0 {
		p.First, p.Last = offset+1, offset+len(rows)
	}
	if p.Page > 1 {
		prev := q
		prev.Page = p.Page - 1
		p.Prev = prev.href()
	}
	if p.Page < p.Pages {
		next := q
		next.Page = p.Page + 1
		p.Next = next.href()
	}
	p.Models = bars(chartModels, func(v string) string { f := q; f.Model, f.Page = orNone(v), 1; return f.href() })
	p.Firmwares = bars(chartFirmwares, func(v string) string { f := q; f.Firmware, f.Page = orNone(v), 1; return f.href() })
	p.Vendors = options(vendors, q.Vendor)
	p.ModelOpts = options(models, q.Model)
	p.FirmwareOpts = options(firmwares, q.Firmware)
	if p.Resync != nil {
		// Phones never re-synced are not tracked: in-sync are the rest.
		tracked := 0
		for _, n := range p.Resync.Phones {
			tracked += n
		}
		p.Resync.Phones[resync.InSync] = max(0, p.Counts.Configured-tracked+p.Resync.Phones[resync.InSync])
		for _, s := range []string{resync.InSync, resync.Pending, resync.Notified, resync.Confirmed, resync.TimedOut, resync.Failed} {
			p.States = append(p.States, option{Value: s, Label: s, Count: p.Resync.Phones[s], Selected: s == q.State})
		}
	}
	p.Took = time.Since(start)
	return p
}

// fleetRow makes the table line of it.
func (c *Console) fleetRow(it fleetItem, state string) fleetRow {
	r := fleetRow{MAC: it.mac(), Configured: it.row != nil, Seen: it.dev != nil, Resync: state}
	if it.row != nil {
		p := it.row.phone
		r.Profile = p.Profile.Name
		if len(p.Lines) > 0 {
			r.Line, r.MoreLines = p.Lines[0].Username, len(p.Lines)-1
		}
	}
	if d := it.dev; d != nil {
		r.Vendor, r.Model, r.Firmware, r.LastIP, r.LastSeen = d.Vendor, d.Model, d.Firmware, d.LastIP, d.LastSeen
	}
	return r
}

// matchFields applies the vendor, model and firmware filters: exact,
// ignoring case; none selects an empty field.
func (q fleetQuery) matchFields(vendor, model, fw string) bool {
	return matchValue(q.Vendor, vendor) && matchValue(q.Model, model) && matchValue(q.Firmware, fw)
}

func matchValue(want, got string) bool {
	switch want {
	case "":
		return true
	case none:
		return got == ""
	}
	return strings.EqualFold(want, got)
}

func (q fleetQuery) matchShow(it fleetItem) bool {
	switch q.Show {
	case "configured":
		return it.row != nil
	case "unseen":
		return it.row != nil && it.dev == nil
	case "seen":
		return it.dev != nil
	case "unknown":
		return it.row == nil
	}
	return true
}

// matchSearch finds text in a phone's MAC (in any notation), user names,
// endpoints, profile and last address.
func matchSearch(it fleetItem, text, mac string) bool {
	if mac != "" && (it.row != nil && strings.Contains(it.row.key, mac) || it.dev != nil && strings.Contains(it.dev.MAC, mac)) {
		return true
	}
	if it.row != nil && (strings.Contains(it.row.search, text) || strings.Contains(strings.ToLower(it.row.phone.Profile.Name), text)) {
		return true
	}
	return it.dev != nil && strings.Contains(it.dev.LastIP, text)
}

func isHex(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

func orNone(v string) string {
	if v == "" {
		return none
	}
	return v
}

// unnamed labels an empty value.
const unnamed = "not identified"

// bars makes a chart of counts, largest first, at most maxBars bars (the
// rest summed in a last one without a link).
func bars(counts map[string]int, href func(string) string) []bar {
	keys := sortedKeys(counts, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var out []bar
	others, otherValues := 0, 0
	for i, k := range keys {
		if i >= maxBars-1 && len(keys) > maxBars {
			others += counts[k]
			otherValues++
			continue
		}
		label := k
		if k == "" {
			label = unnamed
		}
		out = append(out, bar{Label: label, Count: counts[k], Href: href(k)})
	}
	if otherValues > 0 {
		out = append(out, bar{Label: plural(otherValues, "other", "others"), Count: others})
	}
	top := 0
	for _, b := range out {
		top = max(top, b.Count)
	}
	for i := range out {
		out[i].Percent = percent(out[i].Count, top)
	}
	return out
}

// options lists the values of a filter, in order, the selected one marked.
func options(counts map[string]int, selected string) []option {
	keys := sortedKeys(counts, strings.Compare)
	out := make([]option, 0, len(keys))
	for _, k := range keys {
		o := option{Value: k, Label: k, Count: counts[k]}
		if k == "" {
			o.Value, o.Label = none, unnamed
		}
		o.Selected = selected != "" && matchValue(selected, k)
		out = append(out, o)
	}
	return out
}

func sortedKeys(m map[string]int, compare func(a, b string) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare)
	return keys
}
