package fetch

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress is told what the cache does, for the administrator to see.
type Progress interface {
	// Cached says a file was found, verified, in the cache.
	Cached(name string)
	// Begin starts a download of size bytes, offset of them already
	// there (a resumed download).
	Begin(name, url string, size, offset int64) Task
}

// Task follows one download attempt.
type Task interface {
	// Add counts n more bytes received.
	Add(n int64)
	// Done ends the attempt; err is nil on success.
	Done(err error)
}

// Reporter writes progress to a writer: a redrawn bar with size, rate and
// time left when the writer is a terminal, plain lines (one per 10%)
// otherwise, e.g. in a journal.
type Reporter struct {
	w   io.Writer
	bar bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	mu  sync.Mutex
}

// NewReporter returns a Reporter for w, drawing a bar if w is a terminal.
func NewReporter(w io.Writer) *Reporter {
	r := &Reporter{w: w}
	if f, ok := w.(*os.File); ok {
		r.bar = isTerminal(f)
	}
	return r
}

// NewBarReporter returns a Reporter that draws a bar whatever w is.
func NewBarReporter(w io.Writer) *Reporter { return &Reporter{w: w, bar: true} }

func (r *Reporter) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Cached implements Progress.
func (r *Reporter) Cached(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.w, "%s: in the cache, checked\n", name)
}

// Begin implements Progress.
func (r *Reporter) Begin(name, url string, size, offset int64) Task {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &reportTask{r: r, name: name, size: size, done: offset, start: r.now(), offset: offset}
	if offset > 0 {
		fmt.Fprintf(r.w, "%s: resuming at %s of %s from %s\n", name, bytesString(offset), bytesString(size), url)
	} else {
		fmt.Fprintf(r.w, "%s: downloading %s from %s\n", name, bytesString(size), url)
	}
	t.lastStep = t.step()
	return t
}

type reportTask struct {
	r        *Reporter
	name     string
	size     int64
	offset   int64 // bytes there before this attempt
	done     int64
	start    time.Time
	lastDraw time.Time
	lastStep int64
}

// step is the number of tenths done.
func (t *reportTask) step() int64 {
	if t.size <= 0 {
		return 0
	}
	return t.done * 10 / t.size
}

func (t *reportTask) Add(n int64) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.done += n
	now := t.r.now()
	if t.r.bar {
		if now.Sub(t.lastDraw) >= 100*time.Millisecond || t.done == t.size {
			t.lastDraw = now
			fmt.Fprintf(t.r.w, "\r%s\x1b[K", t.line(now))
		}
		return
	}
	if s := t.step(); s > t.lastStep && s < 10 {
		t.lastStep = s
		fmt.Fprintf(t.r.w, "%s\n", t.line(now))
	}
}

func (t *reportTask) Done(err error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	now := t.r.now()
	if t.r.bar {
		fmt.Fprintf(t.r.w, "\r%s\x1b[K\n", t.line(now))
	}
	elapsed := now.Sub(t.start)
	switch {
	case err != nil:
		fmt.Fprintf(t.r.w, "%s: stopped at %s of %s: %v\n", t.name, bytesString(t.done), bytesString(t.size), err)
	default:
		fmt.Fprintf(t.r.w, "%s: %s in %s (%s/s), size and SHA-1 checked\n", t.name, bytesString(t.done-t.offset),
			elapsed.Round(100*time.Millisecond), bytesString(t.rate(elapsed)))
	}
}

func (t *reportTask) rate(elapsed time.Duration) int64 {
	if elapsed <= 0 {
		return 0
	}
	return int64(float64(t.done-t.offset) / elapsed.Seconds())
}

// line is "NAME  45% [=========>           ] 7.1 MiB/15.7 MiB  2.0 MiB/s  0:04 left".
func (t *reportTask) line(now time.Time) string {
	pct := int64(100)
	if t.size > 0 {
		pct = t.done * 100 / t.size
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %3d%%", t.name, pct)
	if t.r.bar {
		const width = 24
		fill := int(pct * width / 100)
		b.WriteString(" [")
		b.WriteString(strings.Repeat("=", fill))
		if fill < width {
			b.WriteString(">")
			b.WriteString(strings.Repeat(" ", width-fill-1))
		}
		b.WriteString("]")
	}
	fmt.Fprintf(&b, " %s/%s", bytesString(t.done), bytesString(t.size))
	elapsed := now.Sub(t.start)
	if rate := t.rate(elapsed); rate > 0 {
		fmt.Fprintf(&b, " %s/s", bytesString(rate))
		left := time.Duration(float64(t.size-t.done) / float64(rate) * float64(time.Second))
		fmt.Fprintf(&b, " %s left", clock(left))
	}
	return b.String()
}

// clock formats a duration as M:SS or H:MM:SS.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// bytesString formats a byte count in binary units: 512 B, 15.7 MiB.
func bytesString(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// BytesString formats a byte count as the progress lines do (15.7 MiB).
func BytesString(n int64) string { return bytesString(n) }

// discard is the Progress used when none is given.
type discard struct{}

func (discard) Cached(string) {}
func (discard) Begin(string, string, int64, int64) Task {
	return discardTask{}
}

type discardTask struct{}

func (discardTask) Add(int64)  {}
func (discardTask) Done(error) {}
