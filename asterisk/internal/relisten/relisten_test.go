package relisten

import (
	"net"
	"testing"
	"time"
)

func TestListenWaitsForTheAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	// Busy now; free in 100 ms.
	go func() { time.Sleep(100 * time.Millisecond); ln.Close() }()
	again, err := Listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Addr().String() != addr {
		t.Errorf("listening on %s, want %s", again.Addr(), addr)
	}
}
