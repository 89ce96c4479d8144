package loadtest

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

const sampleStatus = `Name:	phoneprovd
Umask:	0022
State:	S (sleeping)
Pid:	4242
PPid:	4200
VmPeak:	 1285044 kB
VmSize:	 1285044 kB
VmHWM:	   98312 kB
VmRSS:	   61240 kB
Threads:	9
`

// TestStatusKB reads sizes from /proc/<pid>/status text (proc(5)).
func TestStatusKB(t *testing.T) {
	tests := []struct {
		status, key string
		want        int64
		wantErr     bool
	}{
		{sampleStatus, "VmHWM", 98312, false},
		{sampleStatus, "VmRSS", 61240, false},
		{sampleStatus, "VmSwap", 0, true},      // absent
		{sampleStatus, "Threads", 0, true},     // not a size
		{"VmHWM:\t12 MB\n", "VmHWM", 0, true},  // not kB
		{"VmHWM:\t-12 kB\n", "VmHWM", 0, true}, // negative
		{"VmHWM:\t12 kB", "VmHWM", 12, false},  // no final newline
		{"XVmHWM:\t12 kB\n", "VmHWM", 0, true}, // only whole names
		{"VmHWM:\t1 2 kB\n", "VmHWM", 0, true}, // extra field
		{"VmHWM 12 kB\n", "VmHWM", 0, true},    // no colon
		{"VmHWM:\t99999999999999999999 kB\n", "VmHWM", 0, true},
	}
	for _, tt := range tests {
		got, err := statusKB([]byte(tt.status), tt.key)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%s in %q: %d, %v; want %d, error %v", tt.key, tt.status, got, err, tt.want, tt.wantErr)
		}
	}
	if _, err := statusKB([]byte(sampleStatus), "VmSwap"); !errors.Is(err, errNoField) {
		t.Errorf("absent key: %v, want errNoField", err)
	}
}

// TestStatPPID reads the parent from /proc/<pid>/stat text, whose command
// name may hold spaces and parentheses (proc(5)).
func TestStatPPID(t *testing.T) {
	tests := []struct {
		stat    string
		want    int
		wantErr bool
	}{
		{"4242 (phoneprovd) S 4200 4242 4200 0 -1", 4200, false},
		{"4242 (nginx: worker) S 1 4242", 1, false},
		{"4242 (a) b) S) R 77 1", 77, false},
		{"4242 (x)", 0, true},
		{"4242 (x) S", 0, true},
		{"4242 (x) S abc", 0, true},
		{"4242 x S 1", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := statPPID([]byte(tt.stat))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%q: %d, %v; want %d, error %v", tt.stat, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestStatCPU reads utime + stime from /proc/<pid>/stat text (proc(5)).
func TestStatCPU(t *testing.T) {
	const rest = " S 4200 4242 4200 0 -1 4194560 1234 0 5 0 250 75 0 0 20 0 9 0"
	tests := []struct {
		stat    string
		want    int64
		wantErr bool
	}{
		{"4242 (phoneprovd)" + rest, 325, false},
		{"4242 (a) b)" + rest, 325, false},
		{"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11", 0, true}, // too short
		{"4242 (x) S 1 2 3 4 5 6 7 8 9 10 -1 2", 0, true},
		{"4242 (x) S 1 2 3 4 5 6 7 8 9 10 1 x", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := statCPU([]byte(tt.stat))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%q: %d, %v; want %d, error %v", tt.stat, got, err, tt.want, tt.wantErr)
		}
	}
	// This process has used some CPU, and the figure does not go back.
	busy := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(busy) {
	}
	a, err := cpuTicks(os.Getpid(), false)
	if err != nil || a <= 0 {
		t.Fatalf("own CPU time: %d, %v", a, err)
	}
	if b, err := cpuTicks(os.Getpid(), true); err != nil || b < a {
		t.Errorf("with children %d (%v), without %d", b, err, a)
	}
}

// TestPeakRSS reads the real files: this process has a peak, and a child
// it starts is found among its children and counted.
func TestPeakRSS(t *testing.T) {
	self, err := peakRSS(os.Getpid(), false)
	if err != nil || self <= 0 {
		t.Fatalf("own peak RSS: %d, %v", self, err)
	}
	cmd := exec.Command(testtool.Need(t, "sleep", "coreutils"), "30")
	if err := cmd.Start(); err != nil {
		t.Fatal("cannot start sleep:", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	kids, err := childrenOf(os.Getpid())
	if err != nil || !slices.Contains(kids, cmd.Process.Pid) {
		t.Fatalf("children %v (%v) lack sleep %d", kids, err, cmd.Process.Pid)
	}
	with, err := peakRSS(os.Getpid(), true)
	if err != nil || with <= self {
		t.Errorf("peak RSS with children %d (%v), without %d", with, err, self)
	}
}

// FuzzProcText feeds arbitrary text to the /proc parsers: they must not
// panic, and what they accept must be in range.
func FuzzProcText(f *testing.F) {
	f.Add([]byte(sampleStatus))
	f.Add([]byte("4242 (nginx: worker) S 1 4242"))
	f.Add([]byte("VmHWM:\t12 kB"))
	f.Add([]byte("1 ()) ) 2 3"))
	f.Fuzz(func(t *testing.T, text []byte) {
		if kb, err := statusKB(text, "VmHWM"); err == nil && (kb < 0 || kb > 1<<40) {
			t.Errorf("VmHWM %d out of range", kb)
		}
		if ppid, err := statPPID(text); err == nil && ppid < 0 {
			t.Errorf("ppid %d", ppid)
		}
		if n, err := statCPU(text); err == nil && (n < 0 || n > 1<<51) {
			t.Errorf("CPU ticks %d out of range", n)
		}
	})
}
