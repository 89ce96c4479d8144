package tftpserver

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"
)

func TestErrorPacket(t *testing.T) {
	// RFC 1350 §5: opcode 5, the code, the message, a NUL.
	tests := []struct {
		code uint16
		msg  string
		want []byte
	}{
		{1, "File not found", []byte("\x00\x05\x00\x01File not found\x00")},
		{0, "", []byte("\x00\x05\x00\x00\x00")},
		{3, "x", []byte("\x00\x05\x00\x03x\x00")},
	}
	for _, tt := range tests {
		if got := errorPacket(tt.code, tt.msg); !bytes.Equal(got, tt.want) {
			t.Errorf("errorPacket(%d, %q) = %q", tt.code, tt.msg, got)
		}
	}
	// The packet fits in the 516 bytes every client reads.
	if got := errorPacket(0, strings.Repeat("m", 2000)); len(got) != 516 || got[515] != 0 {
		t.Errorf("long message: %d bytes", len(got))
	}
}

func TestRefusalCodes(t *testing.T) {
	// RFC 1350 §5 codes: 1 only where the file really is not there, so a
	// phone falls back to its next file only then.
	tests := []struct {
		r    *refusal
		code uint16
	}{
		{errNotFound, 1},
		{errBusy, 0},
		{errShuttingDown, 0},
		{errNotLoaded, 0},
		{errInternal, 0},
		{errWriteDisabled, 2},
		{errBadName, 2},
		{errBeingWritten, 2},
		{errCannotWrite, 2},
		{errUploadTooLarge, 3},
	}
	for _, tt := range tests {
		if tt.r.code != tt.code {
			t.Errorf("%q: code %d, want %d", tt.r.msg, tt.r.code, tt.code)
		}
	}
}

func TestRefusalSend(t *testing.T) {
	client, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	remote := client.LocalAddr().(*net.UDPAddr)
	local := net.IPv4(127, 0, 0, 1)

	// A refusal other than "not found" reaches the client itself, from
	// the local address the request reached.
	if err := errBusy.send(local, remote); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 600)
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := client.ReadFromUDP(buf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf[:n], errorPacket(0, "Server busy")) || !from.IP.Equal(local) {
		t.Errorf("got %q from %v", buf[:n], from)
	}
	// "Not found" is left to the engine, whose own packet is right.
	if err := errNotFound.send(local, remote); err != nil {
		t.Fatal(err)
	}
	client.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _, err := client.ReadFromUDP(buf); err == nil {
		t.Errorf("not found sent %q", buf[:n])
	}
}
