package main

import (
	"bufio"
	"context"
	"io"
	"sync"
	"time"
)

// logWriter buffers log output and writes it out at least every interval
// and when the daemon stops: during a boot storm the audit log alone is a
// line per sensitive file, and a write system call each would cost more
// than serving the file.
type logWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func newLogWriter(w io.Writer) *logWriter {
	return &logWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// Write implements io.Writer.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Flush writes out what is buffered.
func (l *logWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Flush()
}

// flushEvery flushes every interval until ctx is done, then once more.
func (l *logWriter) flushEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.Flush()
			return
		case <-t.C:
			l.Flush()
		}
	}
}
