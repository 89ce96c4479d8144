package loadtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// peakRSS returns the peak resident set size (VmHWM) of process pid in
// bytes; with children, the peaks of its child processes are added (nginx
// serves from worker processes its master starts). Pages shared between
// the processes are counted in each, so the sum is an upper bound.
func peakRSS(pid int, children bool) (int64, error) {
	return sumProcs(pid, children, "status", "peak RSS", func(status []byte) (int64, error) {
		kb, err := statusKB(status, "VmHWM")
		return kb << 10, err
	})
}

// cpuTicks returns the CPU time (user and system) process pid has used,
// in clock ticks (USER_HZ, 100 per second on Linux); with children, that
// of its child processes too (nginx's workers, which never exit).
func cpuTicks(pid int, children bool) (int64, error) {
	return sumProcs(pid, children, "stat", "CPU time", statCPU)
}

// sumProcs adds up what read finds in /proc/<pid>/<file> of process pid
// and, with children, of its child processes; what names the figure in
// errors.
func sumProcs(pid int, children bool, file, what string, read func([]byte) (int64, error)) (int64, error) {
	pids := []int{pid}
	if children {
		kids, err := childrenOf(pid)
		if err != nil {
			return 0, err
		}
		pids = append(pids, kids...)
	}
	var total int64
	for _, p := range pids {
		text, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p), file))
		if err != nil {
			return 0, fmt.Errorf("%s of %d: %w", what, p, err)
		}
		n, err := read(text)
		if err != nil {
			return 0, fmt.Errorf("%s of %d: %w", what, p, err)
		}
		total += n
	}
	return total, nil
}

// ticksPerSecond is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture's ABI.
const ticksPerSecond = 100

// childrenOf returns the processes whose parent is pid.
func childrenOf(pid int) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("children of %d: %w", pid, err)
	}
	var kids []int
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // it exited meanwhile
		}
		if ppid, err := statPPID(stat); err == nil && ppid == pid {
			kids = append(kids, p)
		}
	}
	return kids, nil
}

// errNoField is returned when /proc text lacks the field asked for.
var errNoField = errors.New("no such field")

// statusKB returns the value of key in the text of /proc/<pid>/status,
// whose lines read "VmHWM:	  123456 kB".
func statusKB(status []byte, key string) (int64, error) {
	for line := range bytes.Lines(status) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || string(name) != key {
			continue
		}
		fields := bytes.Fields(value)
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, fmt.Errorf("%s: %q is not a size in kB", key, bytes.TrimSpace(value))
		}
		kb, err := strconv.ParseInt(string(fields[0]), 10, 64)
		if err != nil || kb < 0 || kb > 1<<40 {
			return 0, fmt.Errorf("%s: %q is not a size in kB", key, fields[0])
		}
		return kb, nil
	}
	return 0, fmt.Errorf("%s: %w", key, errNoField)
}

// statFields returns the fields of /proc/<pid>/stat text after the
// command name, which may hold spaces and parentheses: those after the
// last ')', the first being the state (field 3 of proc(5)).
func statFields(stat []byte) ([][]byte, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, fmt.Errorf("stat %q: no command name", stat)
	}
	return bytes.Fields(stat[i+1:]), nil
}

// statPPID returns the parent process id from the text of
// /proc/<pid>/stat: "pid (comm) state ppid ...".
func statPPID(stat []byte) (int, error) {
	fields, err := statFields(stat)
	if err != nil {
		return 0, err
	}
	if len(fields) < 2 {
		return 0, fmt.Errorf("ppid: %w", errNoField)
	}
	ppid, err := strconv.Atoi(string(fields[1]))
	if err != nil || ppid < 0 {
		return 0, fmt.Errorf("ppid %q is not a process id", fields[1])
	}
	return ppid, nil
}

// statCPU returns utime + stime, fields 14 and 15 of /proc/<pid>/stat
// text.
func statCPU(stat []byte) (int64, error) {
	fields, err := statFields(stat)
	if err != nil {
		return 0, err
	}
	if len(fields) < 13 {
		return 0, fmt.Errorf("utime, stime: %w", errNoField)
	}
	var total int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil || n < 0 || n > 1<<50 {
			return 0, fmt.Errorf("CPU time %q is not a count of ticks", f)
		}
		total += n
	}
	return total, nil
}
