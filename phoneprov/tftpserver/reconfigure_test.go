package tftpserver

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pin/tftp/v3"
)

// TestReconfigure changes a serving Server's limits: the next requests
// follow them.
func TestReconfigure(t *testing.T) {
	s := newTestSite(t)
	var logs logBuffer
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(s, Config{Logger: logs.Logger()})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(conn) }()
	addr := conn.LocalAddr().String()
	waitReady(t, addr)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}()
	c, err := tftp.NewClient(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(time.Second)
	send := func(name string, n int) error {
		rf, err := c.Send(name, "octet")
		if err != nil {
			return err
		}
		_, err = rf.ReadFrom(bytes.NewReader(make([]byte, n)))
		return err
	}
	if err := send("a.log", 10); err == nil {
		t.Fatal("an upload without upload_dir")
	}

	// An upload directory and a smaller block size.
	dir := t.TempDir()
	if err := srv.Reconfigure(Config{UploadDir: dir, MaxUpload: 100, BlockSize: 600}); err != nil {
		t.Fatal(err)
	}
	if err := send("a.log", 50); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "a.log")); err != nil || len(b) != 50 {
		t.Errorf("stored %d bytes, %v", len(b), err)
	}
	if err := send("b.log", 200); err == nil {
		t.Error("an upload over max_upload")
	}
	c.SetBlockSize(1000)
	wt, err := c.Receive("0004f2000001.cfg", "octet")
	if err != nil {
		t.Fatal(err)
	}
	wt.WriteTo(&bytes.Buffer{})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `blksize=600`) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), `blksize=600`) {
		t.Errorf("blksize not lowered:\n%s", logs.String())
	}

	// A directory that cannot be opened is refused; uploads go on where
	// they went.
	if err := srv.Reconfigure(Config{UploadDir: filepath.Join(dir, "nonexistent")}); err == nil {
		t.Error("a missing upload directory was accepted")
	}
	if err := send("c.log", 10); err != nil {
		t.Errorf("upload after a refused Reconfigure: %v", err)
	}

	// The transfer cap.
	if err := srv.Reconfigure(Config{MaxTransfers: 1}); err != nil {
		t.Fatal(err)
	}
	release, r := srv.begin()
	if r != nil {
		t.Fatal(r)
	}
	if _, r := srv.begin(); !errors.Is(r, errBusy) {
		t.Errorf("second transfer over a cap of 1: %v", r)
	}
	srv.Reconfigure(Config{MaxTransfers: 2})
	release2, r := srv.begin()
	if r != nil {
		t.Errorf("second transfer under a cap of 2: %v", r)
	} else {
		release2()
	}
	release()
	if err := send("d.log", 10); err == nil {
		t.Error("an upload after upload_dir was removed")
	}
}
