package dhcp

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
)

// Paths the Handler serves.
const (
	// LeasesPath takes {"events": [Event, ...]} from the hook command.
	LeasesPath = "/dhcp/leases"
	// DHCPInfoPath is provd's endpoint for Wazo's relays; ProvdDHCPInfoPath
	// the same under provd's REST prefix.
	DHCPInfoPath      = "/dev_mgr/dhcpinfo"
	ProvdDHCPInfoPath = "/provd/dev_mgr/dhcpinfo"
)

// Batch is the body of POST /dhcp/leases.
type Batch struct {
	Events []Event `json:"events"`
}

// Result answers POST /dhcp/leases: how many events were recorded, and
// how many were left out because they are not about a phone.
type Result struct {
	Recorded int    `json:"recorded"`
	Ignored  int    `json:"ignored"`
	Error    string `json:"error,omitempty"`
}

// HandlerConfig configures a Handler.
type HandlerConfig struct {
	// Families identify the leases (family/families.List()).
	Families []family.Family
	// Record receives every valid event with its identity, and says
	// whether it was recorded (false: not a phone, left out).
	Record func(e Event, id Identity) bool
	// RequireToken makes every request present Token, as
	// "Authorization: Bearer TOKEN" or provd's "X-Auth-Token: TOKEN": set
	// when the admin listener is reachable from other hosts. With
	// RequireToken and no Token every event is refused.
	RequireToken bool
	Token        string
	Logger       *slog.Logger
	Now          func() time.Time
}

// Handler receives lease events on the admin listener.
type Handler struct {
	cfg HandlerConfig
	log *slog.Logger

	mu         sync.Mutex
	st         Status
	lastRefuse time.Time
}

// Status is the "dhcp" part of /status.
type Status struct {
	// Auth is "not required" (loopback admin listener), "token" or
	// "refused" (the listener is not loopback and no token is set).
	Auth         string    `json:"auth"`
	Events       uint64    `json:"events"`
	Recorded     uint64    `json:"recorded"`
	Ignored      uint64    `json:"ignored_not_phones"`
	Invalid      uint64    `json:"invalid"`
	Unauthorized uint64    `json:"unauthorized"`
	LastEvent    time.Time `json:"last_event,omitzero"`
	LastSource   string    `json:"last_source,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
}

// NewHandler returns a Handler.
func NewHandler(cfg HandlerConfig) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{cfg: cfg, log: log}
	h.SetToken(cfg.Token)
	return h
}

// SetToken changes the token events must present ([dhcp] token edited);
// "" refuses every event when a token is required.
func (h *Handler) SetToken(token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cfg.Token = token
	switch {
	case !h.cfg.RequireToken:
		h.st.Auth = "not required"
	case token == "":
		h.st.Auth = "refused"
	default:
		h.st.Auth = "token"
	}
}

// Register adds the Handler's endpoints to mux.
func (h *Handler) Register(mux interface {
	Handle(pattern string, handler http.Handler)
}) {
	mux.Handle("POST "+LeasesPath, http.HandlerFunc(h.serveLeases))
	mux.Handle("POST "+DHCPInfoPath, http.HandlerFunc(h.serveDHCPInfo))
	mux.Handle("POST "+ProvdDHCPInfoPath, http.HandlerFunc(h.serveDHCPInfo))
}

// Status returns the counters.
func (h *Handler) Status() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.st
}

// authorized checks the token; on refusal it has answered.
func (h *Handler) authorized(w http.ResponseWriter, r *http.Request) bool {
	if !h.cfg.RequireToken {
		return true
	}
	h.mu.Lock()
	token := h.cfg.Token
	h.mu.Unlock()
	if token != "" {
		got := r.Header.Get("X-Auth-Token")
		if a := r.Header.Get("Authorization"); got == "" && len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
			got = strings.TrimSpace(a[7:])
		}
		if got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1 {
			return true
		}
	}
	h.mu.Lock()
	h.st.Unauthorized++
	now := h.cfg.Now()
	logIt := now.Sub(h.lastRefuse) >= time.Minute
	if logIt {
		h.lastRefuse = now
	}
	h.mu.Unlock()
	if token == "" {
		if logIt {
			h.log.Warn("a DHCP lease event was refused: the admin listener is not loopback and [dhcp] token is not set", "remote", r.RemoteAddr)
		}
		writeJSON(w, http.StatusForbidden, Result{Error: "lease events are refused: the admin listener is not loopback and phoneprovd.conf [dhcp] token is not set"})
		return false
	}
	if logIt {
		h.log.Warn("a DHCP lease event was refused: missing or wrong token", "remote", r.RemoteAddr)
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="phoneprovd"`)
	writeJSON(w, http.StatusUnauthorized, Result{Error: "missing or wrong token ([dhcp] token)"})
	return false
}

// serveLeases takes the hook command's events.
func (h *Handler) serveLeases(w http.ResponseWriter, r *http.Request) {
	if !h.authorized(w, r) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		h.invalid(w, fmt.Errorf("body: %w", err))
		return
	}
	var b Batch
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		h.invalid(w, fmt.Errorf(`body must be {"events": [...]}: %w`, err))
		return
	}
	if len(b.Events) > MaxEvents {
		h.invalid(w, fmt.Errorf("%d events: at most %d at once", len(b.Events), MaxEvents))
		return
	}
	for i := range b.Events {
		if err := b.Events[i].Validate(); err != nil {
			h.invalid(w, fmt.Errorf("events[%d]: %w", i, err))
			return
		}
	}
	var res Result
	for _, e := range b.Events {
		if h.record(e) {
			res.Recorded++
		} else {
			res.Ignored++
		}
	}
	writeJSON(w, http.StatusOK, res)
}

// serveDHCPInfo takes provd's body, and answers as provd does: 204, or 400
// with the reason.
func (h *Handler) serveDHCPInfo(w http.ResponseWriter, r *http.Request) {
	if !h.authorized(w, r) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		h.invalid(w, fmt.Errorf("body: %w", err))
		return
	}
	e, err := ParseDHCPInfo(body)
	switch {
	case errors.Is(err, ErrIgnored):
		w.WriteHeader(http.StatusNoContent)
		return
	case err != nil:
		h.invalid(w, err)
		return
	}
	h.record(e)
	w.WriteHeader(http.StatusNoContent)
}

// record identifies e and passes it on.
func (h *Handler) record(e Event) bool {
	vc := ""
	if e.VendorClass != nil {
		vc = *e.VendorClass
	}
	id := Identify(h.cfg.Families, e.MAC, vc)
	ok := h.cfg.Record != nil && h.cfg.Record(e, id)
	h.mu.Lock()
	h.st.Events++
	if ok {
		h.st.Recorded++
	} else {
		h.st.Ignored++
	}
	h.st.LastEvent, h.st.LastSource = h.cfg.Now().UTC(), e.Source
	h.mu.Unlock()
	h.log.Debug("DHCP lease event", "source", e.Source, "action", e.Action, "mac", e.MAC, "ip", e.IP,
		"vendor_class", Printable(vc), "vendor", id.Vendor, "model", id.Model, "firmware", id.Firmware, "recorded", ok)
	return ok
}

func (h *Handler) invalid(w http.ResponseWriter, err error) {
	h.mu.Lock()
	h.st.Invalid++
	h.st.LastError = err.Error()
	h.mu.Unlock()
	h.log.Debug("an invalid DHCP lease event was refused", "error", err)
	writeJSON(w, http.StatusBadRequest, Result{Error: err.Error()})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
