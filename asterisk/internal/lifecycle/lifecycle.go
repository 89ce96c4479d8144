// Package lifecycle holds what the AMI and ARI clients share about their
// one supervised connection: whether Run runs and whether the client is
// closed, the current connection and why the last one failed, and the
// OnConnect hooks.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Config names the parts of a Supervisor that differ between clients.
type Config[C comparable] struct {
	// Name prefixes the error of a second Run, e.g. "ami".
	Name string
	// ErrClosed and ErrNotConnected are the client's own errors, returned
	// (ErrNotConnected wrapped) by Run, Current and WaitConnected.
	ErrClosed, ErrNotConnected error
	// Up, if set, runs after SetConn has published a connection and
	// before the OnConnect hooks start; the clients log it there.
	Up func(conn C)
	// Release, if set, runs once when the supervisor closes: when Run
	// returns, or in Close if Run never ran, before Done is closed. It
	// frees what the client holds, such as its event queue.
	Release func()
}

// Supervisor is the lifecycle of a client whose connections are of type
// C (nil, the zero C, while down). Run may run once; Close stops it, or
// closes a supervisor that never ran. Its methods may be called from any
// goroutine.
type Supervisor[C comparable] struct {
	cfg    Config[C]
	done   chan struct{} // closed when Run has returned, or by Close if Run never ran
	hookMu sync.Mutex    // runs OnConnect hooks one connection at a time

	mu      sync.Mutex
	conn    C             // the current connection, zero while down
	up      chan struct{} // closed when conn is set; replaced when it is lost
	lastErr error         // why the last connection attempt or connection failed
	lastAt  time.Time     // when lastErr was recorded
	hooks   []func()
	running bool
	closed  bool
	stop    context.CancelFunc
}

// New returns a supervisor that has not run.
func New[C comparable](cfg Config[C]) *Supervisor[C] {
	return &Supervisor[C]{
		cfg:  cfg,
		done: make(chan struct{}),
		up:   make(chan struct{}),
	}
}

// Run calls loop with a context that Close cancels and, when loop
// returns, closes the supervisor. It returns ctx's error, or nil after
// Close. Run fails with ErrClosed once the supervisor is closed (Close was
// called or Run returned), and with an error while another Run runs.
func (s *Supervisor[C]) Run(ctx context.Context, loop func(ctx context.Context)) error {
	s.mu.Lock()
	switch {
	case s.closed:
		s.mu.Unlock()
		return s.cfg.ErrClosed
	case s.running:
		s.mu.Unlock()
		return errors.New(s.cfg.Name + ": Run called twice")
	}
	s.running = true
	ctx, cancel := context.WithCancel(ctx)
	s.stop = cancel
	s.mu.Unlock()
	defer s.finish(cancel)

	loop(ctx)
	return s.stopReason(ctx)
}

// stopReason is Run's result: nil after Close, else the context's error.
func (s *Supervisor[C]) stopReason(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return ctx.Err()
}

// finish closes the supervisor when Run returns.
func (s *Supervisor[C]) finish(cancel context.CancelFunc) {
	cancel()
	s.mu.Lock()
	s.closed = true
	var zero C
	s.conn = zero
	s.mu.Unlock()
	s.release()
}

// release runs Config.Release and closes Done.
func (s *Supervisor[C]) release() {
	if s.cfg.Release != nil {
		s.cfg.Release()
	}
	close(s.done)
}

// Close stops Run and waits for it to return, or closes a supervisor
// whose Run never ran. Later calls do nothing.
func (s *Supervisor[C]) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	running, stop := s.running, s.stop
	s.mu.Unlock()
	if running {
		stop()
		<-s.done
		return
	}
	s.release()
}

// Done returns a channel closed when Run has returned, or by Close if Run
// never ran.
func (s *Supervisor[C]) Done() <-chan struct{} {
	return s.done
}

// Closed reports whether Close was called or Run returned.
func (s *Supervisor[C]) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// SetConn publishes a new connection, clears the last error, runs
// Config.Up and starts the OnConnect hooks on a goroutine of their own.
func (s *Supervisor[C]) SetConn(conn C) {
	s.mu.Lock()
	s.conn = conn
	s.lastErr, s.lastAt = nil, time.Time{}
	close(s.up)
	hooks := append([]func(){}, s.hooks...)
	s.mu.Unlock()
	if s.cfg.Up != nil {
		s.cfg.Up(conn)
	}
	go func() {
		s.hookMu.Lock()
		defer s.hookMu.Unlock()
		for _, h := range hooks {
			h()
		}
	}()
}

// ClearConn records that conn ended because of cause. It may be called
// more than once for one connection; once another connection is current
// it changes nothing.
func (s *Supervisor[C]) ClearConn(conn C, cause error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero C
	switch s.conn {
	case conn:
		s.conn = zero
		s.up = make(chan struct{})
		s.lastErr, s.lastAt = cause, time.Now()
	case zero:
		s.lastErr, s.lastAt = cause, time.Now()
	}
}

// SetLastError records a failed connection attempt.
func (s *Supervisor[C]) SetLastError(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastErr, s.lastAt = err, time.Now()
}

// Current returns the current connection, or why there is none:
// ErrClosed, or ErrNotConnected wrapping the last error if any.
func (s *Supervisor[C]) Current() (C, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero C
	switch {
	case s.conn != zero:
		return s.conn, nil
	case s.closed:
		return zero, s.cfg.ErrClosed
	case s.lastErr != nil:
		return zero, fmt.Errorf("%w (last error: %w)", s.cfg.ErrNotConnected, s.lastErr)
	}
	return zero, s.cfg.ErrNotConnected
}

// Connected reports whether there is a current connection.
func (s *Supervisor[C]) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero C
	return s.conn != zero
}

// LastError returns why the last connection attempt or connection
// failed, or nil while connected.
func (s *Supervisor[C]) LastError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// LastFailure returns LastError and when it was recorded.
func (s *Supervisor[C]) LastFailure() (error, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr, s.lastAt
}

// WaitConnected waits until there is a current connection. It fails with
// ErrClosed once the supervisor is closed; when ctx ends first, the error
// wraps ErrNotConnected, ctx's error and the last error, if any.
func (s *Supervisor[C]) WaitConnected(ctx context.Context) error {
	s.mu.Lock()
	conn, closed, up := s.conn, s.closed, s.up
	s.mu.Unlock()
	var zero C
	switch {
	case conn != zero:
		return nil
	case closed:
		return s.cfg.ErrClosed
	}
	select {
	case <-up:
		return nil
	case <-s.done:
		return s.cfg.ErrClosed
	case <-ctx.Done():
		if last := s.LastError(); last != nil {
			return fmt.Errorf("%w: %w (last error: %w)", s.cfg.ErrNotConnected, ctx.Err(), last)
		}
		return fmt.Errorf("%w: %w", s.cfg.ErrNotConnected, ctx.Err())
	}
}

// OnConnect registers f to run after each SetConn from then on. Hooks run
// in registration order on a goroutine of their own, one connection at a
// time.
func (s *Supervisor[C]) OnConnect(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, f)
}
