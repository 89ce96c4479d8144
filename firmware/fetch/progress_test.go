package fetch

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func TestReporterLines(t *testing.T) {
	var out bytes.Buffer
	r := &Reporter{w: &out, Now: fakeClock(time.Second)}
	task := r.Begin("fw.rom", "http://h/fw.rom", 10<<20, 0)
	for i := 0; i < 20; i++ {
		task.Add(512 << 10)
	}
	task.Done(nil)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// A header, one line per tenth from 10% to 90%, the summary.
	if len(lines) != 11 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	if lines[0] != "fw.rom: downloading 10.0 MiB from http://h/fw.rom" {
		t.Errorf("first line %q", lines[0])
	}
	// After 2 reads (1 MiB) in 2 s: 512 KiB/s, 9 MiB left = 0:18.
	if lines[1] != "fw.rom  10% 1.0 MiB/10.0 MiB 512.0 KiB/s 0:18 left" {
		t.Errorf("progress line %q", lines[1])
	}
	if lines[10] != "fw.rom: 10.0 MiB in 21s (487.6 KiB/s), size and SHA-1 checked" {
		t.Errorf("summary %q", lines[10])
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("plain output has carriage returns")
	}
}

func TestReporterBar(t *testing.T) {
	var out bytes.Buffer
	r := NewBarReporter(&out)
	r.Now = fakeClock(time.Second)
	task := r.Begin("fw.rom", "http://h/fw.rom", 4<<20, 1<<20)
	task.Add(1 << 20)
	task.Done(errors.New("connection reset"))
	s := out.String()
	if !strings.HasPrefix(s, "fw.rom: resuming at 1.0 MiB of 4.0 MiB from http://h/fw.rom\n") {
		t.Errorf("header: %q", s)
	}
	if !strings.Contains(s, "\rfw.rom  50% [============>           ] 2.0 MiB/4.0 MiB 1.0 MiB/s 0:02 left\x1b[K") {
		t.Errorf("bar: %q", s)
	}
	if !strings.HasSuffix(s, "fw.rom: stopped at 2.0 MiB of 4.0 MiB: connection reset\n") {
		t.Errorf("end: %q", s)
	}
}

func TestNewReporterDetectsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if NewReporter(f).bar {
		t.Error("a regular file is taken for a terminal")
	}
	if NewReporter(&bytes.Buffer{}).bar {
		t.Error("a buffer is taken for a terminal")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !NewReporter(tty).bar {
			t.Error("/dev/tty is not taken for a terminal")
		}
	}
}

func TestBytesString(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 16480816: "15.7 MiB", 699497760: "667.1 MiB", 3 << 30: "3.0 GiB"} {
		if got := bytesString(n); got != want {
			t.Errorf("bytesString(%d) = %q, want %q", n, got, want)
		}
	}
}
