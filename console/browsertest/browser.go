// Package browsertest drives a headless Chromium over the DevTools
// protocol, for tests: open a page, wait for it, evaluate JavaScript in
// it, click an element as a user would, take a screenshot. It needs
// Debian's chromium (or chromium-browser, google-chrome) on the PATH and
// nothing from the network.
package browsertest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/websocket"
)

// ErrNoChromium is returned by Start when no Chromium is installed.
var ErrNoChromium = errors.New("browsertest: chromium is not installed (Debian package chromium)")

// Browser is a running headless Chromium.
type Browser struct {
	cmd  *exec.Cmd
	dir  string // the profile directory, removed by Close
	conn *websocket.Conn

	mu       sync.Mutex
	next     int64
	pending  map[int64]chan message
	sessions map[string]*Page
	err      error // why the connection ended
	closed   chan struct{}
}

// message is a DevTools protocol message: a command's answer (ID) or an
// event (Method).
type message struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *protocolError  `json:"error,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
}

type protocolError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *protocolError) Error() string { return fmt.Sprintf("devtools: %s (%d)", e.Message, e.Code) }

// chromiumPath finds the browser.
func chromiumPath() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// Start starts a headless Chromium with a throwaway profile and connects
// to it. Close stops it.
func Start(ctx context.Context) (*Browser, error) {
	bin, err := chromiumPath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "browsertest-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--remote-debugging-port=0", "--remote-allow-origins=http://127.0.0.1",
		"--user-data-dir="+dir, "--no-first-run", "--no-default-browser-check",
		"--disable-extensions", "--disable-background-networking", "--disable-sync",
		"--disable-component-update", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
		"--password-store=basic", "--use-mock-keychain",
		"about:blank")
	// Its own process group, so that Close stops its helpers too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("browsertest: starting %s: %w", bin, err)
	}
	b := &Browser{cmd: cmd, dir: dir, pending: make(map[int64]chan message), sessions: make(map[string]*Page), closed: make(chan struct{})}
	// Chromium prints "DevTools listening on ws://…" once it listens.
	found := make(chan string, 1)
	var tail []string
	var tailMu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "DevTools listening on "); ok {
				select {
				case found <- strings.TrimSpace(rest):
				default:
				}
			}
			tailMu.Lock()
			if tail = append(tail, line); len(tail) > 20 {
				tail = tail[1:]
			}
			tailMu.Unlock()
		}
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	if wsURL == "" {
		b.kill()
		tailMu.Lock()
		defer tailMu.Unlock()
		return nil, fmt.Errorf("browsertest: chromium did not start:\n%s", strings.Join(tail, "\n"))
	}
	conn, err := websocket.Dial(wsURL, "", "http://127.0.0.1")
	if err != nil {
		b.kill()
		return nil, fmt.Errorf("browsertest: connecting to chromium: %w", err)
	}
	b.conn = conn
	go b.read()
	return b, nil
}

// read dispatches what the browser sends until the connection ends.
func (b *Browser) read() {
	var err error
	for {
		var m message
		if err = websocket.JSON.Receive(b.conn, &m); err != nil {
			break
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch := b.pending[m.ID]; ch != nil {
				delete(b.pending, m.ID)
				ch <- m
			}
		} else if p := b.sessions[m.SessionID]; p != nil {
			p.event(m)
		}
		b.mu.Unlock()
	}
	b.mu.Lock()
	b.err = fmt.Errorf("browsertest: connection to chromium lost: %w", err)
	for id, ch := range b.pending {
		close(ch)
		delete(b.pending, id)
	}
	b.mu.Unlock()
	close(b.closed)
}

// call sends a command (to a page when session is set) and decodes its
// result into out (when not nil).
func (b *Browser) call(ctx context.Context, session, method string, params, out any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan message, 1)
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return b.err
	}
	b.next++
	id := b.next
	b.pending[id] = ch
	b.mu.Unlock()
	if err := websocket.JSON.Send(b.conn, message{ID: id, Method: method, Params: raw, SessionID: session}); err != nil {
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("browsertest: %s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return b.err
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %w", method, m.Error)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("browsertest: %s: %w", method, ctx.Err())
	}
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() error {
	if b.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		b.call(ctx, "", "Browser.close", struct{}{}, nil)
		cancel()
		b.conn.Close()
	}
	b.kill()
	return nil
}

// kill stops chromium's process group and waits for it.
func (b *Browser) kill() {
	if b.cmd.Process != nil {
		syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		b.cmd.Wait()
	}
	os.RemoveAll(b.dir)
}
