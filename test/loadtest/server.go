package loadtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// server is an HTTP server process the benchmark started: phoneprovd,
// nginx or the bare net/http program.
type server struct {
	name string
	base string // "http://127.0.0.1:port"
	cmd  *exec.Cmd
	// children: count child processes' memory too (nginx's workers).
	children bool
	output   *testlog.Buffer // standard output and error, the first maxOutput bytes
	exited   chan struct{}
	waitErr  error // set before exited is closed
}

// startServer starts path with args as a server answering on base. The
// process leads a process group of its own, so that stop also ends what
// it started, and is killed if the benchmark's thread dies first.
func startServer(name, base, path string, args ...string) (*server, error) {
	s := &server{name: name, base: base, output: &testlog.Buffer{Limit: maxOutput}, exited: make(chan struct{})}
	s.cmd = exec.Command(path, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// stopGrace is how long a server has to exit after SIGTERM.
const stopGrace = 10 * time.Second

// stop ends the server: SIGTERM to its process group, then SIGKILL if it
// has not exited within stopGrace. It is safe to call more than once.
func (s *server) stop() {
	pgid := s.cmd.Process.Pid
	select {
	case <-s.exited:
		return
	default:
	}
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(stopGrace):
		// The leader has not exited, so it still holds the group's id.
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.exited
	}
}

// peakRSS returns the server's peak resident set size in bytes.
func (s *server) peakRSS() (int64, error) {
	return peakRSS(s.cmd.Process.Pid, s.children)
}

// signal sends sig to the server process.
func (s *server) signal(sig os.Signal) error {
	return s.cmd.Process.Signal(sig)
}

// pollInterval is how often a server that does not answer yet is asked
// again: short, since it bounds the cold start's resolution.
const pollInterval = time.Millisecond

// waitOK asks for path until the server answers 200, and fails when ctx
// ends or the process exits first. A server that has bound its port but
// not started serving holds the request until it does.
func (s *server) waitOK(ctx context.Context, path string) error {
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	defer client.CloseIdleConnections()
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		last = err
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited (%v) before serving %s:\n%s", s.name, s.waitErr, path, s.output)
		case <-ctx.Done():
			return fmt.Errorf("%s does not serve %s: %w (last: %v)\n%s", s.name, path, ctx.Err(), last, s.output)
		case <-time.After(pollInterval):
		}
	}
}

// freeAddr returns a loopback address on a port the kernel just chose.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("choosing a port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// goBuild builds the Go package pkg (relative to the current directory)
// into the executable out.
func goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("go build %s: %w\n%s", pkg, err, stderr.Bytes())
		}
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

// maxOutput bounds what is kept of a process's output.
const maxOutput = 1 << 20
