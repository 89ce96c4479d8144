package tftpserver

import (
	"io"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pin/tftp/v3"
)

// transfer is one request being handled: what it will report, and where
// it came from and arrived.
type transfer struct {
	s      *Server
	served Served
	start  time.Time
	local  net.IP       // nil when unknown
	remote *net.UDPAddr // nil when unknown
	key    string       // s.negotiated key; "" when not registered
	// options the engine negotiated, from its hook; atomic because a
	// retransmitted request's duplicate transfer reports under the same key.
	options atomic.Pointer[string]
}

// newTransfer starts the record of a request. peer is the engine's
// io.ReaderFrom or io.WriterTo, which knows both addresses.
func (s *Server) newTransfer(filename string, peer any, upload bool) *transfer {
	t := &transfer{s: s, start: time.Now(), served: Served{Filename: filename, Upload: upload}}
	if p, ok := peer.(interface{ RemoteAddr() net.UDPAddr }); ok {
		ra := p.RemoteAddr()
		t.remote = &ra
		ap := ra.AddrPort()
		t.served.Remote = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		key := t.served.Remote.String()
		if _, dup := s.negotiated.LoadOrStore(key, t); !dup {
			t.key = key // a retransmitted request keeps the first one's entry
		}
	}
	if p, ok := peer.(tftp.RequestPacketInfo); ok {
		t.local = p.LocalIP()
		if a, ok := netip.AddrFromSlice(t.local); ok && !a.Unmap().IsUnspecified() {
			t.served.Local = a.Unmap()
		}
	}
	return t
}

// refuse sends r to the client (see refusal.send) and records it, with
// cause as the reported error when there is one. It returns r for the
// engine, which then sends its own code-1 copy.
func (t *transfer) refuse(r *refusal, cause error) error {
	if t.remote != nil {
		if err := r.send(t.local, t.remote); err != nil {
			t.s.log.Debug("tftp: cannot send refusal", "remote", t.served.Remote, "error", err)
		}
	}
	return t.fail(r, cause)
}

// fail records a transfer that stopped after data moved; the engine
// answers the client with r's message.
func (t *transfer) fail(r *refusal, cause error) error {
	t.served.Outcome = r.outcome
	t.served.Err = r
	if cause != nil {
		t.served.Err = cause
	}
	return r
}

// finish logs the transfer and reports it to OnServe.
func (t *transfer) finish() {
	t.served.Duration = time.Since(t.start)
	if t.key != "" {
		t.s.negotiated.CompareAndDelete(t.key, t)
	}
	op := "read"
	if t.served.Upload {
		op = "write"
	}
	attrs := []any{
		"op", op,
		"filename", t.served.Filename,
		"remote", t.served.Remote,
		"bytes", t.served.Bytes,
		"duration", t.served.Duration,
		"outcome", t.served.Outcome.String(),
	}
	if opts := t.options.Load(); opts != nil {
		attrs = append(attrs, "options", *opts)
	}
	if t.served.Err != nil {
		attrs = append(attrs, "error", t.served.Err)
	}
	t.s.log.Debug("tftp transfer", attrs...)
	if t.s.cfg.OnServe != nil {
		t.s.cfg.OnServe(t.served)
	}
}

// engineHook receives the engine's per-transfer statistics: it keeps the
// negotiated options for the transfer's log record, and logs requests the
// engine rejected before any handler saw them.
type engineHook struct{ s *Server }

// OnSuccess implements tftp.Hook.
func (h engineHook) OnSuccess(st tftp.TransferStats) { h.record(st) }

// OnFailure implements tftp.Hook.
func (h engineHook) OnFailure(st tftp.TransferStats, err error) {
	if st.RemoteAddr == nil {
		h.s.log.Debug("tftp: bad packet on the listening socket", "error", err)
		return
	}
	h.record(st)
}

// record stores the options of a transfer still registered; the engine
// calls the hook on the transfer's own goroutine, before the handler
// returns, except for aborts after a handler refused (nothing to record).
func (h engineHook) record(st tftp.TransferStats) {
	a, ok := netip.AddrFromSlice(st.RemoteAddr)
	if !ok || st.Tid <= 0 || st.Tid > 0xffff {
		return
	}
	key := netip.AddrPortFrom(a.Unmap(), uint16(st.Tid)).String()
	v, ok := h.s.negotiated.Load(key)
	if !ok {
		return
	}
	opts := make([]string, 0, len(st.Opts))
	for k, v := range st.Opts {
		opts = append(opts, k+"="+v)
	}
	sort.Strings(opts)
	joined := strings.Join(opts, " ")
	v.(*transfer).options.Store(&joined)
}

// stoppableReader fails once the server gives up waiting in Shutdown, so
// a transfer still sending ends at its next block.
type stoppableReader struct {
	r       io.Reader
	stopped *atomic.Bool
}

func (r stoppableReader) Read(p []byte) (int, error) {
	if r.stopped.Load() {
		return 0, errShuttingDown
	}
	return r.r.Read(p)
}

// stoppableWriter is stoppableReader for uploads.
type stoppableWriter struct {
	w       io.Writer
	stopped *atomic.Bool
}

func (w stoppableWriter) Write(p []byte) (int, error) {
	if w.stopped.Load() {
		return 0, errShuttingDown
	}
	return w.w.Write(p)
}
