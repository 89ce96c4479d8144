// Package httpserver serves phoneprovd's routes to phones over HTTP, with
// the responses Asterisk's res_phoneprov gives
// (docs/asterisk.md#serving-over-http).
package httpserver

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Config configures a Handler.
type Config struct {
	// Prefix is http.conf's prefix: routes live under /<Prefix>/phoneprov/.
	Prefix string
	// ServerName is sent as the Server header and in error pages, as
	// http.conf servername is; empty leaves both out.
	ServerName string
	// MissingStatic404 answers 404 instead of Asterisk's 500 when a static
	// file is missing.
	MissingStatic404 bool
	// OnServe, when set, is called after each request that reached
	// /phoneprov with what was served.
	OnServe func(Served)
	Logger  *slog.Logger
	// Guard, when set, decides who may fetch what (package security);
	// nil serves everyone, as Asterisk does.
	Guard Guard
}

// Guard is asked, at three points of a request, whether to serve it. Each
// method returns nil to let the request through, or the refusal to answer
// instead. Package security implements it.
type Guard interface {
	// Admit is asked first, for every request.
	Admit(r *http.Request) *Refusal
	// Unmatched is asked when no route matches uri.
	Unmatched(r *http.Request, snap *phoneprov.Snapshot, uri string) *Refusal
	// Authorize is asked before a route of snap is served: for a dynamic
	// route once it is rendered (body is what would be sent), for a static
	// one before its file is opened (body is nil).
	Authorize(r *http.Request, snap *phoneprov.Snapshot, route *phoneprov.Route, body *phoneprov.Rendered) *Refusal
}

// Refusal is a Guard's answer to a request it does not let through: an
// Asterisk-style error page with Status, and Header added to the response
// (WWW-Authenticate for 401).
type Refusal struct {
	Status int
	Header http.Header
}

// Served describes one answered request.
type Served struct {
	Request *http.Request
	URI     string           // decoded route URI
	Route   *phoneprov.Route // nil when none matched
	Status  int
	Bytes   int64
	Body    *phoneprov.Rendered // for dynamic routes
	At      time.Time           // when the request started
	Took    time.Duration       // from the start of the request to the response
}

// Handler serves /phoneprov/<uri>.
type Handler struct {
	src phoneprov.SnapshotSource
	cfg Config
	log *slog.Logger
	// Header values every response carries, built once: net/http only
	// reads them, and a boot storm need not allocate them per request.
	serverHeader, cacheControl []string
	values                     headerValues
	// bufs are the buffers a body kept in pieces is put together in: one
	// Write costs a response less than a Write per piece.
	bufs sync.Pool
}

// maxJoinedWrite is the largest body in pieces put together before it is
// written; larger ones (phone books) are written piece by piece.
const maxJoinedWrite = 64 << 10

// writeBody writes a rendered body in one Write when it is not too large.
func (h *Handler) writeBody(w io.Writer, body *phoneprov.Rendered) (int64, error) {
	if body.Flat() != nil || body.Len() > maxJoinedWrite {
		return body.WriteTo(w)
	}
	bp, _ := h.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := body.AppendTo((*bp)[:0])
	n, err := w.Write(b)
	*bp = b[:0]
	h.bufs.Put(bp)
	return int64(n), err
}

// NewHandler returns a Handler serving src.
func NewHandler(src phoneprov.SnapshotSource, cfg Config) *Handler {
	h := &Handler{src: src, cfg: cfg, log: cfg.Logger, cacheControl: []string{"no-cache, no-store"}}
	if cfg.ServerName != "" {
		h.serverHeader = []string{cfg.ServerName}
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h
}

// Messages of Asterisk's error pages.
const (
	textNotImplemented = "Attempt to use unimplemented / unsupported method"
	textInternal       = "An internal error has occured."
	textNoHandler      = "The requested URL was not found on this server."
)

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g := h.cfg.Guard; g != nil {
		if rf := g.Admit(r); rf != nil {
			h.refuse(w, rf)
			return
		}
	}
	uri, ok := h.routePath(r.RequestURI)
	if !ok {
		h.error(w, http.StatusNotFound, "Not Found", textNoHandler)
		return
	}
	served := Served{Request: r, URI: uri, At: time.Now()}
	defer func() {
		if h.cfg.OnServe != nil {
			served.Took = time.Since(served.At)
			h.cfg.OnServe(served)
		}
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		served.Status = h.error(w, http.StatusNotImplemented, "Not Implemented", textNotImplemented)
		return
	}
	snap := h.src.Snapshot()
	if snap == nil {
		served.Status = h.error(w, http.StatusServiceUnavailable, "Service Unavailable", "No configuration is loaded yet.")
		return
	}
	route := snap.Route(uri)
	if route == nil {
		if g := h.cfg.Guard; g != nil {
			if rf := g.Unmatched(r, snap, uri); rf != nil {
				served.Status = h.refuse(w, rf)
				return
			}
		}
		// A plugin may serve a phone that waits to be identified, or an
		// unknown phone of its family (autoprov).
		route, body, err := snap.Unrouted(uri, r.UserAgent(), reached(r))
		switch {
		case err != nil:
			h.log.Warn("cannot render a plugin's file", "uri", uri, "error", err)
			served.Status = h.error(w, http.StatusInternalServerError, "Internal Error", textInternal)
		case route == nil:
			served.Status = h.error(w, http.StatusNotFound, "Not Found", uri)
		default:
			served.Route = route
			h.serveBody(w, r, snap, route, body, &served)
		}
		return
	}
	served.Route = route
	if route.Static() {
		if g := h.cfg.Guard; g != nil {
			if rf := g.Authorize(r, snap, route, nil); rf != nil {
				served.Status = h.refuse(w, rf)
				return
			}
		}
		served.Status, served.Bytes = h.serveStatic(w, r, snap, route)
		return
	}
	body, err := snap.RenderReached(route, reached(r))
	if err != nil {
		h.log.Warn("cannot render template", "route", route.URI, "template", route.File.Template, "error", err)
		served.Status = h.error(w, http.StatusInternalServerError, "Internal Error", textInternal)
		return
	}
	h.serveBody(w, r, snap, route, body, &served)
}

// serveBody sends a rendered body, once the guard lets it through.
func (h *Handler) serveBody(w http.ResponseWriter, r *http.Request, snap *phoneprov.Snapshot, route *phoneprov.Route, body *phoneprov.Rendered, served *Served) {
	if g := h.cfg.Guard; g != nil {
		if rf := g.Authorize(r, snap, route, body); rf != nil {
			served.Status = h.refuse(w, rf)
			return
		}
	}
	served.Body = body
	h.header(w, route.File.MIME, int64(body.Len()))
	w.WriteHeader(http.StatusOK)
	served.Status = http.StatusOK
	if r.Method != http.MethodHead {
		served.Bytes, _ = h.writeBody(w, body)
	}
}

// routePath finds the route URI in a request target as Asterisk's
// handle_uri does: the query is cut off, the prefix and "phoneprov" are
// matched case-insensitively, and the rest is URL-decoded. ok is false when
// the target is not under /phoneprov.
func (h *Handler) routePath(target string) (string, bool) {
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if h.cfg.Prefix != "" {
		p := "/" + strings.Trim(h.cfg.Prefix, "/")
		if len(target) < len(p) || !strings.EqualFold(target[:len(p)], p) {
			return "", false
		}
		target = target[len(p):]
	}
	if !strings.HasPrefix(target, "/") {
		return "", false
	}
	rest := target[1:]
	const name = "phoneprov"
	if len(rest) < len(name) || !strings.EqualFold(rest[:len(name)], name) {
		return "", false
	}
	rest = rest[len(name):]
	switch {
	case rest == "":
	case rest[0] == '/':
		rest = rest[1:]
	default:
		return "", false
	}
	return uriDecode(rest), true
}

// serveStatic sends a static file, as Asterisk does, binary-safe: a small
// one from the copy the snapshot keeps, in one write; a large one
// (firmware) streamed from disk. Unlike Asterisk it says what the file is
// (ETag, Last-Modified) and answers conditional and range requests —
// phones resume firmware downloads and re-check files — through
// net/http's ServeContent.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request, snap *phoneprov.Snapshot, route *phoneprov.Route) (int, int64) {
	sf, err := snap.Static(route)
	var f *os.File
	if err == nil && sf.Data == nil {
		f, err = os.Open(sf.Path)
	}
	if err != nil {
		if h.cfg.MissingStatic404 && errors.Is(err, fs.ErrNotExist) {
			return h.error(w, http.StatusNotFound, "Not Found", route.URI), 0
		}
		h.log.Warn("cannot open static file", "route", route.URI, "file", route.File.Template, "error", err)
		return h.error(w, http.StatusInternalServerError, "Internal Error", textInternal), 0
	}
	size, mod, etag := sf.Size, sf.ModTime, sf.ETag
	var content io.ReadSeeker
	if f != nil {
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			h.log.Warn("cannot open static file", "route", route.URI, "file", route.File.Template, "error", err)
			return h.error(w, http.StatusInternalServerError, "Internal Error", textInternal), 0
		}
		size, mod, etag, content = fi.Size(), fi.ModTime(), phoneprov.FileETag(fi), f
	} else {
		content = bytes.NewReader(sf.Data)
	}
	hdr := w.Header()
	hdr["Etag"] = []string{etag}
	hdr["Accept-Ranges"] = acceptRanges
	if conditional(r) {
		h.header(w, route.File.MIME, -1)
		rec := &countingWriter{ResponseWriter: w, status: http.StatusOK}
		http.ServeContent(rec, r, "", mod, content)
		return rec.status, rec.n
	}
	hdr["Last-Modified"] = []string{mod.UTC().Format(http.TimeFormat)}
	h.header(w, route.File.MIME, size)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return http.StatusOK, 0
	}
	if sf.Data != nil && f == nil {
		n, _ := w.Write(sf.Data)
		return http.StatusOK, int64(n)
	}
	n, _ := io.Copy(w, content)
	return http.StatusOK, n
}

var acceptRanges = []string{"bytes"}

// conditional reports whether r asks for part of a file or only if it
// changed.
func conditional(r *http.Request) bool {
	h := r.Header
	return h["Range"] != nil || h["If-None-Match"] != nil || h["If-Modified-Since"] != nil ||
		h["If-Match"] != nil || h["If-Unmodified-Since"] != nil || h["If-Range"] != nil
}

// countingWriter records the status and the body bytes of a response.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (c *countingWriter) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

// header sets the headers of a 200 response as Asterisk sends them; a
// negative length leaves Content-Length to net/http.
func (h *Handler) header(w http.ResponseWriter, mime string, length int64) {
	hdr := w.Header()
	if h.serverHeader != nil {
		hdr["Server"] = h.serverHeader
	}
	hdr["Cache-Control"] = h.cacheControl
	// Asterisk writes "Content-type"; setting the canonical key to nil
	// keeps net/http from sniffing a type of its own.
	hdr["Content-Type"] = nil
	hdr["Content-type"] = h.values.mime(mime)
	if length >= 0 {
		hdr["Content-Length"] = h.values.length(length)
	}
}

// error writes an Asterisk error page and returns the status. On HEAD the
// headers (with the page's length) are sent without the body: Asterisk sends
// the body too, which breaks HTTP keep-alive.
func (h *Handler) error(w http.ResponseWriter, code int, title, text string) int {
	page := errorPage(code, title, text, h.cfg.ServerName)
	h.header(w, "text/html", int64(len(page)))
	w.WriteHeader(code)
	io.WriteString(w, page)
	return code
}

// Texts of the error pages of refused requests. They never say why: the
// reason is for the log.
const (
	textUnauthorized = "This file requires authentication."
	textForbidden    = "Access to this file is denied."
)

// refuse answers a Guard's refusal with an error page and returns its
// status.
func (h *Handler) refuse(w http.ResponseWriter, rf *Refusal) int {
	for k, vs := range rf.Header {
		w.Header()[k] = append(w.Header()[k], vs...)
	}
	text := textForbidden
	if rf.Status == http.StatusUnauthorized {
		text = textUnauthorized
	}
	return h.error(w, rf.Status, http.StatusText(rf.Status), text)
}
