package ami

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// Credentials of the fake. None of them may ever appear in a log.
const (
	amiUser     = "phoneprov"
	amiSecret   = "Am1-s3cret!"
	sipPassword = "s3cret7001"
)

// secretsInTests are every credential the tests hand to the fake or the
// client; logCapture fails a test that logs one.
var secretsInTests = []string{amiSecret, sipPassword, "n3w-Passw0rd", "s3cret6001", "s3cret6002", "wr0ng-s3cret"}

// logCapture collects a client's JSON logs at debug level.
type logCapture = testlog.Buffer

// newLogger returns a debug-level JSON logger whose output is checked when
// the test ends: it must hold no secret, and unless mayBeEmpty it must not
// be empty. Register it before anything that logs, so the check runs last.
func newLogger(t *testing.T, mayBeEmpty bool) (*slog.Logger, *logCapture) {
	t.Helper()
	lc := &logCapture{}
	t.Cleanup(func() {
		if lc.Len() == 0 && !mayBeEmpty {
			t.Error("nothing was logged")
		}
		lc.NoSecrets(t, secretsInTests...)
	})
	return lc.Logger(), lc
}

// newFake starts a fake Asterisk configured like the golden captures,
// with the test secret, and a short login-failure delay.
func newFake(t *testing.T) *amitest.Server {
	t.Helper()
	srv := amitest.NewServer(amitest.Options{AuthFailDelay: 50 * time.Millisecond})
	t.Cleanup(srv.Close)
	srv.AddUser(amiUser, amiSecret)
	srv.AddTransport(amitest.Transport{Name: "transport-udp", Protocol: "udp", Bind: "127.0.0.1:5062"})
	srv.AddEndpoint(amitest.Endpoint{Name: "7001", Transport: "transport-udp", Context: "default",
		Callerid: `"Carol Pjsip" <7001>`, Auths: []string{"7001"}, Aors: []string{"7001"}})
	srv.AddAuth(amitest.Auth{Name: "7001", Username: "7001", Password: sipPassword})
	srv.AddAOR(amitest.AOR{Name: "7001", MaxContacts: 1})
	srv.AddContact(amitest.Contact{AOR: "7001", URI: "sip:7001@127.0.0.1:5073", Static: true})
	srv.AddPeer(amitest.Peer{Name: "6001", Host: "127.0.0.1", Port: 5071, Secret: "s3cret6001",
		Callerid: `"Alice Example" <6001>`})
	srv.AddPeer(amitest.Peer{Name: "6002", Secret: "s3cret6002", Callerid: `"Bob Example" <6002>`,
		Addr: "127.0.0.1:5072", UserAgent: "sipp-6002", RegContact: "sip:6002@127.0.0.1:5072;transport=UDP",
		DefaultUsername: "6002", RegExpires: time.Now().Add(305 * time.Second)})
	return srv
}

// startClient runs a client against srv until the test ends. edit may
// change the config first.
func startClient(t *testing.T, srv *amitest.Server, edit func(*Config)) (*Client, *logCapture) {
	t.Helper()
	log, lc := newLogger(t, false)
	cfg := Config{
		Addr: srv.Addr, Username: amiUser, Secret: amiSecret, Events: "system",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		ActionTimeout: 5 * time.Second, Logger: log,
	}
	if edit != nil {
		edit(&cfg)
	}
	c := New(cfg)
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

// waitUp waits for the client's session.
func waitUp(t *testing.T, c *Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.WaitConnected(ctx); err != nil {
		t.Fatalf("not connected: %v", err)
	}
}

// actionsNamed returns the actions the fake received with that name.
func actionsNamed(srv *amitest.Server, name string) []amitest.Action {
	var out []amitest.Action
	for _, a := range srv.Actions() {
		if strings.EqualFold(a.Name, name) {
			out = append(out, a)
		}
	}
	return out
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
