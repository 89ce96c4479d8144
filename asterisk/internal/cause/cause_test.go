package cause

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

var errAuth = errors.New("auth failed")

func TestOf(t *testing.T) {
	// A port nobody listens on.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, refused := net.Dial("tcp", addr)

	// A server that accepts and never answers: a read deadline passes.
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	c, err := net.Dial("tcp", silent.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, silentErr := c.Read(make([]byte, 1))

	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()

	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("ami: login to x as %q: %w: Authentication failed", "u", errAuth), AuthFailed},
		{fmt.Errorf("ami: connect to %s: %w", addr, refused), Refused},
		{fmt.Errorf("ami: banner: %w", silentErr), Timeout},
		{fmt.Errorf("ami: connect: %w", ctx.Err()), Timeout},
		{fmt.Errorf("ami: read: %w", io.EOF), ConnectionLost},
		{&net.DNSError{Err: "no such host", Name: "pbx.invalid", IsNotFound: true}, DNS},
		{errors.New("something else"), Other},
	} {
		if got := Of(tc.err, errAuth, nil); got != tc.want {
			t.Errorf("Of(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
