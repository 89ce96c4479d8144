package tftpserver

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/pin/tftp/v3"
)

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		in   Config
		want Config
	}{
		{Config{}, Config{Timeout: DefaultTimeout, Retries: DefaultRetries, MaxTransfers: DefaultMaxTransfers,
			BlockSize: DefaultBlockSize, MaxUpload: DefaultMaxUpload, MaxUploadTotal: DefaultMaxUploadTotal}},
		{Config{Timeout: -1, Retries: -1, MaxTransfers: -1, BlockSize: -1, MaxUpload: -1, MaxUploadTotal: -1},
			Config{Timeout: DefaultTimeout, Retries: DefaultRetries, MaxTransfers: DefaultMaxTransfers,
				BlockSize: DefaultBlockSize, MaxUpload: DefaultMaxUpload, MaxUploadTotal: DefaultMaxUploadTotal}},
		// BlockSize is clamped to what RFC 2348 and the engine allow.
		{Config{Timeout: time.Second, Retries: 2, MaxTransfers: 3, BlockSize: 512, MaxUpload: 4, MaxUploadTotal: 5},
			Config{Timeout: time.Second, Retries: 2, MaxTransfers: 3, BlockSize: 513, MaxUpload: 4, MaxUploadTotal: 5}},
		{Config{BlockSize: 70000}, Config{Timeout: DefaultTimeout, Retries: DefaultRetries, MaxTransfers: DefaultMaxTransfers,
			BlockSize: 65464, MaxUpload: DefaultMaxUpload, MaxUploadTotal: DefaultMaxUploadTotal}},
	}
	for _, tt := range tests {
		got := tt.in.withDefaults()
		if got.Logger == nil {
			t.Error("no logger")
		}
		got.Logger = nil
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	for o, want := range map[Outcome]string{
		Completed: "completed", NotFound: "not found", Busy: "busy", Unavailable: "unavailable",
		Refused: "refused", TooLarge: "too large", Failed: "failed", Aborted: "aborted", Outcome(99): "unknown",
	} {
		if got := o.String(); got != want {
			t.Errorf("Outcome(%d) = %q, want %q", o, got, want)
		}
	}
}

// logBuffer is a concurrency-safe log sink.
type logBuffer = testlog.Buffer

// serveTest serves src on 127.0.0.1 until the test ends.
func serveTest(t *testing.T, src phoneprov.SnapshotSource, cfg Config) string {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(src, cfg)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(conn) }()
	waitReady(t, conn.LocalAddr().String())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Error(err)
		}
	})
	return conn.LocalAddr().String()
}

// waitReady returns once the server at addr answers a request: its engine
// then reports each request's interface, on which blksize negotiation
// depends (requests queued before get 512-byte blocks).
func waitReady(t *testing.T, addr string) {
	t.Helper()
	c, err := tftp.NewClient(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(time.Second)
	for range 10 {
		if _, err := c.Receive("readiness-probe", "octet"); err != nil && strings.Contains(err.Error(), "File not found") {
			return
		}
	}
	t.Fatalf("the server at %s does not answer", addr)
}

// TestTransferLog: one debug record per transfer with the file name, the
// peer, bytes, duration, outcome and negotiated options; never the
// rendered body, which here holds a SECRET.
func TestTransferLog(t *testing.T) {
	s := newTestSite(t)
	var logs logBuffer
	var served phoneprovtest.Recorder[Served]
	addr := serveTest(t, s, Config{
		Logger:  slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OnServe: served.Record,
	})

	c, err := tftp.NewClient(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetBlockSize(1000)
	c.RequestTSize(true)
	wt, err := c.Receive("0004f2000001.cfg", "octet")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	if _, err := wt.WriteTo(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body.String(), "hunter2-secret") || !strings.Contains(body.String(), "server=127.0.0.1 ") {
		t.Fatalf("body %q", body.String())
	}
	if _, err := c.Receive("nope.cfg", "octet"); err == nil {
		t.Error("nope.cfg was found")
	}

	var out string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if out = logs.String(); strings.Contains(out, "filename=nope.cfg") && strings.Contains(out, "filename=0004f2000001.cfg") {
			break
		}
	}
	for _, want := range []string{
		`msg="tftp transfer" op=read filename=0004f2000001.cfg remote=127.0.0.1:`,
		"bytes=" + strconv.Itoa(body.Len()) + " duration=",
		`outcome=completed options="blksize=1000 tsize=` + strconv.Itoa(body.Len()) + `"`,
		`msg="tftp transfer" op=read filename=nope.cfg`,
		`outcome="not found"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("the log holds the rendered body:\n%s", out)
	}
	byName := make(map[string]Served)
	for _, sv := range served.Wait(t, 2, nil) {
		byName[sv.Filename] = sv
	}
	if sv := byName["0004f2000001.cfg"]; sv.Outcome != Completed || sv.Body == nil || !sv.Body.Sensitive || sv.Route == nil {
		t.Errorf("served %+v", sv)
	}
	if sv := byName["nope.cfg"]; sv.Outcome != NotFound || sv.Route != nil {
		t.Errorf("served %+v", sv)
	}
}
