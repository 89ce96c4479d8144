// Package tftpserver serves phoneprovd's routes to phones over TFTP: the
// same route table, the same snapshot and the same rendering as the HTTP
// side, for phones that provision over TFTP only (Cisco 79xx, older
// Polycom and Yealink, ATAs).
//
// A file name in a read request is the route URI (the text after
// /phoneprov/ in HTTP), with one leading "/" ignored and no URL decoding.
// Write requests are refused unless an upload directory is configured.
//
// The protocol engine is github.com/pin/tftp/v3. Where it falls short the
// package works around it: it sends its own error packets where the engine
// can only say "file not found" (refusal.go), sets up packet information
// before the engine starts (packetinfo.go), and bounds Shutdown, which the
// engine cannot (Server.Shutdown).
package tftpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/pin/tftp/v3"
)

// Defaults of Config.
const (
	// DefaultTimeout is how long a transfer waits for the peer's next
	// packet before retransmitting, as tftpd-hpa's clients expect.
	DefaultTimeout = 5 * time.Second
	// DefaultRetries is how many retransmissions a transfer makes before
	// it gives up.
	DefaultRetries = 5
	// DefaultMaxTransfers caps concurrent transfers. A config file takes
	// milliseconds, so 200 at once serve a boot storm of thousands of
	// phones, while a flood of stalled clients holds at most 200 sockets
	// (Mitel's built-in server allows 400,
	// docs/vendors.md#fleet-sizes-and-boot-storms).
	DefaultMaxTransfers = 200
	// DefaultBlockSize is the largest blksize granted: 1500 (Ethernet MTU)
	// − 20 (IPv4) − 8 (UDP) − 4 (TFTP). Larger blocks fragment on
	// Ethernet, and some phones ask for them without coping with fragments
	// (tftpd-hpa's manual recommends the same value).
	DefaultBlockSize = 1468
	// DefaultMaxUpload is the largest file a client may write.
	DefaultMaxUpload = 16 << 20
	// DefaultMaxUploadTotal caps the bytes stored in the upload directory.
	DefaultMaxUploadTotal = 256 << 20
)

// Limits of BlockSize imposed by TFTP and github.com/pin/tftp: RFC 2348's
// maximum, and the library cannot cap below 513.
const (
	minBlockSize = 513
	maxBlockSize = 65464
)

// Config configures a Server. The zero value serves reads with the
// defaults above and refuses writes.
type Config struct {
	// Timeout is the per-packet retransmission timeout.
	Timeout time.Duration
	// Retries is how many times a packet is retransmitted.
	Retries int
	// MaxTransfers caps concurrent transfers, reads and writes together;
	// beyond it a request is refused at once with "Server busy".
	MaxTransfers int
	// BlockSize is the largest blksize the server grants (RFC 2348),
	// clamped to 513…65464. A client asking for more gets this; the
	// interface MTU lowers it further.
	BlockSize int
	// UploadDir receives files clients write; "" refuses writes.
	UploadDir string
	// MaxUpload caps the size of one uploaded file.
	MaxUpload int64
	// MaxUploadTotal caps the bytes stored in UploadDir, counting uploads
	// in progress.
	MaxUploadTotal int64
	// OnServe, when set, is called after each request with what was
	// served or why not. It runs on the transfer's goroutine.
	OnServe func(Served)
	// Check, when set, decides whether a read may be served (package
	// security's Guard.CheckTFTP): remote, the file name, whether a route
	// matched, and whether it is sensitive (Sensitive tells). A non-nil
	// error refuses it with an access violation.
	Check     func(remote netip.Addr, filename string, routeFound, sensitive bool) error
	Sensitive func(route *phoneprov.Route, body *phoneprov.Rendered) bool
	// Logger receives a debug record per transfer and warnings for files
	// that cannot be served. Rendered bodies are never logged.
	Logger *slog.Logger
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Retries <= 0 {
		c.Retries = DefaultRetries
	}
	if c.MaxTransfers <= 0 {
		c.MaxTransfers = DefaultMaxTransfers
	}
	if c.BlockSize <= 0 {
		c.BlockSize = DefaultBlockSize
	}
	c.BlockSize = min(max(c.BlockSize, minBlockSize), maxBlockSize)
	if c.MaxUpload <= 0 {
		c.MaxUpload = DefaultMaxUpload
	}
	if c.MaxUploadTotal <= 0 {
		c.MaxUploadTotal = DefaultMaxUploadTotal
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown.
var ErrServerClosed = errors.New("tftpserver: server closed")

// Server serves routes over TFTP. One Server may serve several listening
// sockets (IPv4 and IPv6, say); they share the transfer cap.
type Server struct {
	src     phoneprov.SnapshotSource
	cfg     Config
	log     *slog.Logger
	uploads atomic.Pointer[uploads] // nil when writes are refused

	mu       sync.Mutex
	limits   Config // Timeout, Retries, BlockSize, MaxTransfers in force (Reconfigure)
	running  int    // transfers in progress, at most limits.MaxTransfers
	closing  bool
	engines  map[*tftp.Server]bool
	active   sync.WaitGroup // transfers in progress; Add only under mu while !closing
	serving  sync.WaitGroup // Serve calls in progress
	shutdown chan struct{}  // closed when every engine and transfer is done

	// stopped makes in-flight transfers fail at their next block once
	// Shutdown's context expires.
	stopped atomic.Bool

	// negotiated holds the options each transfer agreed on, reported by
	// the engine's hook, keyed by the peer's address.
	negotiated sync.Map
}

// New returns a Server serving src with cfg.
func New(src phoneprov.SnapshotSource, cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		src:     src,
		cfg:     cfg,
		log:     cfg.Logger,
		limits:  cfg,
		engines: make(map[*tftp.Server]bool),
	}
	if cfg.UploadDir != "" {
		s.uploads.Store(newUploads(cfg.UploadDir, cfg.MaxUpload, cfg.MaxUploadTotal))
	}
	return s
}

// Reconfigure applies cfg's Timeout, Retries, BlockSize, MaxTransfers,
// UploadDir, MaxUpload and MaxUploadTotal to the requests that arrive from
// then on, on every socket served; transfers in progress keep the
// packet timing they started with. The hooks and the Logger stay those
// of New. An upload directory that cannot be opened is refused, and
// nothing changes.
func (s *Server) Reconfigure(cfg Config) error {
	cfg = cfg.withDefaults()
	old := s.uploads.Load()
	var up *uploads
	switch {
	case cfg.UploadDir == "":
	case old != nil && old.dir == cfg.UploadDir:
		up = old
	default:
		up = newUploads(cfg.UploadDir, cfg.MaxUpload, cfg.MaxUploadTotal)
		if err := up.check(); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.Timeout, s.limits.Retries, s.limits.BlockSize = cfg.Timeout, cfg.Retries, cfg.BlockSize
	s.limits.MaxTransfers = cfg.MaxTransfers
	for e := range s.engines {
		e.SetTimeout(cfg.Timeout)
		e.SetRetries(cfg.Retries)
		e.SetBlockSize(cfg.BlockSize)
	}
	if up != nil {
		up.setLimits(cfg.MaxUpload, cfg.MaxUploadTotal)
	}
	s.uploads.Store(up)
	return nil
}

// ListenAndServe listens on the UDP address addr (":69", "[::]:6969",
// "127.0.0.1:0") and serves it until Shutdown, when it returns
// ErrServerClosed.
func (s *Server) ListenAndServe(addr string) error {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return fmt.Errorf("tftpserver: %w", err)
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return fmt.Errorf("tftpserver: %w", err)
	}
	return s.Serve(conn)
}

// Serve answers requests arriving on conn until Shutdown, when it returns
// ErrServerClosed. Serve owns conn and closes it. Only a *net.UDPConn lets
// the server learn which local address a request reached (SERVER) and
// through which interface (its MTU bounds blksize); requests already
// queued on conn when Serve starts get 512-byte blocks.
func (s *Server) Serve(conn net.PacketConn) error {
	enablePacketInfo(conn)
	if up := s.uploads.Load(); up != nil {
		if err := up.check(); err != nil {
			conn.Close()
			return err
		}
	}
	engine := tftp.NewServer(s.handleRead, s.handleWrite)
	engine.SetHook(engineHook{s})

	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		conn.Close()
		return ErrServerClosed
	}
	engine.SetTimeout(s.limits.Timeout)
	engine.SetRetries(s.limits.Retries)
	engine.SetBlockSize(s.limits.BlockSize)
	s.engines[engine] = true
	s.serving.Add(1)
	s.mu.Unlock()
	defer s.serving.Done()

	err := engine.Serve(conn)
	conn.Close()
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing {
		return ErrServerClosed
	}
	if err == nil {
		err = errors.New("stopped unexpectedly")
	}
	return fmt.Errorf("tftpserver: %w", err)
}

// Shutdown stops listening, refuses new requests and waits for transfers in
// progress until ctx is done; Serve then returns ErrServerClosed. If ctx
// ends first, the transfers still running fail at their next block and
// Shutdown returns ctx's error. A transfer stalled waiting for its peer
// lingers until its retries run out (Timeout × (Retries+1), plus the
// engine's random backoff of up to a second per retry): github.com/pin/tftp
// offers no way to interrupt its socket reads.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.closing {
		s.closing = true
		s.shutdown = make(chan struct{})
		engines := make([]*tftp.Server, 0, len(s.engines))
		for e := range s.engines {
			engines = append(engines, e)
		}
		go s.stopEngines(engines, s.shutdown)
	}
	done := s.shutdown
	s.mu.Unlock()

	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.stopped.Store(true)
		return ctx.Err()
	}
}

// stopEngines shuts every engine down (each closes its socket and waits
// for its transfers), then waits for the transfers and Serve calls this
// package tracks, and closes done.
func (s *Server) stopEngines(engines []*tftp.Server, done chan struct{}) {
	var wg sync.WaitGroup
	for _, e := range engines {
		wg.Go(e.Shutdown)
	}
	wg.Wait()
	s.active.Wait()
	s.serving.Wait()
	close(done)
}

// begin admits a transfer: it takes a slot and registers the transfer for
// Shutdown. release undoes both.
func (s *Server) begin() (release func(), err *refusal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, errShuttingDown
	}
	if s.running >= s.limits.MaxTransfers {
		return nil, errBusy
	}
	s.running++
	s.active.Add(1)
	return func() {
		s.mu.Lock()
		s.running--
		s.mu.Unlock()
		s.active.Done()
	}, nil
}
