package tftp_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
	pintftp "github.com/pin/tftp/v3"
)

// gatedWriter receives a transfer with pin/tftp's client and holds the
// first block until released: the client does not acknowledge meanwhile,
// so the transfer is in flight for as long as the test wants.
type gatedWriter struct {
	buf     bytes.Buffer
	started chan struct{}
	release chan struct{}
}

func newGatedWriter() *gatedWriter {
	return &gatedWriter{started: make(chan struct{}), release: make(chan struct{})}
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	if w.buf.Len() == 0 {
		close(w.started)
		<-w.release
	}
	return w.buf.Write(p)
}

// startGatedFetch starts fetching remote into w; the result arrives on the
// returned channel.
func startGatedFetch(t *testing.T, addr, remote string, w *gatedWriter) <-chan error {
	t.Helper()
	c, err := pintftp.NewClient(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(2 * time.Second)
	c.SetBlockSize(1468)
	done := make(chan error, 1)
	go func() {
		wt, err := c.Receive(remote, "octet")
		if err == nil {
			_, err = wt.WriteTo(w)
		}
		done <- err
	}()
	select {
	case <-w.started:
	case err := <-done:
		t.Fatalf("transfer ended before its first block: %v", err)
	}
	return done
}

// serve starts a server on 127.0.0.1 without startTFTP's cleanup, for
// tests that shut it down themselves.
func serve(t *testing.T, s *site, cfg tftpserver.Config) (*tftpserver.Server, string, <-chan error) {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	srv := tftpserver.New(s, cfg)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(conn) }()
	waitReady(t, conn.LocalAddr().String())
	return srv, conn.LocalAddr().String(), served
}

// TestShutdownWaits: Shutdown stops listening at once, lets the transfer
// in flight finish, then returns nil, and Serve returns ErrServerClosed.
func TestShutdownWaits(t *testing.T) {
	s := newSite(t, 500_000)
	srv, addr, served := serve(t, s, tftpserver.Config{})
	w := newGatedWriter()
	fetched := startGatedFetch(t, addr, "firmware.bin", w)

	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	if err := <-served; !errors.Is(err, tftpserver.ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
	// The listening socket is closed: a new request gets no answer.
	c := newRawClient(t, addr)
	c.request(opRRQ, "0004f2000001.cfg")
	if p, ok := c.receive(time.Second); ok {
		t.Errorf("answered after Shutdown: %q", p.data)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with a transfer in flight", err)
	default:
	}

	close(w.release)
	if err := <-fetched; err != nil {
		t.Fatalf("transfer in flight: %v", err)
	}
	if !bytes.Equal(w.buf.Bytes(), s.firmware) {
		t.Errorf("received %d bytes, want %d", w.buf.Len(), len(s.firmware))
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := srv.Serve(newConn(t)); !errors.Is(err, tftpserver.ErrServerClosed) {
		t.Errorf("Serve after Shutdown: %v", err)
	}
}

// TestShutdownDeadline: when Shutdown's context ends first, it returns the
// context's error and the transfer still running fails at its next block
// with an error packet; the server then winds down on its own.
func TestShutdownDeadline(t *testing.T) {
	s := newSite(t, 500_000)
	var rec recorder
	srv, addr, served := serve(t, s, tftpserver.Config{OnServe: rec.Record})
	w := newGatedWriter()
	fetched := startGatedFetch(t, addr, "firmware.bin", w)

	ctx, cancel := context.WithCancel(context.Background())
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(ctx) }()
	if err := <-served; !errors.Is(err, tftpserver.ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
	cancel()
	if err := <-shut; !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown: %v, want context.Canceled", err)
	}

	close(w.release)
	err := <-fetched
	if err == nil || !strings.Contains(err.Error(), "Server shutting down") {
		t.Errorf("transfer: %v", err)
	}
	if w.buf.Len() >= len(s.firmware) {
		t.Errorf("the whole file arrived after the deadline")
	}
	for _, r := range waitServed(t, &rec, "firmware.bin", 1) {
		if r.Outcome != tftpserver.Aborted || r.Bytes >= int64(len(s.firmware)) {
			t.Errorf("report %+v", r)
		}
	}
	// Everything has ended: a new Shutdown returns at once.
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}

func newConn(t *testing.T) *net.UDPConn {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
