package ami

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
)

// fieldKeys lists an action's header names.
func fieldKeys(a amitest.Action) string {
	var keys []string
	for _, f := range a.Fields {
		keys = append(keys, f.Key)
	}
	return strings.Join(keys, ",")
}

// TestLogin logs in the ways docs/asterisk.md#wire-format-and-login describes
// and checks what went on the wire: plain (Username, Secret, optional Events)
// and MD5 (Challenge, then Login with Key = md5(challenge+secret), no
// Secret).
func TestLogin(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		actions []string // names and header keys of the actions before CoreSettings
	}{
		{"plain with events", nil, []string{"Login:Action,ActionID,Username,Secret,Events"}},
		{"plain without events", func(c *Config) { c.Events = "" }, []string{"Login:Action,ActionID,Username,Secret"}},
		{"md5", func(c *Config) { c.MD5 = true },
			[]string{"Challenge:Action,ActionID,AuthType", "Login:Action,ActionID,AuthType,Username,Key,Events"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			c, _ := startClient(t, srv, tc.edit)
			waitUp(t, c)
			if !c.Connected() || c.LastError() != nil {
				t.Fatalf("Connected %v, LastError %v", c.Connected(), c.LastError())
			}
			v, err := c.Version(context.Background())
			if err != nil || v != "20.20.1" {
				t.Fatalf("Version = %q, %v", v, err)
			}
			var got []string
			for _, a := range srv.Actions() {
				got = append(got, a.Name+":"+fieldKeys(a))
			}
			want := append(slices.Clone(tc.actions), "CoreSettings:Action,ActionID")
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("actions %q\nwant    %q", got, want)
			}
			for _, a := range srv.Actions() {
				for _, f := range a.Fields {
					if f.Key == "Key" && (len(f.Value) != 32 || strings.Contains(string(a.Raw), amiSecret)) {
						t.Errorf("md5 login sent %q", a.Raw)
					}
				}
			}
		})
	}
}

// TestLoginFailure checks a refused login: a clear error that is an
// ErrAuthFailed and names the user but never holds the secret, with
// Asterisk's real delay of more than one second (action_login sleeps 1 s)
// and with a short one.
func TestLoginFailure(t *testing.T) {
	tests := []struct {
		name  string
		delay time.Duration
	}{
		{"asterisk delay", 0},
		{"short delay", 20 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := amitest.NewServer(amitest.Options{AuthFailDelay: tc.delay})
			t.Cleanup(srv.Close)
			srv.AddUser(amiUser, amiSecret)
			c, _ := startClient(t, srv, func(c *Config) { c.Secret = "wr0ng-s3cret" })
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := c.WaitConnected(ctx)
			for _, target := range []error{ErrNotConnected, ErrAuthFailed, context.DeadlineExceeded} {
				if !errors.Is(err, target) {
					t.Errorf("WaitConnected error %v is not %v", err, target)
				}
			}
			if err == nil || !strings.Contains(err.Error(), "Authentication failed") || !strings.Contains(err.Error(), amiUser) ||
				strings.Contains(err.Error(), "wr0ng-s3cret") {
				t.Fatalf("unclear error: %v", err)
			}
			if !errors.Is(c.LastError(), ErrAuthFailed) {
				t.Errorf("LastError = %v", c.LastError())
			}
			_, err = c.Action(context.Background(), "Ping")
			if !errors.Is(err, ErrNotConnected) || !errors.Is(err, ErrAuthFailed) || strings.Contains(err.Error(), "wr0ng-s3cret") {
				t.Errorf("Action while refused: %v", err)
			}
		})
	}
}

// TestEndpointDetails reads endpoint 7001 of the golden capture with
// PJSIPShowEndpoint: EndpointDetail, AuthDetail with the plain password,
// TransportDetail, AorDetail, ContactStatusDetail
// (docs/asterisk.md#actions-phoneprovd-uses).
func TestEndpointDetails(t *testing.T) {
	srv := newFake(t)
	srv.AddAuth(amitest.Auth{Name: "trunk", Username: "up", Password: "n3w-Passw0rd", Realm: "itsp"})
	srv.AddEndpoint(amitest.Endpoint{Name: "7002", Transport: "transport-udp", Auths: []string{"7002a", "7002b"},
		OutboundAuths: []string{"trunk"}, Aors: []string{"7002"}, Extra: map[string]string{"Mailboxes": "7002@default"}})
	srv.AddAuth(amitest.Auth{Name: "7002a", Username: "a", Password: "pa"})
	srv.AddAuth(amitest.Auth{Name: "7002b", Username: "b", Password: "pb"})
	exp := time.Unix(1900000000, 0)
	srv.AddContact(amitest.Contact{AOR: "7002", URI: "sip:7002@10.1.2.3:5060", UserAgent: "Polycom VVX 450",
		ViaAddress: "10.1.2.3:5060", Status: "Reachable", RoundtripUsec: 900, Expires: exp})
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	ctx := context.Background()

	e, err := c.Endpoint(ctx, "7001")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"name", e.Name, "7001"},
		{"callerid", e.Callerid, `"Carol Pjsip" <7001>`},
		{"context", e.Context, "default"},
		{"field", e.Field("DtmfMode"), "rfc4733"},
		{"transport", e.Transport, "transport-udp"},
		{"aors", fmt.Sprint(e.Aors), "[7001]"},
		{"auths", fmt.Sprint(e.Auths), "[7001]"},
		{"auth detail", fmt.Sprintf("%s %s %s %s", e.AuthDetails[0].ID, e.AuthDetails[0].Username, e.AuthDetails[0].Password, e.AuthDetails[0].AuthType), "7001 7001 " + sipPassword + " userpass"},
		{"transport detail", e.TransportDetail, Transport{ID: "transport-udp", Protocol: "udp", Bind: "127.0.0.1:5062"}},
		{"contact", fmt.Sprintf("%s %s %s %v %d", e.Contacts[0].AOR, e.Contacts[0].URI, e.Contacts[0].Status, e.Contacts[0].RegExpire.IsZero(), e.Contacts[0].RoundtripUsec),
			"7001 sip:7001@127.0.0.1:5073 NonQualified true -1"},
		{"events", len(e.Events), 5},
	}
	e2, err := c.Endpoint(ctx, "PJSIP/7002")
	if err != nil {
		t.Fatal(err)
	}
	checks = append(checks, []struct {
		name      string
		got, want any
	}{
		{"auth order", fmt.Sprint(e2.Auths, e2.OutboundAuths), "[7002a 7002b] [trunk]"},
		{"auth details", len(e2.AuthDetails), 3},
		{"outbound auth", e2.AuthDetails[2].Password + " " + e2.AuthDetails[2].Realm, "n3w-Passw0rd itsp"},
		{"extra field", e2.Field("Mailboxes"), "7002@default"},
		{"registered contact", fmt.Sprintf("%s|%s|%s|%d|%d", e2.Contacts[0].UserAgent, e2.Contacts[0].ViaAddress, e2.Contacts[0].Status,
			e2.Contacts[0].RoundtripUsec, e2.Contacts[0].RegExpire.Unix()), "Polycom VVX 450|10.1.2.3:5060|Reachable|900|1900000000"},
	}...)
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

// TestEndpointsList checks PJSIPShowEndpoints, including "No endpoints
// found" as an empty list (ami_show_endpoints).
func TestEndpointsList(t *testing.T) {
	srv := newFake(t)
	srv.AddEndpoint(amitest.Endpoint{Name: "7002", Aors: []string{"7002", "7003"}})
	srv.AddContact(amitest.Contact{AOR: "7002", URI: "sip:7002@10.0.0.2"})
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	eps, err := c.Endpoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%+v", eps)
	want := "[{Name:7001 Transport:transport-udp Aors:[7001] Auths:[7001] OutboundAuths:[] Contacts:[7001/sip:7001@127.0.0.1:5073] DeviceState:Not in use ActiveChannels:0} " +
		"{Name:7002 Transport: Aors:[7002 7003] Auths:[] OutboundAuths:[] Contacts:[7002/sip:7002@10.0.0.2] DeviceState:Not in use ActiveChannels:0}]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	srv.RemoveEndpoint("7001")
	srv.RemoveEndpoint("7002")
	eps, err = c.Endpoints(context.Background())
	if err != nil || eps == nil || len(eps) != 0 {
		t.Errorf("empty list: %v, %v", eps, err)
	}
	auths, err := c.Auths(context.Background())
	if err != nil || len(auths) != 1 || auths[0].Password != sipPassword {
		t.Errorf("auths: %v, %v", auths, err)
	}
}

// TestEndpointNotFound checks that an unknown endpoint is an ErrNotFound
// carrying Asterisk's message.
func TestEndpointNotFound(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	_, err := c.Endpoint(context.Background(), "9999")
	var ae *ActionError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &ae) || ae.Message != "Unable to retrieve endpoint 9999" {
		t.Fatalf("err %v", err)
	}
}

// TestListRetry checks the ListItems check: a lost event makes List send
// the action again; losses on every attempt end in ErrListIncomplete.
func TestListRetry(t *testing.T) {
	tests := []struct {
		name    string
		drops   int
		wantErr error
		sent    int
	}{
		{"no loss", 0, nil, 1},
		{"one loss", 1, nil, 2},
		{"lost every time", 3, ErrListIncomplete, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			for range tc.drops {
				srv.DropListItem("PJSIPShowEndpoint", 1) // the AuthDetail
			}
			c, lc := startClient(t, srv, nil)
			waitUp(t, c)
			e, err := c.Endpoint(context.Background(), "7001")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if err == nil && (len(e.AuthDetails) != 1 || len(e.Events) != 5) {
				t.Errorf("incomplete endpoint: %d auths, %d events", len(e.AuthDetails), len(e.Events))
			}
			if n := len(actionsNamed(srv, "PJSIPShowEndpoint")); n != tc.sent {
				t.Errorf("sent %d times, want %d", n, tc.sent)
			}
			if tc.drops > 0 && !strings.Contains(lc.String(), "list event lost") {
				t.Error("the loss was not logged")
			}
		})
	}
}

// TestListAcrossReconnect drops the connection in the middle of a list:
// the client reconnects, logs in again, re-subscribes and List completes.
func TestListAcrossReconnect(t *testing.T) {
	srv := newFake(t)
	srv.DisconnectDuringList("PJSIPShowEndpoint", 2)
	c, _ := startClient(t, srv, nil)
	var mu sync.Mutex
	logins := 0
	c.OnConnect(func() {
		mu.Lock()
		defer mu.Unlock()
		logins++
	})
	waitUp(t, c)
	e, err := c.Endpoint(context.Background(), "7001")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Events) != 5 {
		t.Errorf("%d events", len(e.Events))
	}
	eventually(t, "two OnConnect calls", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return logins == 2
	})
	login := actionsNamed(srv, "Login")
	if len(login) != 2 || !strings.Contains(string(login[1].Raw), "\r\nEvents: system\r\n") {
		t.Errorf("logins %d: %+v", len(login), login)
	}
}

// TestDownAtStart starts the client while Asterisk is down: actions fail
// at once with ErrNotConnected, WaitConnected returns once it is up.
func TestDownAtStart(t *testing.T) {
	srv := newFake(t)
	if err := srv.SetDown(true); err != nil {
		t.Fatal(err)
	}
	c, _ := startClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if err := c.WaitConnected(ctx); !errors.Is(err, ErrNotConnected) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitConnected while down: %v", err)
	}
	start := time.Now()
	if _, err := c.Action(context.Background(), "Ping"); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Action while down: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Action while down took %v", took)
	}
	if c.Connected() {
		t.Error("Connected while down")
	}
	waited := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		waited <- c.WaitConnected(ctx)
	}()
	if err := srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("WaitConnected after up: %v", err)
	}
	if _, err := c.Action(context.Background(), "Ping"); err != nil {
		t.Fatalf("Ping after up: %v", err)
	}
}

// TestActionTimeout checks per-action timeouts: Config.ActionTimeout for a
// context without deadline, the caller's deadline otherwise, and that the
// late reply is dropped without confusing the next action.
func TestActionTimeout(t *testing.T) {
	srv := newFake(t)
	c, lc := startClient(t, srv, func(c *Config) { c.ActionTimeout = 100 * time.Millisecond })
	waitUp(t, c)
	srv.SetResponseDelay("CoreSettings", 400*time.Millisecond)

	start := time.Now()
	_, err := c.Version(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if took := time.Since(start); took > 350*time.Millisecond {
		t.Errorf("timed out after %v", took)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := c.Action(ctx, "Ping"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	srv.SetResponseDelay("CoreSettings", 0)
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := c.Action(ctx, "Ping")
	if err != nil || resp.Get("Ping") != "Pong" {
		t.Fatalf("next action: %v, %v", resp, err)
	}
	eventually(t, "the late reply to be dropped", func() bool {
		return strings.Contains(lc.String(), "reply to an abandoned action dropped")
	})
}

// TestEventsSlowConsumer checks that events reach a consumer that reads
// slowly, all of them and in order, while actions keep working: the
// reader never waits for the consumer.
func TestEventsSlowConsumer(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	events := c.Events()
	waitUp(t, c)
	const n = 200
	for i := range n {
		srv.Emit(amitest.Event{Name: "TestEvent", Fields: []amitest.Field{{Key: "Seq", Value: fmt.Sprint(i)}}})
	}
	// The reader is not blocked by the unread events.
	if _, err := c.Action(context.Background(), "Ping"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		m := nextEvent(t, events, "TestEvent")
		if m.Get("Seq") != fmt.Sprint(i) {
			t.Fatalf("event %d: %v", i, m)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestEventBurst is goami2's 10 ms defect scenario (doc.go): a burst of
// 1,000 events while the consumer does not read for far longer than 10 ms.
// Nothing may be lost.
func TestEventBurst(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	events := c.Events()
	waitUp(t, c)
	const n = 1000
	for i := range n {
		srv.Emit(amitest.Event{Name: "Burst", Fields: []amitest.Field{{Key: "Seq", Value: fmt.Sprint(i)}}})
	}
	time.Sleep(300 * time.Millisecond)
	for i := range n {
		if m := nextEvent(t, events, "Burst"); m.Get("Seq") != fmt.Sprint(i) {
			t.Fatalf("event %d: %v", i, m)
		}
	}
}

// nextEvent returns the next event named name, skipping others (the
// FullyBooted after login).
func nextEvent(t *testing.T, events <-chan Message, name string) Message {
	t.Helper()
	for {
		select {
		case m, ok := <-events:
			if !ok {
				t.Fatal("Events closed")
			}
			if m.Get("Event") == name {
				return m
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %s event", name)
		}
	}
}

// TestEventsAfterReconnect checks that events flow again after the
// connection is dropped (the new login re-subscribes with Events:).
func TestEventsAfterReconnect(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	events := c.Events()
	waitUp(t, c)
	srv.DropConnections()
	eventually(t, "a second login", func() bool { return len(actionsNamed(srv, "Login")) == 2 && c.Connected() })
	srv.AddContact(amitest.Contact{AOR: "7001", URI: "sip:7001@10.9.9.9"})
	if m := nextEvent(t, events, "ContactStatus"); m.Get("URI") != "sip:7001@10.9.9.9" || m.Get("ContactStatus") != "NonQualified" {
		t.Fatalf("event %v", m)
	}
}

// TestCloseRightAfterStart closes or cancels a client immediately after
// starting it (goami2 panics there; doc.go) and after use.
func TestCloseRightAfterStart(t *testing.T) {
	srv := newFake(t)
	log, _ := newLogger(t, true)
	for i := range 50 {
		c := New(Config{Addr: srv.Addr, Username: amiUser, Secret: amiSecret, Logger: log})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx) }()
		if i%2 == 0 {
			cancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("Run after cancel: %v", err)
			}
			c.Close()
		} else {
			c.Close()
			if err := <-done; err != nil && !errors.Is(err, ErrClosed) {
				t.Fatalf("Run after Close: %v", err)
			}
			cancel()
		}
		if _, ok := <-c.Events(); ok {
			t.Fatal("Events not closed")
		}
		if _, err := c.Action(context.Background(), "Ping"); !errors.Is(err, ErrClosed) {
			t.Fatalf("Action after close: %v", err)
		}
	}
	// Close before Run, twice; Run then refuses to start.
	c := New(Config{Addr: srv.Addr, Logger: log})
	c.Close()
	c.Close()
	if err := c.Run(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close: %v", err)
	}
	// Close while connected and busy.
	c2, _ := startClient(t, srv, nil)
	waitUp(t, c2)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, err := c2.Action(context.Background(), "Ping"); err != nil {
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	c2.Close()
	wg.Wait()
	if err := c2.WaitConnected(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("WaitConnected after Close: %v", err)
	}
}

// TestRunTwice checks that a second Run is refused.
func TestRunTwice(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	if err := c.Run(context.Background()); err == nil {
		t.Fatal("second Run accepted")
	}
}

// TestConcurrentActions sends actions from many goroutines: every reply
// must reach the caller that sent the action (ActionID correlation).
func TestConcurrentActions(t *testing.T) {
	srv := newFake(t)
	srv.AddPeer(amitest.Peer{Name: "6003"})
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				ctx := context.Background()
				switch g % 3 {
				case 0:
					if e, err := c.Endpoint(ctx, "7001"); err != nil || e.Name != "7001" {
						errs <- fmt.Errorf("endpoint: %v %v", e, err)
					}
				case 1:
					if p, err := c.SIPPeer(ctx, "6002"); err != nil || p.Name != "6002" {
						errs <- fmt.Errorf("peer: %v %v", p, err)
					}
				case 2:
					if peers, err := c.SIPPeers(ctx); err != nil || len(peers) != 3 {
						errs <- fmt.Errorf("peers: %v %v", peers, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestActionErrors checks error replies and client-side refusals.
func TestActionErrors(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	ctx := context.Background()
	_, err := c.Action(ctx, "Bogus")
	var ae *ActionError
	if !errors.As(err, &ae) || ae.Message != "Invalid/unknown command: Bogus. Use Action: ListCommands to show available commands." ||
		ae.Response.Get("Response") != "Error" {
		t.Fatalf("unknown action: %v", err)
	}
	before := len(srv.Actions())
	if _, err := c.Action(ctx, "PJSIPNotify", F("Endpoint", "7001"), F("Variable", "Event=x\r\nAction: Logoff")); !errors.Is(err, errBadAction) {
		t.Fatalf("injection: %v", err)
	}
	if err := c.PJSIPNotify(ctx, "7001", Notify{}); !errors.Is(err, errBadAction) {
		t.Fatalf("empty notify: %v", err)
	}
	if err := c.PJSIPNotify(ctx, "7001", Notify{Option: "x", Variables: []string{"Event=y"}}); !errors.Is(err, errBadAction) {
		t.Fatalf("double notify: %v", err)
	}
	if after := len(srv.Actions()); after != before {
		t.Fatalf("refused actions were sent: %d", after-before)
	}
}

// TestNotify checks PJSIPNotify and SIPnotify replies
// (docs/asterisk.md#actions-phoneprovd-uses; golden ami-session-pjsip.txt
// and ami-sipnotify-no-listener.txt).
func TestNotify(t *testing.T) {
	srv := newFake(t)
	srv.AddPeer(amitest.Peer{Name: "6003"})
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	ctx := context.Background()
	tests := []struct {
		name    string
		run     func() error
		wantErr string // "" for success
		notFnd  bool
	}{
		{"pjsip variables", func() error {
			return c.PJSIPNotify(ctx, "7001", Notify{Variables: []string{"Event=check-sync", "X-Test=1"}})
		}, "", false},
		{"pjsip option", func() error { return c.PJSIPNotify(ctx, "7001", Notify{Option: "polycom-check-cfg"}) }, "", false},
		{"pjsip unknown option", func() error { return c.PJSIPNotify(ctx, "7001", Notify{Option: "nope"}) },
			"ami: PJSIPNotify: Unable to find notify type 'nope'", false},
		{"pjsip unknown endpoint", func() error {
			return c.PJSIPNotify(ctx, "9999", Notify{Variables: []string{"Event=check-sync"}})
		}, "ami: not found: ami: PJSIPNotify: Unable to retrieve endpoint 9999", true},
		{"sip peer", func() error { return c.SIPNotify(ctx, "6001", []string{"Event=check-sync"}) }, "", false},
		{"sip unregistered", func() error { return c.SIPNotify(ctx, "6003", []string{"Event=check-sync"}) },
			"ami: SIPnotify: Could not create address", false},
	}
	for _, tc := range tests {
		err := tc.run()
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
			t.Errorf("%s: err %v, want %s", tc.name, err, tc.wantErr)
		case errors.Is(err, ErrNotFound) != tc.notFnd:
			t.Errorf("%s: ErrNotFound is %v", tc.name, errors.Is(err, ErrNotFound))
		}
	}
	n := srv.Notifies()
	if len(n) != 3 || fmt.Sprint(n[0].Variables, n[0].Contacts) != "[Event=check-sync X-Test=1] [sip:7001@127.0.0.1:5073]" ||
		n[1].Option != "polycom-check-cfg" || n[2].Action != "SIPnotify" || n[2].Contacts[0] != "sip:6001@127.0.0.1:5071" {
		t.Errorf("notifies %+v", n)
	}
}

// TestSIPPeer reads chan_sip peers (golden ami-session-chan_sip*.txt).
func TestSIPPeer(t *testing.T) {
	srv := newFake(t)
	c, _ := startClient(t, srv, nil)
	waitUp(t, c)
	ctx := context.Background()
	p, err := c.SIPPeer(ctx, "6002")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s|%s|%s|%v|%v|%s:%d|%s|%s|%s|%s", p.Name, p.Context, p.Callerid, p.Dynamic, p.SecretExist,
		p.AddressIP, p.AddressPort, p.DefaultUsername, p.UserAgent, p.RegContact, p.Response.Get("Named Pickupgroup"))
	want := `6002|default|"Bob Example" <6002>|true|true|127.0.0.1:5072|6002|sipp-6002|sip:6002@127.0.0.1:5072;transport=UDP|`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if p.RegExpireSeconds < 290 || p.RegExpireSeconds > 305 {
		t.Errorf("RegExpireSeconds %d", p.RegExpireSeconds)
	}
	p, err = c.SIPPeer(ctx, "6001")
	if err != nil || p.Dynamic || p.RegExpireSeconds != -1 || p.AddressPort != 5071 {
		t.Errorf("6001: %+v, %v", p, err)
	}
	if _, err := c.SIPPeer(ctx, "nosuch"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown peer: %v", err)
	}
	// The extra CRLF after SIPshowpeer replies must not disturb the next
	// action.
	peers, err := c.SIPPeers(ctx)
	if err != nil || fmt.Sprintf("%+v", peers) != "[{Name:6001 IPAddress:127.0.0.1 IPPort:5071 Dynamic:false Status:Unmonitored} {Name:6002 IPAddress:127.0.0.1 IPPort:5072 Dynamic:true Status:Unmonitored}]" {
		t.Errorf("peers %+v, %v", peers, err)
	}
}

// TestAbandonedListLogsRedacted abandons a PJSIPShowEndpoint by timeout:
// its AuthDetail, with the SIP password, arrives late and is logged at
// debug level as dropped, with the password redacted.
func TestAbandonedListLogsRedacted(t *testing.T) {
	srv := newFake(t)
	c, lc := startClient(t, srv, nil)
	waitUp(t, c)
	srv.SetResponseDelay("PJSIPShowEndpoint", 300*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Endpoint(ctx, "7001"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	eventually(t, "the late AuthDetail in the log", func() bool {
		return strings.Contains(lc.String(), `"Event":"AuthDetail"`)
	})
	if !strings.Contains(lc.String(), `"Password":"[redacted]"`) {
		t.Fatalf("no redacted password in the log:\n%s", lc.String())
	}
}
