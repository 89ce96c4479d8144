// Package testlog is for tests: a buffer that code under test can log to
// (or a child process print to) from any goroutine while the test reads it,
// and a debug-level JSON logger writing to it, so that tests can assert on
// what was logged and that no secret was.
package testlog

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// Buffer is a bytes.Buffer safe for concurrent use. The zero value is
// ready to use.
type Buffer struct {
	// Limit, when positive, bounds what is kept: what is written past it
	// is reported as written and dropped.
	Limit int

	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Limit > 0 {
		b.buf.Write(p[:min(len(p), max(b.Limit-b.buf.Len(), 0))])
		return len(p), nil
	}
	return b.buf.Write(p)
}

// String returns what was written (up to Limit).
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len returns the number of bytes kept.
func (b *Buffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// Logger returns a logger writing JSON lines at debug level, the most
// verbose phoneprovd has, to b.
func (b *Buffer) Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// NoSecrets reports a test error for each of secrets (SIP passwords, AMI
// and ARI credentials) that appears in what was written.
func (b *Buffer) NoSecrets(t testing.TB, secrets ...string) {
	t.Helper()
	out := b.String()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("secret %q appears in the logs:\n%s", s, out)
		}
	}
}
