package ari

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/aritest"
	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// Credentials of the fake. None of them may ever appear in a log.
const (
	ariUser     = "phoneprov"
	ariPassword = "Ar1-s3cret!"
	sipPassword = "s3cret7001"
)

// secretsInTests are every credential the tests hand to the fake or the
// client; newLogger fails a test that logs one.
var secretsInTests = []string{ariPassword, sipPassword, "n3w-Passw0rd", "wr0ng-s3cret", "odd-s3cret"}

// logCapture collects a client's JSON logs at debug level.
type logCapture = testlog.Buffer

// newLogger returns a debug-level JSON logger whose output is checked when
// the test ends: it must hold no secret. Register it before anything that
// logs, so the check runs last.
func newLogger(t *testing.T) (*slog.Logger, *logCapture) {
	t.Helper()
	lc := &logCapture{}
	t.Cleanup(func() { lc.NoSecrets(t, secretsInTests...) })
	return lc.Logger(), lc
}

// newFake starts a fake Asterisk configured like the golden captures, with
// the test password.
func newFake(t *testing.T) *aritest.Server {
	t.Helper()
	srv := aritest.NewServer(aritest.Options{})
	t.Cleanup(srv.Close)
	srv.AddUser(ariUser, ariPassword)
	srv.AddTransport(aritest.Transport{Name: "transport-udp", Protocol: "udp", Bind: "127.0.0.1:5062"})
	srv.AddAuth(aritest.Auth{Name: "7001", Username: "7001", Password: sipPassword})
	srv.AddEndpoint(aritest.Endpoint{Name: "7001", Transport: "transport-udp", Context: "default",
		Callerid: `"Carol Pjsip" <7001>`, Auths: []string{"7001"}, Aors: []string{"7001"}, State: aritest.StateOnline})
	srv.AddSIPPeer("6001", aritest.StateUnknown)
	srv.AddSIPPeer("6002", aritest.StateOnline)
	return srv
}

// newClient returns a client of srv with short timeouts; edit may change
// the config first. The client is closed when the test ends.
func newClient(t *testing.T, srv *aritest.Server, edit func(*Config)) (*Client, *logCapture) {
	t.Helper()
	log, lc := newLogger(t)
	cfg := Config{
		URL: srv.URL, Username: ariUser, Password: ariPassword, Application: "phoneprovd-test",
		Timeout: 5 * time.Second, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Logger: log,
	}
	if edit != nil {
		edit(&cfg)
	}
	c := New(cfg)
	t.Cleanup(func() { c.Close() })
	return c, lc
}

// startClient also runs the client's websocket supervisor until the test
// ends.
func startClient(t *testing.T, srv *aritest.Server, edit func(*Config)) (*Client, *logCapture) {
	t.Helper()
	c, lc := newClient(t, srv, edit)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v", err)
		}
	})
	return c, lc
}

// waitUp waits for the client's websocket.
func waitUp(t *testing.T, c *Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.WaitConnected(ctx); err != nil {
		t.Fatalf("not connected: %v", err)
	}
}

// nextEvent reads the next event of the given type, skipping others.
func nextEvent(t *testing.T, events <-chan Event, typ string) Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("events closed while waiting for %s", typ)
			}
			if ev.Type == typ {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event", typ)
		}
	}
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
