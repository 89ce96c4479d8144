package aritest

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// goldenStart is the startup and reload time of the captured Asterisk.
var goldenStart = time.Date(2026, 11, 22, 7, 17, 40, 580e6, time.UTC)

// newGoldenServer returns a fake configured like the Asterisk of the golden
// captures (golden/configs/etc-asterisk): ARI user phoneprov, PJSIP
// endpoint 7001 (online, auth 7001, transport transport-udp), chan_sip
// peers 6001 (unknown) and 6002 (online, registered).
func newGoldenServer(t *testing.T) *Server {
	t.Helper()
	srv := NewServer(Options{StartupTime: goldenStart})
	t.Cleanup(srv.Close)
	srv.AddUser("phoneprov", "phoneprov")
	srv.AddTransport(Transport{Name: "transport-udp", Protocol: "udp", Bind: "127.0.0.1:5062"})
	srv.AddAuth(Auth{Name: "7001", Username: "7001", Password: "s3cret7001"})
	srv.AddEndpoint(Endpoint{Name: "7001", Transport: "transport-udp", Context: "default",
		Callerid: `"Carol Pjsip" <7001>`, Auths: []string{"7001"}, Aors: []string{"7001"}, State: StateOnline})
	srv.AddSIPPeer("6001", StateUnknown)
	srv.AddSIPPeer("6002", StateOnline)
	return srv
}

// rawConn is an HTTP client that works on bytes.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

// dialRaw connects to srv.
func dialRaw(t *testing.T, srv *Server) *rawConn {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatalf("dial %s: %v", srv.Addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawConn{t: t, conn: conn, br: bufio.NewReader(conn)}
}

// basic returns an Authorization header line.
func basic(user, password string) string {
	return "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password)) + "\r\n"
}

// send writes a request with the given extra header lines.
func (rc *rawConn) send(method, target, headers string) {
	rc.t.Helper()
	req := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", method, target, headers)
	if _, err := io.WriteString(rc.conn, req); err != nil {
		rc.t.Fatalf("write: %v", err)
	}
}

// response reads one response: the head up to and including the empty
// line, and Content-Length bytes of body (none when noBody).
func (rc *rawConn) response(noBody bool) (head, body string) {
	rc.t.Helper()
	rc.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	length := 0
	for {
		line, err := rc.br.ReadString('\n')
		if err != nil {
			rc.t.Fatalf("read head (got %q): %v", b.String()+line, err)
		}
		b.WriteString(line)
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
		if line == "\r\n" {
			break
		}
	}
	if noBody {
		return b.String(), ""
	}
	buf := make([]byte, length)
	if _, err := io.ReadFull(rc.br, buf); err != nil {
		rc.t.Fatalf("read body: %v", err)
	}
	return b.String(), string(buf)
}

// do sends a request and reads its response.
func (rc *rawConn) do(method, target, headers string) (head, body string) {
	rc.t.Helper()
	rc.send(method, target, headers)
	return rc.response(method == "HEAD")
}

// dateLine matches the Date header, which differs run to run.
var dateLine = regexp.MustCompile(`(?m)^Date: [^\r]*\r$`)

// maskDate replaces the Date header's value.
func maskDate(head string) string {
	return dateLine.ReplaceAllString(head, "Date: <varies>\r")
}

// readGolden reads a golden file from ../shared/asterisk/golden beside the repository.
func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../../shared/asterisk/golden/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
