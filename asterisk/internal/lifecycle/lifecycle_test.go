package lifecycle

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	errClosed       = errors.New("test: client closed")
	errNotConnected = errors.New("test: not connected")
)

// conn stands for a client's connection.
type conn struct{ name string }

// newSupervisor returns a supervisor that counts its releases.
func newSupervisor(released *atomic.Int32) *Supervisor[*conn] {
	return New(Config[*conn]{
		Name:            "test",
		ErrClosed:       errClosed,
		ErrNotConnected: errNotConnected,
		Release:         func() { released.Add(1) },
	})
}

// isClosed reports whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestRunClose checks how Run ends and what it returns, for Close before,
// during and after Run and for the end of Run's context, and that the
// supervisor is closed and released exactly once afterwards.
func TestRunClose(t *testing.T) {
	tests := []struct {
		name        string
		closeBefore bool          // Close before Run
		timeout     time.Duration // Run's context times out; 0 for none
		cancel      bool          // cancel Run's context while the loop runs
		closeDuring bool          // Close while the loop runs (after cancel, if both)
		wantLoop    bool          // the loop ran
		want        error         // Run's result, compared with errors.Is
	}{
		{name: "close before run", closeBefore: true, want: errClosed},
		{name: "close during run", closeDuring: true, wantLoop: true, want: nil},
		{name: "cancel", cancel: true, wantLoop: true, want: context.Canceled},
		{name: "deadline", timeout: 10 * time.Millisecond, wantLoop: true, want: context.DeadlineExceeded},
		{name: "close after cancel, before the loop returns", cancel: true, closeDuring: true, wantLoop: true, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var released atomic.Int32
			s := newSupervisor(&released)
			if tc.closeBefore {
				s.Close()
				s.Close()
				if !isClosed(s.Done()) || !s.Closed() || released.Load() != 1 {
					t.Fatalf("after Close before Run: done %v, closed %v, released %d times",
						isClosed(s.Done()), s.Closed(), released.Load())
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.timeout > 0 {
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			started := make(chan struct{})
			var loopEnded atomic.Bool
			result := make(chan error, 1)
			go func() {
				result <- s.Run(ctx, func(ctx context.Context) {
					close(started)
					<-ctx.Done()
					time.Sleep(20 * time.Millisecond) // a slow shutdown
					loopEnded.Store(true)
				})
			}()
			if tc.wantLoop {
				<-started
			}
			if tc.cancel {
				cancel()
			}
			if tc.closeDuring {
				s.Close()
				// Close waits for the loop to end and Run to finish.
				if !loopEnded.Load() || !isClosed(s.Done()) || released.Load() != 1 {
					t.Fatalf("Close returned before Run: loop ended %v, done %v, released %d times",
						loopEnded.Load(), isClosed(s.Done()), released.Load())
				}
			}
			var err error
			select {
			case err = <-result:
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return")
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("Run = %v, want %v", err, tc.want)
			}
			if got := isClosed(started); got != tc.wantLoop {
				t.Errorf("loop ran: %v, want %v", got, tc.wantLoop)
			}

			// Whichever way it ended, the supervisor is closed for good.
			s.Close()
			if !s.Closed() || !isClosed(s.Done()) || released.Load() != 1 {
				t.Errorf("at the end: closed %v, done %v, released %d times, want once",
					s.Closed(), isClosed(s.Done()), released.Load())
			}
			ran := false
			if err := s.Run(context.Background(), func(context.Context) { ran = true }); err != errClosed || ran {
				t.Errorf("Run again = %v (loop ran: %v), want %v", err, ran, errClosed)
			}
			if _, err := s.Current(); err != errClosed {
				t.Errorf("Current = %v, want %v", err, errClosed)
			}
			if err := s.WaitConnected(context.Background()); err != errClosed {
				t.Errorf("WaitConnected = %v, want %v", err, errClosed)
			}
		})
	}
}

// TestRunTwice checks that a second Run is refused while the first runs,
// without disturbing it.
func TestRunTwice(t *testing.T) {
	var released atomic.Int32
	s := newSupervisor(&released)
	started := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		result <- s.Run(context.Background(), func(ctx context.Context) {
			close(started)
			<-ctx.Done()
		})
	}()
	<-started
	err := s.Run(context.Background(), func(context.Context) { t.Error("second loop ran") })
	if err == nil || err.Error() != "test: Run called twice" || errors.Is(err, errClosed) {
		t.Errorf("second Run = %v, want test: Run called twice", err)
	}
	if s.Closed() || released.Load() != 0 {
		t.Errorf("second Run closed the supervisor")
	}
	s.Close()
	if err := <-result; err != nil {
		t.Errorf("first Run = %v, want nil after Close", err)
	}
}

// TestConnState checks the connection bookkeeping: Current, Connected,
// LastError and WaitConnected (with an ended context) after a sequence
// of connections, failures and losses.
func TestConnState(t *testing.T) {
	a, b := &conn{"a"}, &conn{"b"}
	errDial := errors.New("dial failed")
	errLost := errors.New("connection reset")
	errLater := errors.New("read failed")
	tests := []struct {
		name        string
		steps       func(s *Supervisor[*conn])
		wantConn    *conn
		wantLast    error
		wantCurrent string // Current's error; "" for none
		wantWait    string // WaitConnected's error; "" for none
	}{
		{
			name:        "never connected",
			steps:       func(s *Supervisor[*conn]) {},
			wantCurrent: "test: not connected",
			wantWait:    "test: not connected: context canceled",
		},
		{
			name:        "failed attempt",
			steps:       func(s *Supervisor[*conn]) { s.SetLastError(errDial) },
			wantLast:    errDial,
			wantCurrent: "test: not connected (last error: dial failed)",
			wantWait:    "test: not connected: context canceled (last error: dial failed)",
		},
		{
			name: "connected after a failed attempt",
			steps: func(s *Supervisor[*conn]) {
				s.SetLastError(errDial)
				s.SetConn(a)
			},
			wantConn: a,
		},
		{
			name: "lost",
			steps: func(s *Supervisor[*conn]) {
				s.SetConn(a)
				s.ClearConn(a, errLost)
			},
			wantLast:    errLost,
			wantCurrent: "test: not connected (last error: connection reset)",
			wantWait:    "test: not connected: context canceled (last error: connection reset)",
		},
		{
			name: "lost, then told again",
			steps: func(s *Supervisor[*conn]) {
				s.SetConn(a)
				s.ClearConn(a, errLost)
				s.ClearConn(a, errLater)
			},
			wantLast:    errLater,
			wantCurrent: "test: not connected (last error: read failed)",
			wantWait:    "test: not connected: context canceled (last error: read failed)",
		},
		{
			name: "old connection cleared while a new one is up",
			steps: func(s *Supervisor[*conn]) {
				s.SetConn(a)
				s.ClearConn(a, errLost)
				s.SetConn(b)
				s.ClearConn(a, errLater)
			},
			wantConn: b,
		},
		{
			name: "reconnected",
			steps: func(s *Supervisor[*conn]) {
				s.SetConn(a)
				s.ClearConn(a, errLost)
				s.SetConn(b)
			},
			wantConn: b,
		},
		{
			name: "closed",
			steps: func(s *Supervisor[*conn]) {
				s.SetLastError(errDial)
				s.Close()
			},
			wantLast:    errDial,
			wantCurrent: "test: client closed",
			wantWait:    "test: client closed",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var released atomic.Int32
			s := newSupervisor(&released)
			tc.steps(s)
			got, err := s.Current()
			if got != tc.wantConn || errString(err) != tc.wantCurrent {
				t.Errorf("Current = %v, %q, want %v, %q", got, errString(err), tc.wantConn, tc.wantCurrent)
			}
			if got := s.Connected(); got != (tc.wantConn != nil) {
				t.Errorf("Connected = %v", got)
			}
			if got := s.LastError(); got != tc.wantLast {
				t.Errorf("LastError = %v, want %v", got, tc.wantLast)
			}
			if tc.wantConn == nil && !s.Closed() {
				// The sentinels and causes stay reachable with errors.Is.
				if !errors.Is(err, errNotConnected) || tc.wantLast != nil && !errors.Is(err, tc.wantLast) {
					t.Errorf("Current's error %v does not wrap %v and %v", err, errNotConnected, tc.wantLast)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err = s.WaitConnected(ctx)
			if errString(err) != tc.wantWait {
				t.Errorf("WaitConnected = %q, want %q", errString(err), tc.wantWait)
			}
			if tc.wantConn == nil && !s.Closed() {
				if !errors.Is(err, errNotConnected) || !errors.Is(err, context.Canceled) ||
					tc.wantLast != nil && !errors.Is(err, tc.wantLast) {
					t.Errorf("WaitConnected's error %v does not wrap %v, %v and %v",
						err, errNotConnected, context.Canceled, tc.wantLast)
				}
			}
		})
	}
}

// errString returns err's message, or "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestWaitConnectedWakes checks that a waiting WaitConnected returns as
// soon as a connection is up, or with ErrClosed when the supervisor
// closes.
func TestWaitConnectedWakes(t *testing.T) {
	tests := []struct {
		name  string
		event func(s *Supervisor[*conn], cancelRun context.CancelFunc)
		want  error
	}{
		{"connection", func(s *Supervisor[*conn], _ context.CancelFunc) { s.SetConn(&conn{"a"}) }, nil},
		{"close", func(s *Supervisor[*conn], _ context.CancelFunc) { s.Close() }, errClosed},
		{"run ends", func(_ *Supervisor[*conn], cancelRun context.CancelFunc) { cancelRun() }, errClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var released atomic.Int32
			s := newSupervisor(&released)
			runCtx, cancelRun := context.WithCancel(context.Background())
			defer cancelRun()
			started := make(chan struct{})
			go s.Run(runCtx, func(ctx context.Context) {
				close(started)
				<-ctx.Done()
			})
			<-started
			defer s.Close()
			waited := make(chan error, 1)
			go func() { waited <- s.WaitConnected(context.Background()) }()
			time.Sleep(10 * time.Millisecond) // let it wait
			select {
			case err := <-waited:
				t.Fatalf("WaitConnected returned early: %v", err)
			default:
			}
			tc.event(s, cancelRun)
			select {
			case err := <-waited:
				if err != tc.want {
					t.Errorf("WaitConnected = %v, want %v", err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("WaitConnected still waiting")
			}
		})
	}
}

// TestHooks checks that each SetConn runs Up with the published connection,
// then the hooks registered so far, in order, one connection at a time.
func TestHooks(t *testing.T) {
	var (
		mu  sync.Mutex
		log []string
	)
	record := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, s)
	}
	var s *Supervisor[*conn]
	s = New(Config[*conn]{
		Name:            "test",
		ErrClosed:       errClosed,
		ErrNotConnected: errNotConnected,
		Up: func(c *conn) {
			if !s.Connected() {
				t.Error("Up ran before the connection was published")
			}
			record("up " + c.name)
		},
	})
	hook := func(name string) func() {
		return func() {
			time.Sleep(time.Millisecond) // overlapping hook runs would interleave
			record(name)
		}
	}
	s.OnConnect(hook("first"))
	s.OnConnect(hook("last"))
	a, b := &conn{"a"}, &conn{"b"}
	s.SetConn(a)
	s.OnConnect(hook("late")) // from the next connection on
	s.ClearConn(a, errors.New("lost"))
	s.SetConn(b)
	// Two Ups and five hook runs.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		mu.Lock()
		n := len(log)
		mu.Unlock()
		if n >= 7 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hooks did not run: %v", log)
		}
	}
	time.Sleep(10 * time.Millisecond) // a stray extra run would show
	mu.Lock()
	defer mu.Unlock()
	// Up runs on the caller's goroutine before the connection's hooks
	// start; each connection's hooks run whole and in order, but two
	// connections' hook goroutines may take their turns in either order.
	var hooks []string
	for _, e := range log {
		if e != "up a" && e != "up b" {
			hooks = append(hooks, e)
		}
	}
	forA, forB := []string{"first", "last"}, []string{"first", "last", "late"}
	inOrder := slices.Equal(hooks, slices.Concat(forA, forB)) || slices.Equal(hooks, slices.Concat(forB, forA))
	if !inOrder || log[0] != "up a" || slices.Index(log, "up b") > 3 {
		t.Errorf("ran %v, want hooks %v and %v, one run after the other, after their Up", log, forA, forB)
	}
}
