package ari

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/aritest"
)

// TestUnauthorized: a wrong ARI password is ErrUnauthorized on every path
// (REST, the ari/v6 call and the websocket), and the password is in no
// error (a 401 with WWW-Authenticate, docs/asterisk.md#ari; res_ari.c
// authenticate_user).
func TestUnauthorized(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, func(cfg *Config) { cfg.Password = "wr0ng-s3cret" })
	ctx := context.Background()
	_, errList := c.Endpoints(ctx)
	_, errAuth := c.Auth(ctx, "7001")
	_, errVersion := c.Version(ctx)
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	errWait := c.WaitConnected(wctx)
	eventually(t, "a websocket attempt", func() bool { return c.LastError() != nil })
	for name, err := range map[string]error{"Endpoints": errList, "Auth": errAuth, "Version": errVersion,
		"WaitConnected": errWait, "LastError": c.LastError()} {
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("%s: got %v, want ErrUnauthorized", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "wr0ng-s3cret") {
			t.Errorf("%s: error holds the password: %v", name, err)
		}
	}
	if !errors.Is(errWait, ErrNotConnected) {
		t.Errorf("WaitConnected: %v does not wrap ErrNotConnected", errWait)
	}
	for _, r := range srv.Requests() {
		if r.User != ariUser || r.Status != 401 {
			t.Errorf("request %+v: want user %q refused with 401", r, ariUser)
		}
	}
}

// TestEndpoints: GET /endpoints, /endpoints/{tech} and
// /endpoints/{tech}/{resource} (docs/asterisk.md#ari), in Asterisk's order.
func TestEndpoints(t *testing.T) {
	srv := newFake(t)
	c, _ := newClient(t, srv, nil)
	ctx := context.Background()
	got, err := c.Endpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []EndpointState{
		{Technology: "PJSIP", Resource: "7001", State: "online", ChannelIDs: []string{}},
		{Technology: "SIP", Resource: "6001", State: "unknown", ChannelIDs: []string{}},
		{Technology: "SIP", Resource: "6002", State: "online", ChannelIDs: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Endpoints = %+v, want %+v", got, want)
	}
	sip, err := c.EndpointsByTech(ctx, "SIP")
	if err != nil || !reflect.DeepEqual(sip, want[1:]) {
		t.Errorf("EndpointsByTech(SIP) = %+v, %v", sip, err)
	}
	// resource_endpoints.c: the technology must exist (case-sensitive).
	if _, err := c.EndpointsByTech(ctx, "IAX2"); !errors.Is(err, ErrNotFound) ||
		!strings.Contains(err.Error(), "No Endpoints found - invalid tech IAX2") {
		t.Errorf("EndpointsByTech(IAX2): %v", err)
	}
	one, err := c.EndpointState(ctx, "PJSIP", "7001")
	if err != nil || !reflect.DeepEqual(*one, want[0]) {
		t.Errorf("EndpointState = %+v, %v", one, err)
	}
	if _, err := c.EndpointState(ctx, "PJSIP", "9999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("EndpointState(9999): %v", err)
	}
}

// TestCredentials reads what res_phoneprov's PJSIP provider needs:
// endpoint 7001's auth (USERNAME, SECRET), callerid, context and its
// transport's port (SERVER_PORT, docs/asterisk.md#pjsipconf-phones),
// through the dynamic configuration API (docs/asterisk.md#ari).
func TestCredentials(t *testing.T) {
	srv := newFake(t)
	c, _ := newClient(t, srv, nil)
	ctx := context.Background()
	ep, err := c.Endpoint(ctx, "7001")
	if err != nil {
		t.Fatal(err)
	}
	if ep.Transport != "transport-udp" || !reflect.DeepEqual(ep.Auths, []string{"7001"}) ||
		ep.Callerid != `"Carol Pjsip" <7001>` || ep.Context != "default" || ep.Fields["dtmf_mode"] != "rfc4733" {
		t.Errorf("Endpoint = %+v", ep)
	}
	auth, err := c.Auth(ctx, ep.Auths[0])
	if err != nil {
		t.Fatal(err)
	}
	if auth.Username != "7001" || auth.Password != sipPassword || auth.AuthType != "userpass" {
		t.Errorf("Auth = %+v", auth)
	}
	tr, err := c.Transport(ctx, ep.Transport)
	if err != nil {
		t.Fatal(err)
	}
	if port, err := tr.Port(); port != 5062 || err != nil || tr.Protocol != "udp" {
		t.Errorf("Transport = %+v, Port() = %d, %v", tr, port, err)
	}
	// A changed password is read back (no caching).
	srv.SetPassword("7001", "n3w-Passw0rd")
	if auth, err := c.Auth(ctx, "7001"); err != nil || auth.Password != "n3w-Passw0rd" {
		t.Errorf("after SetPassword: %v, %v", auth, err)
	}
	for _, tt := range []struct{ typ, id, msg string }{
		{"auth", "nope", "Object with id 'nope' not found"},
		{"endpoint", "nope", "Object with id 'nope' not found"},
		{"bogus", "x", "objectType 'bogus' not found"},
	} {
		_, err := c.ConfigObject(ctx, "res_pjsip", tt.typ, tt.id)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ConfigObject(%s/%s): %v, want ErrNotFound %q", tt.typ, tt.id, err, tt.msg)
		}
	}
}

// TestOddIDs: ids with characters that are special in URLs or to
// ast_uri_decode ('+' is a space) reach the right object.
func TestOddIDs(t *testing.T) {
	srv := newFake(t)
	for _, id := range []string{"a+b", "a b", "a#b", "a?b=c", "a/b", "a%2Fb", "ü"} {
		srv.AddAuth(aritest.Auth{Name: id, Username: "user-" + id, Password: "odd-s3cret"})
	}
	c, _ := newClient(t, srv, nil)
	for _, id := range []string{"a+b", "a b", "a#b", "a?b=c", "a/b", "a%2Fb", "ü"} {
		auth, err := c.Auth(context.Background(), id)
		if err != nil || auth.Username != "user-"+id {
			t.Errorf("Auth(%q) = %+v, %v", id, auth, err)
		}
	}
}

// TestVersion reads system.version through ari/v6.
func TestVersion(t *testing.T) {
	srv := newFake(t)
	c, _ := newClient(t, srv, nil)
	v, err := c.Version(context.Background())
	if err != nil || v != "20.20.1" {
		t.Errorf("Version = %q, %v", v, err)
	}
}

// TestEvents: after connecting, the client subscribes endpoint:PJSIP and
// receives ContactStatusChange, EndpointStateChange and PeerStatusChange
// (docs/asterisk.md#ari; main/stasis_endpoints.c).
func TestEvents(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	events := c.Events()
	waitUp(t, c)
	if err := srv.ContactStatusChange(aritest.ContactStatus{Endpoint: "7001", AOR: "7001",
		URI: "sip:7001@127.0.0.1:5073", Status: "Reachable", RoundtripUsec: "1234"}); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, events, "ContactStatusChange")
	wantContact := ContactInfo{URI: "sip:7001@127.0.0.1:5073", Status: "Reachable", AOR: "7001", RoundtripUsec: "1234"}
	if ev.Contact == nil || *ev.Contact != wantContact || ev.Endpoint.Resource != "7001" ||
		ev.Application != "phoneprovd-test" || ev.Timestamp.IsZero() {
		t.Errorf("ContactStatusChange = %+v contact %+v", ev, ev.Contact)
	}
	if err := srv.SetState("PJSIP", "7001", aritest.StateOffline); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, "EndpointStateChange"); ev.Endpoint.State != "offline" || ev.Endpoint.Technology != "PJSIP" {
		t.Errorf("EndpointStateChange = %+v", ev)
	}
	if err := srv.PeerStatusChange("PJSIP", "7001", aritest.PeerStatus{Status: "Unreachable"}); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, "PeerStatusChange"); ev.Peer == nil || ev.Peer.Status != "Unreachable" {
		t.Errorf("PeerStatusChange = %+v", ev)
	}
	// A SIP endpoint is not subscribed: its events never come.
	srv.SetState("SIP", "6001", aritest.StateOnline)
	srv.SetState("PJSIP", "7001", aritest.StateOnline)
	if ev := nextEvent(t, events, "EndpointStateChange"); ev.Endpoint.Technology != "PJSIP" {
		t.Errorf("got an event of an unsubscribed endpoint: %+v", ev)
	}
}

// TestSubscribeAll: with subscribeAll Asterisk sends contact and peer
// events but no EndpointStateChange (res/stasis/app.c
// forwards_create_endpoint), and no subscription request is made.
func TestSubscribeAll(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, func(cfg *Config) { cfg.SubscribeAll = true })
	events := c.Events()
	waitUp(t, c)
	srv.SetState("PJSIP", "7001", aritest.StateOffline)
	srv.ContactStatusChange(aritest.ContactStatus{Endpoint: "7001", AOR: "7001", URI: "sip:x", Status: "Removed"})
	if ev := <-events; ev.Type != "ContactStatusChange" || ev.Contact.Status != "Removed" {
		t.Errorf("first event %+v, want the ContactStatusChange only", ev)
	}
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			t.Errorf("unexpected request %+v", r)
		}
	}
}

// TestReconnect: a dropped websocket is reconnected with backoff, the
// subscription is made again and OnConnect runs after each connection.
func TestReconnect(t *testing.T) {
	srv := newFake(t)
	c, lc := newClient(t, srv, nil)
	var connects atomic.Int32
	c.OnConnect(func() { connects.Add(1) })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	events := c.Events()
	waitUp(t, c)
	eventually(t, "the first OnConnect", func() bool { return connects.Load() == 1 })
	srv.DropWebsockets()
	eventually(t, "the second OnConnect", func() bool { return connects.Load() == 2 })
	waitUp(t, c)
	srv.SetState("PJSIP", "7001", aritest.StateOffline)
	if ev := nextEvent(t, events, "EndpointStateChange"); ev.Endpoint.State != "offline" {
		t.Errorf("after reconnect: %+v", ev)
	}
	if !strings.Contains(lc.String(), "ari: websocket lost") {
		t.Errorf("the loss was not logged:\n%s", lc.String())
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
	if _, ok := <-events; ok {
		t.Error("Events still open after Run returned")
	}
	if _, err := c.Endpoints(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Run returned: %v", err)
	}
}

// TestDownAtStart: with Asterisk down the client keeps retrying and
// connects once it is up; REST calls fail with ErrNotConnected meanwhile.
func TestDownAtStart(t *testing.T) {
	srv := newFake(t)
	srv.SetDown(true)
	c, _ := startClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := c.WaitConnected(ctx); !errors.Is(err, ErrNotConnected) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitConnected while down: %v", err)
	}
	if _, err := c.Endpoints(context.Background()); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Endpoints while down: %v", err)
	}
	if err := srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	waitUp(t, c)
	if !c.Connected() || c.LastError() != nil {
		t.Errorf("Connected %v, LastError %v", c.Connected(), c.LastError())
	}
}

// TestStalledServer: a call whose context ends is abandoned at once, on
// the client's own REST path and on the ari/v6 path, whose abandoned calls
// stay bounded by maxLibraryCalls.
func TestStalledServer(t *testing.T) {
	srv := newFake(t)
	srv.SetResponseDelay(time.Hour)
	c, _ := newClient(t, srv, func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond })
	start := time.Now()
	if _, err := c.Endpoints(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Endpoints: %v", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2*maxLibraryCalls)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Version(context.Background())
		}()
	}
	wg.Wait()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("calls took %v", d)
	}
	waiting := 0
	for _, err := range errs {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Version: %v", err)
		}
		if err != nil && strings.Contains(err.Error(), "waiting for a call slot") {
			waiting++
		}
	}
	if waiting < maxLibraryCalls {
		t.Errorf("%d calls waited for a slot, want at least %d", waiting, maxLibraryCalls)
	}
	if n := len(c.libSlots); n != maxLibraryCalls {
		t.Errorf("%d library calls in flight, want the bound %d", n, maxLibraryCalls)
	}
	srv.Close() // answers nothing and ends the abandoned calls
	eventually(t, "abandoned library calls to end", func() bool { return len(c.libSlots) == 0 })
	if n := len(c.slots); n != 0 {
		t.Errorf("%d REST slots still taken", n)
	}
}

// TestConcurrentCalls runs REST calls from many goroutines at once, more
// than MaxInFlight.
func TestConcurrentCalls(t *testing.T) {
	srv := newFake(t)
	c, _ := newClient(t, srv, func(cfg *Config) { cfg.MaxInFlight = 4 })
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			switch i % 3 {
			case 0:
				_, err = c.Endpoints(context.Background())
			case 1:
				var a *Auth
				if a, err = c.Auth(context.Background(), "7001"); err == nil && a.Password != sipPassword {
					err = fmt.Errorf("wrong password read")
				}
			case 2:
				_, err = c.Version(context.Background())
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestCloseBeforeRun: Close without Run closes Events and makes calls and
// Run fail with ErrClosed.
func TestCloseBeforeRun(t *testing.T) {
	srv := newFake(t)
	c, _ := newClient(t, srv, nil)
	events := c.Events()
	c.Close()
	if _, ok := <-events; ok {
		t.Error("Events open after Close")
	}
	if err := c.Run(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Run after Close: %v", err)
	}
	if _, err := c.Version(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Version after Close: %v", err)
	}
}
