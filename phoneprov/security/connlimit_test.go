package security

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// limitRig is a limited loopback listener and the client ends of the
// connections dialled to it.
type limitRig struct {
	t   *testing.T
	lim *ConnLimit
	ln  net.Listener
}

func newLimitRig(t *testing.T, max int, grace time.Duration) *limitRig {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lim := NewConnLimit(max)
	lim.grace = grace
	r := &limitRig{t: t, lim: lim, ln: lim.Listener(inner)}
	t.Cleanup(func() { r.ln.Close() })
	return r
}

// dial connects a client and returns it with the server's end, accepted
// in the background (nil if Accept did not return within wait).
func (r *limitRig) dial(wait time.Duration) (client, server net.Conn, err error) {
	client, err = net.Dial("tcp", r.ln.Addr().String())
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { client.Close() })
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := r.ln.Accept()
		ch <- res{c, err}
	}()
	select {
	case a := <-ch:
		return client, a.c, a.err
	case <-time.After(wait):
		return client, nil, nil
	}
}

// closedByServer reports whether the server closed c's other end.
func closedByServer(c net.Conn) bool {
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err := c.Read(make([]byte, 1))
	return errors.Is(err, io.EOF)
}

func TestConnLimitEvictsIdle(t *testing.T) {
	r := newLimitRig(t, 2, 0)
	c1, s1, _ := r.dial(time.Second)
	c2, s2, _ := r.dial(time.Second)
	r.lim.ConnState(s1, http.StateNew) // oldest idle: a silent client
	time.Sleep(10 * time.Millisecond)
	r.lim.ConnState(s2, http.StateNew)
	r.lim.ConnState(s2, http.StateActive) // busy with a request
	_, s3, err := r.dial(time.Second)
	if s3 == nil || err != nil {
		t.Fatalf("third connection not admitted: %v", err)
	}
	if !closedByServer(c1) {
		t.Error("the idle connection was not closed")
	}
	c2.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := c2.Read(make([]byte, 1)); errors.Is(err, io.EOF) {
		t.Error("the busy connection was closed")
	}
	if n := r.lim.Open(); n != 2 {
		t.Errorf("%d open, cap 2", n)
	}
}

func TestConnLimitGrace(t *testing.T) {
	// A connection accepted a moment ago has not been read yet, not
	// abandoned: it is closed only once idle for the grace period.
	r := newLimitRig(t, 1, 300*time.Millisecond)
	c1, s1, _ := r.dial(time.Second)
	r.lim.ConnState(s1, http.StateNew)
	if _, s2, _ := r.dial(100 * time.Millisecond); s2 != nil {
		t.Fatal("a connection younger than the grace period was closed")
	}
	// The Accept still waiting admits the second one once the first has
	// been idle long enough.
	if !closedByServer(c1) {
		t.Error("the idle connection was not closed after the grace period")
	}
	waitUntil(t, func() bool { return r.lim.Open() == 1 })
}

func TestConnLimitWaitsWhenAllBusy(t *testing.T) {
	r := newLimitRig(t, 1, 0)
	_, s1, _ := r.dial(time.Second)
	r.lim.ConnState(s1, http.StateActive)
	if _, s2, _ := r.dial(100 * time.Millisecond); s2 != nil {
		t.Fatal("admitted over the cap while every connection is busy")
	}
	s1.Close() // the busy request ends
	waitUntil(t, func() bool { return r.lim.Open() == 1 })
}

func TestConnLimitIdleAfterRequest(t *testing.T) {
	r := newLimitRig(t, 1, 0)
	c1, s1, _ := r.dial(time.Second)
	r.lim.ConnState(s1, http.StateActive)
	r.lim.ConnState(s1, http.StateIdle) // keep-alive between requests
	if _, s2, _ := r.dial(time.Second); s2 == nil {
		t.Fatal("idle keep-alive connection not evicted")
	}
	if !closedByServer(c1) {
		t.Error("keep-alive connection still open")
	}
}

func TestConnLimitTLSConnState(t *testing.T) {
	// A TLS server reports the *tls.Conn; the limiter looks beneath it.
	r := newLimitRig(t, 1, 0)
	c1, s1, _ := r.dial(time.Second)
	r.lim.ConnState(tls.Server(s1, &tls.Config{}), http.StateNew)
	if _, s2, _ := r.dial(time.Second); s2 == nil {
		t.Fatal("TLS connection's state not seen")
	}
	if !closedByServer(c1) {
		t.Error("idle TLS connection still open")
	}
}

func TestConnLimitCloseWakesAccept(t *testing.T) {
	r := newLimitRig(t, 1, 0)
	_, s1, _ := r.dial(time.Second)
	r.lim.ConnState(s1, http.StateActive)
	errc := make(chan error, 1)
	client, err := net.Dial("tcp", r.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	go func() {
		_, err := r.ln.Accept()
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	r.ln.Close()
	select {
	case err := <-errc:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Accept still waiting after Close")
	}
	if !closedByServer(client) {
		t.Error("the waiting connection was not closed")
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met")
}

func TestConnLimitSetMax(t *testing.T) {
	r := newLimitRig(t, 1, 0)
	_, s1, _ := r.dial(time.Second)
	r.lim.ConnState(s1, http.StateActive)
	if _, s2, _ := r.dial(100 * time.Millisecond); s2 != nil {
		t.Fatal("admitted over the cap")
	}
	// The Accept waiting for a slot proceeds when the cap is raised.
	r.lim.SetMax(2)
	waitUntil(t, func() bool { return r.lim.Open() == 2 })
	if r.lim.Max() != 2 {
		t.Errorf("max %d", r.lim.Max())
	}
	r.lim.SetMax(0)
	if r.lim.Max() != DefaultMaxConnections {
		t.Errorf("default max %d", r.lim.Max())
	}
}

// TestConnLimitReadFrom checks that a limited connection hands ReadFrom
// (net/http's path to sendfile for static files) to the TCP connection
// beneath, with the same bytes arriving.
func TestConnLimitReadFrom(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := NewConnLimit(4).Listener(raw)
	defer ln.Close()
	client, err := net.Dial("tcp", raw.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rf, ok := c.(io.ReaderFrom)
	if !ok {
		t.Fatal("a limited connection is no io.ReaderFrom")
	}
	if _, ok := c.(*limitedConn).Conn.(io.ReaderFrom); !ok {
		t.Fatal("the connection beneath is no io.ReaderFrom")
	}
	want := strings.Repeat("firmware ", 10000)
	go func() {
		rf.ReadFrom(strings.NewReader(want))
		c.Close()
	}()
	got, err := io.ReadAll(client)
	if err != nil || string(got) != want {
		t.Errorf("read %d bytes (%v), want %d", len(got), err, len(want))
	}
}
