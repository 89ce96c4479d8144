package live

import (
	"context"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/asterisk/ari"
	"github.com/phoneprovd/phoneprovd/asterisk/aritest"
)

// waitContact returns the next contact change, or fails after a while.
func waitContact(t *testing.T, ch <-chan Contact) Contact {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no contact change reported")
		return Contact{}
	}
}

// TestContactsAMI: the AMI backend reports each ContactStatus event to
// every function registered through the cache, after refreshing the
// endpoint as before.
func TestContactsAMI(t *testing.T) {
	p := newPBX(t, false)
	got1, got2 := make(chan Contact, 8), make(chan Contact, 8)
	p.cache.OnContact(func(c Contact) { got1 <- c })
	p.cache.OnContact(func(c Contact) { got2 <- c })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.client.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the Events action of the login
	p.srv.AddContact(amitest.Contact{AOR: "7001", URI: "sip:7001@192.0.2.7:5060", Status: "Created"})
	for _, ch := range []chan Contact{got1, got2} {
		c := waitContact(t, ch)
		if c.Backend != "ami" || c.Endpoint != "7001" || c.AOR != "7001" || c.URI != "sip:7001@192.0.2.7:5060" || c.Status != "Created" || !c.Registered() || c.At.IsZero() {
			t.Errorf("contact %+v", c)
		}
	}
	p.srv.SetContactStatus("7001", "sip:7001@192.0.2.7:5060", "Unreachable", 0)
	if c := waitContact(t, got1); c.Status != "Unreachable" || c.Registered() {
		t.Errorf("contact %+v", c)
	}
}

// TestContactsARI: the ARI backend reports ContactStatusChange events.
func TestContactsARI(t *testing.T) {
	srv := aritest.NewServer(aritest.Options{})
	defer srv.Close()
	srv.AddUser("phoneprov", ariSecret)
	srv.AddEndpoint(aritest.Endpoint{Name: "7001"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := ari.New(ari.Config{URL: srv.URL, Username: "phoneprov", Password: ariSecret, Application: "phoneprovd",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	go c.Run(ctx)
	src := NewARI(ctx, c)
	cache := New(Config{Backends: []Backend{src}})
	got := make(chan Contact, 8)
	cache.OnContact(func(c Contact) { got <- c })
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := c.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The application subscribes to the endpoint once connected.
		if err := srv.ContactStatusChange(aritest.ContactStatus{Endpoint: "7001", AOR: "7001", URI: "sip:7001@192.0.2.8:5060", Status: "Reachable"}); err != nil {
			t.Fatal(err)
		}
		select {
		case ct := <-got:
			if ct.Backend != "ari" || ct.Endpoint != "7001" || ct.AOR != "7001" || ct.Status != "Reachable" || !ct.Registered() {
				t.Errorf("contact %+v", ct)
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no contact change reported")
		}
	}
}
