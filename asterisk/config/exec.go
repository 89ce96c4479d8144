package config

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// execCommandMax is the longest #exec command Asterisk accepts: it formats
// "<command> 2>&1 > /var/tmp/exec.<sec><usec>.<thread>" into a 1024-byte
// buffer. The temporary name is taken at a typical 45 bytes.
const execCommandMax = 1023 - len(" 2>&1 > ") - 45

// execResult is what an #exec command did.
type execResult struct {
	output   []byte // what the command line redirected into the output file
	exists   bool   // whether the output file was created at all
	logged   []byte // what reached the pipe (standard error, earlier commands), at most maxExecStderr bytes
	exitCode int    // -1 when killed by a signal
	overflow bool   // the output exceeded its limit
	timedOut bool   // the command ran longer than execTimeout
}

// runExec runs an #exec command the way handle_include_exec does:
// /bin/sh -c "<command> 2>&1 > <output file>", so that the redirections
// apply to the last simple command of the line only. What the shell writes
// to its own standard output and error is kept as log text. At most
// maxOutput bytes of the output file are read. err is set when the command
// could not be run at all.
func runExec(command string, maxOutput int64) (execResult, error) {
	if len(command) > execCommandMax {
		return execResult{}, fmt.Errorf("command longer than the %d bytes Asterisk accepts", execCommandMax)
	}
	dir, err := os.MkdirTemp("", "config-exec-")
	if err != nil {
		return execResult{}, fmt.Errorf("creating a directory for the output: %w", err)
	}
	defer os.RemoveAll(dir)
	outFile := filepath.Join(dir, "output")

	ctx, cancel := context.WithTimeout(context.Background(), execTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command+" 2>&1 > "+outFile)
	logged := &cappedBuffer{max: maxExecStderr}
	cmd.Stdout, cmd.Stderr = logged, logged
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	res := execResult{logged: logged.buf}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		res.timedOut = true
		return res, nil
	case errors.As(err, &exit):
		res.exitCode = exit.ExitCode()
	case err != nil:
		return res, err
	}
	res.output, res.exists, res.overflow, err = readOutput(outFile, maxOutput)
	return res, err
}

// readOutput reads at most max bytes of the command's output file.
func readOutput(name string, max int64) (data []byte, exists, overflow bool, err error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, false, nil
	}
	if err != nil {
		return nil, false, false, fmt.Errorf("reading the output: %w", err)
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, true, false, fmt.Errorf("reading the output: %w", err)
	}
	if int64(len(data)) > max {
		return nil, true, true, nil
	}
	return data, true, false, nil
}

// cappedBuffer keeps at most max bytes written to it and drops the rest.
type cappedBuffer struct {
	buf []byte
	max int
}

// Write implements io.Writer.
func (b *cappedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := b.max - len(b.buf); n > room {
		p = p[:max(room, 0)]
	}
	b.buf = append(b.buf, p...)
	return n, nil
}

// logText returns the command's log text as one trimmed line.
func (r execResult) logText() string {
	return strings.Join(strings.Fields(string(r.logged)), " ")
}
