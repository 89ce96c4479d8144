package amitest

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// rawConn is a manager client that works on bytes, to check the fake's
// output exactly.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

// dialRaw connects to srv and reads the banner.
func dialRaw(t *testing.T, srv *Server) (*rawConn, string) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatalf("dial %s: %v", srv.Addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	rc := &rawConn{t: t, conn: conn, br: bufio.NewReader(conn)}
	banner := rc.line()
	return rc, banner
}

// send writes bytes as they are.
func (rc *rawConn) send(s string) {
	rc.t.Helper()
	if _, err := io.WriteString(rc.conn, s); err != nil {
		rc.t.Fatalf("write: %v", err)
	}
}

// line reads one line, terminator included.
func (rc *rawConn) line() string {
	rc.t.Helper()
	rc.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := rc.br.ReadString('\n')
	if err != nil {
		rc.t.Fatalf("read line (got %q so far): %v", l, err)
	}
	return l
}

// message reads bytes up to and including the next empty line ("\r\n").
func (rc *rawConn) message() string {
	rc.t.Helper()
	var b strings.Builder
	for {
		l := rc.line()
		b.WriteString(l)
		if l == "\r\n" {
			return b.String()
		}
	}
}

// messages reads n messages.
func (rc *rawConn) messages(n int) string {
	rc.t.Helper()
	var b strings.Builder
	for range n {
		b.WriteString(rc.message())
	}
	return b.String()
}

// expectEOF checks that the server closes the connection with nothing more
// to say.
func (rc *rawConn) expectEOF() {
	rc.t.Helper()
	rc.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	rest, err := io.ReadAll(rc.br)
	if err != nil && !errors.Is(err, net.ErrClosed) && !isReset(err) {
		rc.t.Fatalf("want EOF, got %v after %q", err, rest)
	}
	if len(rest) > 0 {
		rc.t.Fatalf("want EOF, got more bytes: %q", rest)
	}
}

// expectSilence checks that nothing arrives for a short while.
func (rc *rawConn) expectSilence() {
	rc.t.Helper()
	rc.conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	b, err := rc.br.ReadByte()
	var ne net.Error
	if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		rc.t.Fatalf("want silence, got byte %q, err %v", b, err)
	}
}

// isReset reports a connection reset, which a close with unread input
// causes.
func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// login logs in with Events: off and checks the reply.
func (rc *rawConn) login(user, secret string) {
	rc.t.Helper()
	rc.send("Action: Login\r\nUsername: " + user + "\r\nSecret: " + secret + "\r\nEvents: off\r\n\r\n")
	want := "Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
	if got := rc.message(); got != want {
		rc.t.Fatalf("login: got %q, want %q", got, want)
	}
}

// newGoldenServer returns a fake configured like the Asterisk of the golden
// captures (golden/configs/etc-asterisk): manager user phoneprov, PJSIP
// endpoint 7001 with a static contact, chan_sip peers 6001 (static) and
// 6002 (dynamic, registered from 127.0.0.1:5072 with userAgent).
func newGoldenServer(t *testing.T, opts Options, userAgent string) *Server {
	t.Helper()
	srv := NewServer(opts)
	t.Cleanup(srv.Close)
	srv.AddUser("phoneprov", "phoneprov")
	srv.AddTransport(Transport{Name: "transport-udp", Protocol: "udp", Bind: "127.0.0.1:5062"})
	srv.AddEndpoint(Endpoint{
		Name: "7001", Transport: "transport-udp", Context: "default",
		Callerid: `"Carol Pjsip" <7001>`, Auths: []string{"7001"}, Aors: []string{"7001"},
	})
	srv.AddAuth(Auth{Name: "7001", Username: "7001", Password: "s3cret7001"})
	srv.AddAOR(AOR{Name: "7001", MaxContacts: 1})
	srv.AddContact(Contact{AOR: "7001", URI: "sip:7001@127.0.0.1:5073", Static: true})
	srv.AddPeer(Peer{Name: "6001", Host: "127.0.0.1", Port: 5071, Secret: "s3cret6001",
		Callerid: `"Alice Example" <6001>`})
	srv.AddPeer(Peer{Name: "6002", Secret: "s3cret6002", Callerid: `"Bob Example" <6002>`,
		Addr: "127.0.0.1:5072", UserAgent: userAgent, RegContact: "sip:6002@127.0.0.1:5072;transport=UDP",
		DefaultUsername: "6002", RegExpires: time.Now().Add(303 * time.Second)})
	return srv
}

// readGolden reads a golden transcript from ../shared/asterisk/golden beside the repository.
func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../../shared/asterisk/golden/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
