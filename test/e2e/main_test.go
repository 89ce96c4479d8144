// Package e2e runs the phoneprovd binary as an administrator would and
// checks what it prints and serves over real sockets, with real clients.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// binary is the phoneprovd built for this test run.
var binary string

const golden = "../../../shared/asterisk/golden"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "phoneprovd-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "phoneprovd")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "../../cmd/phoneprovd")...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building phoneprovd:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// run runs phoneprovd with args and stdin, and waits.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// goldenDirs returns the golden config dir and a data dir whose phoneprov/
// is the golden templates.
func goldenDirs(t *testing.T) (conf, data string) {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join(golden, "configs/phoneprov-templates"))
	if err != nil {
		t.Fatal(err)
	}
	data = t.TempDir()
	if err := os.Symlink(abs, filepath.Join(data, "phoneprov")); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(golden, "configs/etc-asterisk"), data
}

// writeFiles writes files (relative path → content) under root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// daemon is a running `phoneprovd serve`.
type daemon struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	http   string
	admin  string
}

// syncBuffer is a buffer the daemon's output goroutine and the test can
// use at once.
type syncBuffer = testlog.Buffer

// startDaemon starts phoneprovd serve, its state in a temporary
// directory, and waits until it answers HTTP.
func startDaemon(t *testing.T, args ...string) *daemon {
	t.Helper()
	return startIn(t, nil, append([]string{"-state-dir", t.TempDir()}, args...)...)
}

func (d *daemon) url(path string) string { return "http://" + d.http + path }

// curl runs the real curl client and returns its stdout.
func curl(t *testing.T, args ...string) string {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		testtool.Missing(t, "curl (Debian package curl)")
	}
	out, err := exec.Command(path, append([]string{"-sS"}, args...)...).Output()
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	return string(out)
}
