package live

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/asterisk/ari"
	"github.com/phoneprovd/phoneprovd/asterisk/aritest"
	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// Secrets that must never appear in a log line.
const (
	amiSecret = "ami-s3cret-xyzzy"
	ariSecret = "ari-s3cret-plugh"
	sipSecret = "sip-live-pw-7001"
	sipNew    = "sip-live-pw-CHANGED"
	sipOther  = "sip-live-pw-7002"
)

// logBuffer collects JSON log lines from everything a test runs.
type logBuffer struct{ testlog.Buffer }

func (l *logBuffer) logger() *slog.Logger { return l.Logger() }

// assertNoSecrets fails if any secret was logged.
func (l *logBuffer) assertNoSecrets(t *testing.T) {
	t.Helper()
	l.NoSecrets(t, amiSecret, ariSecret, sipSecret, sipNew, sipOther)
	if l.Len() == 0 {
		t.Error("nothing was logged: the check proves nothing")
	}
}

// pbx is a fake Asterisk with two PJSIP endpoints the files do not define
// (as with realtime), and a phoneprovd pointed at it.
type pbx struct {
	t       *testing.T
	srv     *amitest.Server
	site    *phoneprovtest.Site
	logs    *logBuffer
	client  *ami.Client
	cache   *Cache
	manager *reload.Manager
	swaps   chan reload.Swap
}

func newPBX(t *testing.T, down bool) *pbx {
	p := &pbx{t: t, logs: &logBuffer{}, swaps: make(chan reload.Swap, 16)}
	p.srv = amitest.NewServer(amitest.Options{AuthFailDelay: -1})
	t.Cleanup(p.srv.Close)
	p.srv.AddUser("phoneprov", amiSecret)
	p.srv.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5062"})
	for _, ep := range []struct{ name, cid, pw string }{{"7001", `"Carol Live" <7001>`, sipSecret}, {"7002", `"Dave Live" <7002>`, sipOther}} {
		p.srv.AddEndpoint(amitest.Endpoint{Name: ep.name, Transport: "udp", Callerid: ep.cid, Context: "ctx-" + ep.name, Auths: []string{ep.name}, Aors: []string{ep.name}})
		p.srv.AddAuth(amitest.Auth{Name: ep.name, Username: "u" + ep.name, Password: ep.pw})
	}
	if down {
		if err := p.srv.SetDown(true); err != nil {
			t.Fatal(err)
		}
	}
	p.site = phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		// 7001 and 7002 exist only in Asterisk; 7003's user sets its own
		// display name, which must beat the PBX's.
		"etc/pjsip.conf": "[pp1]\ntype = phoneprov\nendpoint = 7001\nMAC = 0004f2000001\nPROFILE = p\n" +
			"[pp2]\ntype = phoneprov\nendpoint = 7002\nMAC = 0004f2000002\nPROFILE = p\nDISPLAY_NAME = From File\n",
		// A users.conf user without a secret: the PBX supplies it.
		"etc/users.conf":      "[7001]\nusername = 7001\nmacaddress = 0004f2000003\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "user=${USERNAME} pw=${SECRET} name=${DISPLAY_NAME} cid=${CALLERID} port=${SERVER_PORT} ctx=${PJSIP_ENDPOINT(${ENDPOINT_ID},context)}\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := p.logs.logger()
	p.client = ami.New(ami.Config{Addr: p.srv.Addr, Username: "phoneprov", Secret: amiSecret, Events: "system",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Logger: log})
	go p.client.Run(ctx)
	src := NewAMI(ctx, p.client)
	var mgr *reload.Manager
	p.cache = New(Config{Backends: []Backend{src}, Logger: log, Changed: func(reason string) {
		mgr.Reload(ctx, reason)
	}})
	mgr = reload.New(reload.Config{Logger: log, OnSwap: func(sw reload.Swap) { p.swaps <- sw },
		Load: func() (*phoneprov.Snapshot, error) {
			opts := p.site.Options
			opts.Live, opts.Logger = p.cache, log
			return phoneprov.Load(opts)
		}})
	p.manager = mgr
	if err := mgr.Start(); err != nil {
		t.Fatal(err)
	}
	<-p.swaps
	go mgr.Run(ctx)
	go p.cache.Run(ctx)
	return p
}

// body waits until uri renders want (or the deadline).
func (p *pbx) waitBody(uri, want string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if snap := p.manager.Snapshot(); snap != nil {
			if r := snap.Route(uri); r != nil {
				if b, err := snap.Render(r, "192.0.2.1"); err == nil {
					if got = string(b.Bytes()); got == want {
						return
					}
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.t.Fatalf("%s never rendered %q; last %q", uri, want, got)
}

func TestLiveValuesFillTheFiles(t *testing.T) {
	p := newPBX(t, false)
	// with the endpoint in Asterisk only: USERNAME/SECRET from its
	// first inbound auth, caller ID, the transport's port, its context.
	p.waitBody("0004f2000001.cfg", "user=u7001 pw="+sipSecret+" name=Carol Live cid=7001 port=5062 ctx=ctx-7001\n")
	// A value written in the file wins over the PBX's.
	p.waitBody("0004f2000002.cfg", "user=u7002 pw="+sipOther+" name=From File cid=7002 port=5062 ctx=ctx-7002\n")
	// A users.conf user: what the file lacks comes from the endpoint of the
	// same name; the endpoint's port beats phoneprov.conf's default 5060.
	p.waitBody("0004f2000003.cfg", "user=7001 pw="+sipSecret+" name=Carol Live cid=7001 port=5062 ctx=\n")
	st := p.cache.Status()
	if st.Known != 2 || st.Stale || len(st.Backends) != 1 || !st.Backends[0].Connected {
		t.Errorf("status %+v", st)
	}
	p.logs.assertNoSecrets(t)
}

func TestLivePasswordChangeReRendersThatPhone(t *testing.T) {
	p := newPBX(t, false)
	p.waitBody("0004f2000001.cfg", "user=u7001 pw="+sipSecret+" name=Carol Live cid=7001 port=5062 ctx=ctx-7001\n")
	for len(p.swaps) > 0 {
		<-p.swaps
	}
	// The password changes in Asterisk, which then reloads res_pjsip.
	p.srv.SetPassword("7002", sipNew)
	p.srv.Reload("res_pjsip.so")
	select {
	case sw := <-p.swaps:
		if fmt.Sprint(sw.Changes.Changed) != "[0004f2000002]" || len(sw.Changes.Added)+len(sw.Changes.Removed) != 0 {
			t.Errorf("changes %+v, want only 0004f2000002", sw.Changes)
		}
		if !strings.HasPrefix(sw.Reason, "Asterisk: endpoint 7002") {
			t.Errorf("reason %q", sw.Reason)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reload after the password change")
	}
	p.waitBody("0004f2000002.cfg", "user=u7002 pw="+sipNew+" name=From File cid=7002 port=5062 ctx=ctx-7002\n")
	p.logs.assertNoSecrets(t)
}

func TestLiveAsteriskDownAtStart(t *testing.T) {
	p := newPBX(t, true)
	// Down: the phone whose endpoint only Asterisk knows is not served;
	// the users.conf one is, without a secret.
	time.Sleep(200 * time.Millisecond)
	if snap := p.manager.Snapshot(); snap.Route("0004f2000001.cfg") != nil {
		t.Error("served a phone whose endpoint is unknown")
	}
	if st := p.cache.Status(); !st.Stale || st.Backends[0].Connected || st.LastError == nil || st.LastError.Cause != "connection refused" {
		t.Errorf("status while down %+v %+v", st, st.LastError)
	}
	for len(p.swaps) > 0 {
		<-p.swaps
	}
	// Up: the values arrive and the phones are served. They appear or fill
	// in because Asterisk answered for the first time: not an edit.
	if err := p.srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	p.waitBody("0004f2000001.cfg", "user=u7001 pw="+sipSecret+" name=Carol Live cid=7001 port=5062 ctx=ctx-7001\n")
	for len(p.swaps) > 0 {
		sw := <-p.swaps
		for _, mac := range append(sw.Changes.Changed, sw.Changes.Added...) {
			if !sw.Snapshot.FirstAnswered(sw.Previous, mac) {
				t.Errorf("%s changed in generation %d, not counted as Asterisk's first answer", mac, sw.Generation)
			}
		}
	}
	if st := p.cache.Status(); st.LastError != nil || st.Backends[0].LastError != nil {
		t.Errorf("last error after connecting: %+v", st.LastError)
	}
	// A later change in Asterisk is a change.
	p.srv.SetPassword("7001", sipNew)
	p.srv.Reload("res_pjsip.so")
	p.waitBody("0004f2000001.cfg", "user=u7001 pw="+sipNew+" name=Carol Live cid=7001 port=5062 ctx=ctx-7001\n")
	for len(p.swaps) > 0 {
		sw := <-p.swaps
		for _, mac := range sw.Changes.Changed {
			if sw.Snapshot.FirstAnswered(sw.Previous, mac) {
				t.Errorf("%s: a password change counted as a first answer", mac)
			}
		}
	}
	p.srv.SetPassword("7001", sipSecret)
	p.srv.Reload("res_pjsip.so")
	p.waitBody("0004f2000001.cfg", "user=u7001 pw="+sipSecret+" name=Carol Live cid=7001 port=5062 ctx=ctx-7001\n")
	// Down again: the last known values keep serving.
	p.srv.SetDown(true)
	p.srv.DropConnections()
	time.Sleep(200 * time.Millisecond)
	p.manager.Reload(context.Background(), "test")
	p.waitBody("0004f2000001.cfg", "user=u7001 pw="+sipSecret+" name=Carol Live cid=7001 port=5062 ctx=ctx-7001\n")
	if st := p.cache.Status(); !st.Stale {
		t.Errorf("status after losing Asterisk %+v", st)
	}
	p.logs.assertNoSecrets(t)
}

// TestLiveLastError: /status says why Asterisk cannot be reached, never
// with a secret, and forgets it once connected.
func TestLiveLastError(t *testing.T) {
	srv := amitest.NewServer(amitest.Options{AuthFailDelay: -1})
	defer srv.Close()
	srv.AddUser("phoneprov", "the-right-one")
	logs := &logBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := ami.New(ami.Config{Addr: srv.Addr, Username: "phoneprov", Secret: amiSecret, Events: "system",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Logger: logs.logger()})
	go c.Run(ctx)
	cache := New(Config{Backends: []Backend{NewAMI(ctx, c)}, Logger: logs.logger()})
	go cache.Run(ctx)
	cache.Endpoint("7001")
	deadline := time.Now().Add(5 * time.Second)
	for {
		st := cache.Status()
		if f := st.LastError; f != nil && f.Cause == "authentication failed" {
			if f.Backend != "ami" || f.At.IsZero() || strings.Contains(f.Message, amiSecret) || st.Backends[0].LastError == nil {
				t.Errorf("last error %+v", f)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no authentication failure reported: %+v", st.LastError)
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.AddUser("phoneprov", amiSecret)
	for {
		st := cache.Status()
		if st.LastError == nil && st.Backends[0].Connected && st.Backends[0].LastError == nil {
			break
		}
		if time.Now().After(deadline.Add(5 * time.Second)) {
			t.Fatalf("last error not cleared after connecting: %+v", st.LastError)
		}
		time.Sleep(10 * time.Millisecond)
	}
	logs.assertNoSecrets(t)
}

func TestLiveARI(t *testing.T) {
	srv := aritest.NewServer(aritest.Options{})
	defer srv.Close()
	srv.AddUser("phoneprov", ariSecret)
	srv.AddTransport(aritest.Transport{Name: "udp", Bind: "0.0.0.0:5070"})
	srv.AddEndpoint(aritest.Endpoint{Name: "7001", Transport: "udp", Callerid: `"Carol Ari" <7001>`, Context: "ari-ctx", Auths: []string{"7001"}})
	srv.AddAuth(aritest.Auth{Name: "7001", Username: "u7001", Password: sipSecret})
	logs := &logBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := ari.New(ari.Config{URL: srv.URL, Username: "phoneprov", Password: ariSecret, Application: "phoneprovd",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Logger: logs.logger()})
	go c.Run(ctx)
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := c.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	src := NewARI(ctx, c)
	le, ok, err := src.Lookup(ctx, "7001")
	if err != nil || !ok {
		t.Fatalf("lookup: %v %v", ok, err)
	}
	if le.Username != "u7001" || le.Secret != sipSecret || le.CallerIDName != "Carol Ari" || le.TransportPort != "5070" || le.Fields["context"] != "ari-ctx" {
		t.Errorf("endpoint %+v", le)
	}
	if _, ok, err := src.Lookup(ctx, "nosuch"); ok || err != nil {
		t.Errorf("unknown endpoint: %v %v", ok, err)
	}
	logs.assertNoSecrets(t)
}
