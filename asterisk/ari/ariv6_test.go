package ari

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	ariv6 "github.com/CyCoreSystems/ari/v6"
	"github.com/CyCoreSystems/ari/v6/client/native"

	"github.com/phoneprovd/phoneprovd/asterisk/aritest"
)

// The tests below measure the defects of github.com/CyCoreSystems/ari/v6
// that doc.go lists ("Defects of ari/v6") against the fake Asterisk. Each
// asserts the defective behaviour, so it fails, and doc.go needs updating,
// if an upgrade fixes it.

// libClient returns an ari/v6 native client of srv.
func libClient(srv *aritest.Server, password string) *native.Client {
	return native.New(&native.Options{Application: "lib-test", URL: srv.URL,
		WebsocketURL: "ws://" + srv.Addr + "/ari/events", Username: ariUser, Password: password})
}

// TestAriV6StatusLostOnLists: makeRequest decodes the body before it looks
// at the status, so a 401 or 404 reply to a call expecting a JSON list
// becomes a JSON type error without the status (request.go).
func TestAriV6StatusLostOnLists(t *testing.T) {
	srv := newFake(t)
	_, err := libClient(srv, "wr0ng-s3cret").Endpoint().List(nil)
	var re native.RequestError
	if err == nil || errors.As(err, &re) || native.CodeFromError(err) != 0 ||
		!strings.Contains(err.Error(), "cannot unmarshal object") {
		t.Errorf("List with a bad password: %v (status kept: %v)", err, errors.As(err, &re))
	}
	_, err = libClient(srv, ariPassword).Asterisk().Config().Data(ariv6.NewKey("config", "res_pjsip/auth/nope"))
	if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "cannot unmarshal object") {
		t.Errorf("Config.Data of an unknown id: %v", err)
	}
	// An object reply (asterisk/info) keeps it.
	_, err = libClient(srv, "wr0ng-s3cret").Asterisk().Info(nil)
	if !errors.As(err, &re) || re.Code() != 401 {
		t.Errorf("Info with a bad password: %v", err)
	}
}

// TestAriV6UnescapedIDs: ids are pasted into the URL unescaped, so
// "7001#x" reads auth 7001 (the fragment is dropped) and returns that
// other object's password.
func TestAriV6UnescapedIDs(t *testing.T) {
	srv := newFake(t)
	data, err := libClient(srv, ariPassword).Asterisk().Config().Data(ariv6.NewKey("config", "res_pjsip/auth/7001#x"))
	if err != nil {
		t.Fatalf("Config.Data: %v", err)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Path != "/ari/asterisk/config/dynamic/res_pjsip/auth/7001" {
		t.Errorf("requested %q", last.Path)
	}
	found := false
	for _, f := range data.Fields {
		found = found || (f.Attribute == "password" && f.Value == sipPassword)
	}
	if !found {
		t.Error("the wrong object's password was not returned")
	}
}

// TestAriV6ListDropsState: Endpoint().List returns keys only; the state
// needs one more request per endpoint.
func TestAriV6ListDropsState(t *testing.T) {
	srv := newFake(t)
	keys, err := libClient(srv, ariPassword).Endpoint().List(nil)
	if err != nil || len(keys) != 3 || keys[0].ID != "PJSIP/7001" {
		t.Fatalf("List = %v, %v", keys, err)
	}
}

// TestAriV6ConnectBlocks: ConnectWithContext returns only once a websocket
// is up. With a wrong password it never reports the 401; it retries every
// second, for ever, until its context ends.
func TestAriV6ConnectBlocks(t *testing.T) {
	srv := newFake(t)
	c := libClient(srv, "wr0ng-s3cret")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.ConnectWithContext(ctx) }()
	select {
	case err := <-done:
		t.Fatalf("ConnectWithContext returned %v with a wrong password", err)
	case <-time.After(1500 * time.Millisecond):
	}
	attempts := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/events") {
			attempts++
		}
	}
	if attempts < 1 || attempts > 3 {
		t.Errorf("%d websocket attempts in 1.5 s, want a fixed 1 s period", attempts)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after cancel: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Error("ConnectWithContext did not return after cancel")
	}
}

// TestAriV6CloseBeforeConnectPanics: Close dereferences the event bus,
// which only Connect creates.
func TestAriV6CloseBeforeConnectPanics(t *testing.T) {
	srv := newFake(t)
	c := libClient(srv, ariPassword)
	defer func() {
		if recover() == nil {
			t.Error("Close before Connect did not panic")
		}
	}()
	c.Close()
}

// TestAriV6BusDropsEvents: stdbus offers each event to a subscription's
// 100-slot buffer and drops it when full ("never block"), silently.
func TestAriV6BusDropsEvents(t *testing.T) {
	srv := newFake(t)
	c := libClient(srv, ariPassword)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := c.ConnectWithContext(ctx); err != nil {
		t.Fatal(err)
	}
	// Not c.Close: it writes the connected flag that the library's
	// listening goroutine reads unlocked, which the race detector reports.
	defer eventually(t, "the library's websocket to close", func() bool { return srv.Websockets() == 0 })
	defer cancel()
	sub := c.Bus().Subscribe(nil, ariv6.Events.All)
	const sent = 300
	eventually(t, "the library's websocket", func() bool { return srv.Websockets() == 1 })
	for range sent {
		srv.Emit("", []byte(`{"type":"EndpointStateChange","endpoint":{"technology":"PJSIP","resource":"7001","state":"online","channel_ids":[]}}`))
	}
	time.Sleep(300 * time.Millisecond)
	got := 0
	for {
		select {
		case <-sub.Events():
			got++
			continue
		case <-time.After(100 * time.Millisecond):
		}
		break
	}
	if got >= sent || got > 100 {
		t.Errorf("received %d of %d events, want at most the 100 buffered", got, sent)
	}
}
