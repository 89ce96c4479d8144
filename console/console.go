package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// Config says where the console reads what it shows. Snapshot and
// Inventory are required; every other part may be nil, which hides its
// page or section.
type Config struct {
	// Version is phoneprovd's, shown in the footer.
	Version string
	// Snapshot returns the configuration being served (nil before the
	// first one is loaded).
	Snapshot  func() *phoneprov.Snapshot
	Inventory Inventory
	// Reload reports the reload manager's status.
	Reload   func() reload.Status
	Resync   Resync
	Security Security
	Firmware Firmware
	DHCP     DHCP
	// Secrets returns the secrets of the site that file previews must
	// mask besides each phone's own: the site's provisioning password,
	// the AMI and ARI secrets.
	Secrets func() []string
	// Server is the address previews are rendered for (SERVER), as a
	// phone reaching the phone-facing listener would see it.
	Server string
	// Access describes how the admin listener is protected, for the
	// security page ("loopback only, no credentials", …).
	Access string
	// PageSize is the number of phones per fleet page (default 100).
	PageSize int
	Now      func() time.Time
	Logger   *slog.Logger
}

// Console is the console's http.Handler, to be served at the admin
// listener's root.
type Console struct {
	cfg   Config
	mux   *http.ServeMux
	pages map[string]*template.Template
	csrf  *csrf
	log   *slog.Logger
	now   func() time.Time
	// assetVersion names the assets' content in their URLs, so that
	// browsers may keep them.
	assetVersion string
	assets       fs.FS

	indexMu sync.Mutex
	index   atomic.Pointer[fleetIndex]

	buffers sync.Pool
}

// New returns the console for cfg.
func New(cfg Config) (*Console, error) {
	if cfg.Snapshot == nil || cfg.Inventory == nil {
		return nil, errors.New("console: Snapshot and Inventory are required")
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	c := &Console{cfg: cfg, csrf: newCSRF(), now: cfg.Now, log: cfg.Logger}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	assets, err := fs.Sub(assetFiles, "assets")
	if err != nil {
		return nil, err
	}
	c.assets = assets
	h := sha256.New()
	for _, name := range []string{"style.css", "console.js", "favicon.svg"} {
		b, err := fs.ReadFile(assets, name)
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		h.Write(b)
	}
	c.assetVersion = hex.EncodeToString(h.Sum(nil))[:12]
	if c.pages, err = parsePages(c.funcs()); err != nil {
		return nil, err
	}

	c.mux = http.NewServeMux()
	c.mux.HandleFunc("GET /{$}", c.serveFleet)
	c.mux.HandleFunc("GET /phones/{mac}", c.servePhone)
	c.mux.HandleFunc("POST /phones/{mac}/resync", c.postResync)
	c.mux.HandleFunc("GET /config", c.serveConfig)
	c.mux.HandleFunc("GET /security", c.serveSecurity)
	c.mux.HandleFunc("POST /security/unban", c.postUnban)
	c.mux.HandleFunc("GET /firmware", c.serveFirmware)
	c.mux.HandleFunc("POST /firmware/{id}/{action}", c.postRollout)
	c.mux.HandleFunc("GET /dhcp", c.serveDHCP)
	c.mux.HandleFunc("GET /assets/{name}", c.serveAsset)
	c.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, http.StatusNotFound, "There is no such page.")
	})
	return c, nil
}

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Nothing is loaded from elsewhere, nothing runs inline, no other
	// site may frame a page (and click its buttons).
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	c.mux.ServeHTTP(w, r)
}

// serveAsset serves the stylesheet and the script; they may be kept for
// a day, since their URLs change with their content.
func (c *Console) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, err := fs.ReadFile(c.assets, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(b)
}

// parsePages parses each page template with the layout it fills.
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template)
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		pages[base[:len(base)-len(".html")]] = t
	}
	return pages, nil
}

// frame is what every page shows around its own part.
type frame struct {
	Title   string
	Nav     string // the navigation entry to highlight
	Version string
	Has     features
	Alerts  []alert
	Token   string // the form token of the browser's session
	Asset   string // the assets' version
	Flash   string // what the last action did
	Now     time.Time
	Page    any
}

type features struct {
	Resync, Security, Firmware, DHCP bool
}

// alert is a problem shown on every page, with where to read more.
type alert struct {
	Text string
	Link string
}

// render writes page name with data, or an error page when it fails.
func (c *Console) render(w http.ResponseWriter, r *http.Request, code int, name, title, nav string, data any) {
	f := frame{
		Title: title, Nav: nav, Version: c.cfg.Version, Asset: c.assetVersion, Now: c.now(), Page: data,
		Has:    features{Resync: c.cfg.Resync != nil, Security: c.cfg.Security != nil, Firmware: c.cfg.Firmware != nil, DHCP: c.cfg.DHCP != nil},
		Alerts: c.alerts(),
		Token:  c.csrf.token(c.csrf.session(w, r)),
		Flash:  flashText(r),
	}
	buf, _ := c.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	defer c.buffers.Put(buf)
	if err := c.pages[name].ExecuteTemplate(buf, "layout", f); err != nil {
		c.log.Error("console: rendering a page", "page", name, "error", err)
		plain(w, http.StatusInternalServerError, "phoneprovd: the page could not be rendered (see the log)\n")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// fail shows an error page.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	c.render(w, r, code, "error", http.StatusText(code), "", struct {
		Code    int
		Status  string
		Message string
	}{code, http.StatusText(code), msg})
}

// alerts are the problems every page mentions: a refused edit, the last
// good configuration served, Asterisk unreachable, secrets exposed.
func (c *Console) alerts() []alert {
	var out []alert
	if c.cfg.Reload != nil {
		st := c.cfg.Reload()
		if st.ServingLastGood != nil {
			out = append(out, alert{"The configuration files are broken: phoneprovd serves the last good configuration.", "/config"})
		}
		if st.NoLastGood != "" {
			out = append(out, alert{st.NoLastGood, "/config"})
		}
		if st.LastError != nil {
			out = append(out, alert{"The last edit was refused: " + c.maskText(st.LastError.Message), "/config#refused"})
		}
	}
	if c.cfg.Snapshot() == nil {
		out = append(out, alert{"No configuration is loaded yet.", "/config"})
	}
	if c.cfg.Resync != nil && !c.cfg.Resync.Status().Connected {
		out = append(out, alert{"Asterisk is not connected: re-syncs wait until it is.", ""})
	}
	if c.cfg.Security != nil {
		for _, why := range c.cfg.Security.Status().Exposure {
			out = append(out, alert{"SIP secrets are open to the world: " + why, "/security"})
		}
	}
	return out
}
