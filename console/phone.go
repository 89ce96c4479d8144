package console

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
)

// previewLimit is how much of a file a preview shows.
const previewLimit = 64 << 10

// phonePage is what the phone template shows.
type phonePage struct {
	MAC        string
	Configured bool
	Profile    string
	Provider   string
	Source     string // where the phone's first line is configured
	Lines      []lineView
	Files      []fileView
	Device     *inventory.Device // nil when never seen
	Fetches    []inventory.Fetch // newest first
	Resync     *resync.PhoneStatus
	ResyncOn   bool   // re-sync is configured
	Endpoint   string // what a NOTIFY goes to, "" when none is known
	Server     string // SERVER in the previews
}

type lineView struct {
	Line     int
	Username string
	Endpoint string
	Tech     string
	Source   string
}

// fileView is one file of a phone: a dynamic route, rendered, or a
// static file of its profile.
type fileView struct {
	URI       string
	Template  string // under DATA-DIR/phoneprov
	MIME      string
	Static    bool
	Shadowed  bool // another route answers this URI
	Size      int64
	Sensitive bool // rendered from a secret
	Volatile  bool // rendered per request (time functions)
	Preview   string
	Truncated bool
	Binary    bool
	Error     string
}

func (c *Console) servePhone(w http.ResponseWriter, r *http.Request) {
	page, ok := c.phone(r.PathValue("mac"))
	if !ok {
		c.fail(w, r, http.StatusNotFound, "No configured phone and no device has MAC "+r.PathValue("mac")+".")
		return
	}
	c.render(w, r, http.StatusOK, "phone", page.MAC, "fleet", page)
}

// findPhone returns the configured phone with mac in any notation.
func (c *Console) findPhone(snap *phoneprov.Snapshot, mac string) *phoneprov.Phone {
	if snap == nil {
		return nil
	}
	if p := snap.Phone(mac); p != nil {
		return p
	}
	key, ok := family.NormalizeMAC(mac)
	if !ok {
		return nil
	}
	idx := c.fleetIndex(snap)
	if i, ok := idx.byKey[key]; ok {
		return idx.rows[i].phone
	}
	return nil
}

// phone gathers what is known of one phone or device.
func (c *Console) phone(mac string) (*phonePage, bool) {
	snap := c.cfg.Snapshot()
	p := c.findPhone(snap, mac)
	dev, seen := c.cfg.Inventory.Get(mac)
	if p == nil && !seen {
		return nil, false
	}
	page := &phonePage{MAC: mac, Server: c.cfg.Server, ResyncOn: c.cfg.Resync != nil}
	if seen {
		page.MAC = dev.MAC
		page.Device = &dev
		page.Fetches = slices.Clone(dev.Files)
		slices.Reverse(page.Fetches)
	}
	if p == nil {
		return page, true
	}
	page.MAC, page.Configured = p.MAC, true
	page.Profile, page.Provider = p.Profile.Name, p.Provider
	page.Endpoint, _ = p.NotifyTarget()
	for _, l := range p.Lines {
		page.Lines = append(page.Lines, lineView{Line: l.Index, Username: l.Username, Endpoint: l.Endpoint, Tech: l.Tech, Source: l.Source.String()})
	}
	if len(p.Lines) > 0 {
		page.Source = p.Lines[0].Source.String()
	}
	if c.cfg.Resync != nil {
		st, _ := c.cfg.Resync.Phone(p.MAC)
		page.Resync = &st
	}
	page.Files = c.files(snap, p)
	return page, true
}

// files renders each of p's files, secrets masked.
func (c *Console) files(snap *phoneprov.Snapshot, p *phoneprov.Phone) []fileView {
	own := newMasker(snap.SecretValues(p), c.siteSecrets())
	var out []fileView
	for _, r := range snap.PhoneRoutes(p) {
		f := fileView{URI: r.URI, Template: r.File.Template, MIME: r.File.MIME, Shadowed: snap.Route(r.URI) != r}
		body, err := snap.Render(r, c.cfg.Server)
		if err != nil {
			f.Error = err.Error()
			out = append(out, f)
			continue
		}
		f.Size, f.Sensitive, f.Volatile = int64(body.Len()), body.Sensitive, body.Volatile
		m := own
		if body.Sensitive {
			// It may list other phones' secrets too.
			m = c.fleetMasker(snap)
		}
		f.preview(m, body.Bytes())
		out = append(out, f)
	}
	for _, sf := range p.Profile.Static {
		f := fileView{URI: sf.Format, Template: sf.Template, MIME: sf.MIME, Static: true}
		r := snap.Route(sf.Format)
		f.Shadowed = r == nil || r.File != sf
		if r != nil {
			c.readStatic(snap, r, own, &f)
		}
		out = append(out, f)
	}
	return out
}

// readStatic fills f with a static file's size and the start of its text.
func (c *Console) readStatic(snap *phoneprov.Snapshot, r *phoneprov.Route, m *masker, f *fileView) {
	path, err := snap.StaticPath(r)
	if err != nil {
		f.Error = describe(err)
		return
	}
	fh, err := os.Open(path)
	if err != nil {
		f.Error = describe(err)
		return
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil {
		f.Size = fi.Size()
	}
	head, err := io.ReadAll(io.LimitReader(fh, previewLimit+256))
	if err != nil {
		f.Error = describe(err)
		return
	}
	f.preview(m, head)
	f.Truncated = f.Truncated || int64(len(head)) < f.Size
}

// preview sets the masked start of body, or marks it binary (a NUL
// byte). Bytes that are not UTF-8 (a Latin-1 file) are shown as U+FFFD.
func (f *fileView) preview(m *masker, body []byte) {
	if bytes.IndexByte(body[:min(len(body), previewLimit)], 0) >= 0 {
		f.Binary = true
		return
	}
	text, truncated := m.mask(body, previewLimit)
	f.Preview, f.Truncated = strings.ToValidUTF8(text, "\uFFFD"), truncated
}

// describe names a file error without the path (already shown).
func describe(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// fleetMasker masks every phone's secret values and the site's, built
// once per snapshot.
func (c *Console) fleetMasker(snap *phoneprov.Snapshot) *masker {
	idx := c.fleetIndex(snap)
	idx.maskerOnce.Do(func() {
		var all []string
		for _, r := range idx.rows {
			all = append(all, snap.SecretValues(r.phone)...)
		}
		idx.masker = newMasker(all, c.siteSecrets())
	})
	return idx.masker
}

// siteSecrets are the secrets of the site (Config.Secrets).
func (c *Console) siteSecrets() []string {
	if c.cfg.Secrets == nil {
		return nil
	}
	return c.cfg.Secrets()
}

// maskText hides secrets in a message shown on a page (a problem of the
// configuration), in case one ever quotes one. Secrets shorter than 4
// bytes are left: they would mask the file and line numbers every message
// starts with.
func (c *Console) maskText(s string) string {
	out, _ := c.fleetMasker(c.cfg.Snapshot()).atLeast(4).mask([]byte(s), -1)
	return out
}

// postResync re-syncs one phone: the button of its page.
func (c *Console) postResync(w http.ResponseWriter, r *http.Request) {
	if !c.checkForm(w, r) {
		return
	}
	if c.cfg.Resync == nil {
		c.fail(w, r, http.StatusNotFound, "Re-sync is off: it needs [ami] in phoneprovd.conf.")
		return
	}
	p := c.findPhone(c.cfg.Snapshot(), r.PathValue("mac"))
	if p == nil {
		c.fail(w, r, http.StatusNotFound, "No configured phone has MAC "+r.PathValue("mac")+".")
		return
	}
	res, err := c.cfg.Resync.Request([]string{p.MAC})
	if err != nil {
		c.fail(w, r, http.StatusServiceUnavailable, "The re-sync could not be saved: "+err.Error())
		return
	}
	c.log.Info("re-sync requested from the console", "mac", p.MAC, "remote", r.RemoteAddr)
	key := "queued"
	switch {
	case len(res.Unknown) > 0:
		key = "unknown"
	case len(res.Skipped) > 0:
		key = "skipped"
	}
	done(w, r, phoneHref(p.MAC), key, 0)
}

// checkForm parses a posted form and refuses it unless it comes from the
// console's own page in this browser session.
func (c *Console) checkForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	if err := c.csrf.check(r); err != nil {
		c.log.Warn("console: a form was refused", "path", r.URL.Path, "remote", r.RemoteAddr, "why", err)
		c.fail(w, r, http.StatusForbidden, err.Error())
		return false
	}
	return true
}
