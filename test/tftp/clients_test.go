package tftp_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"

	pintftp "github.com/pin/tftp/v3"
)

// The real clients, and the Debian packages that install them.
const (
	hpaClient  = "/usr/bin/tftp"  // tftp-hpa
	atftpBin   = "/usr/bin/atftp" // atftp
	hpaServer  = "/usr/sbin/in.tftpd"
	hpaPackage = "tftp-hpa"
)

// needBinary skips the test when a client is not installed, naming the
// Debian package that installs it.
func needBinary(t testing.TB, path, pkg string) {
	t.Helper()
	if !haveBinary(path) {
		testtool.Missing(t, path+" (Debian package "+pkg+")")
	}
}

func haveBinary(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func splitAddr(t testing.TB, addr string) (host, port string) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}

// hpa runs tftp-hpa against addr with commands on its prompt and returns
// what it printed. Each command is a line such as "binary", "trace",
// "get name local".
func hpa(t testing.TB, addr string, commands ...string) string {
	t.Helper()
	needBinary(t, hpaClient, hpaPackage)
	host, port := splitAddr(t, addr)
	args := []string{"-l", "-4"}
	if strings.Contains(host, ":") {
		args[1] = "-6"
	}
	cmd := exec.Command(hpaClient, append(args, host, port)...)
	// tftp-hpa cuts a long command line: "get NAME LOCAL" may lose LOCAL
	// and write NAME into the working directory. Keep that in a temporary
	// one, never the package's.
	cmd.Dir = t.TempDir()
	cmd.Stdin = strings.NewReader(strings.Join(append([]string{"rexmt 1", "timeout 5"}, commands...), "\n") + "\nquit\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tftp-hpa: %v\n%s", err, out)
	}
	return string(out)
}

// hpaGet fetches remote in binary mode with tftp-hpa; data is nil when the
// file was not received.
func hpaGet(t testing.TB, addr, remote string) (data []byte, out string) {
	t.Helper()
	local := filepath.Join(t.TempDir(), "got")
	out = hpa(t, addr, "binary", "get "+remote+" "+local)
	return readIfReceived(t, local, out), out
}

// readIfReceived returns the local file's bytes unless the client said it
// failed (tftp-hpa leaves an empty file behind).
func readIfReceived(t testing.TB, local, out string) []byte {
	t.Helper()
	if strings.Contains(out, "Error code") || strings.Contains(out, "Transfer timed out") {
		return nil
	}
	data, err := os.ReadFile(local)
	if err != nil {
		return nil
	}
	return data
}

// atftp runs atftp with args before host and port; it returns the output
// and whether atftp reported success.
func atftp(t testing.TB, addr string, args ...string) (string, bool) {
	t.Helper()
	needBinary(t, atftpBin, "atftp")
	host, port := splitAddr(t, addr)
	cmd := exec.Command(atftpBin, append(append([]string{"--tftp-timeout", "1"}, args...), host, port)...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("atftp: %v", err)
	}
	return string(out), err == nil
}

// atftpGet fetches remote with atftp, asking for blksize and tsize, with
// packet tracing on.
func atftpGet(t testing.TB, addr, remote string, blksize int) (data []byte, out string) {
	t.Helper()
	local := filepath.Join(t.TempDir(), "got")
	out, ok := atftp(t, addr, "--trace", "--verbose",
		"--option", "blksize "+strconv.Itoa(blksize), "--option", "tsize 0",
		"-g", "-r", remote, "-l", local)
	if !ok {
		return nil, out
	}
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	return data, out
}

// pinGet fetches remote with github.com/pin/tftp's client.
func pinGet(addr, remote string, blksize int) ([]byte, error) {
	c, err := pintftp.NewClient(addr)
	if err != nil {
		return nil, err
	}
	c.SetTimeout(2 * time.Second)
	c.SetRetries(3)
	if blksize > 0 {
		c.SetBlockSize(blksize)
	}
	c.RequestTSize(true)
	wt, err := c.Receive(remote, "octet")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TFTP opcodes (RFC 1350 §5, RFC 2347).
const (
	opRRQ   = 1
	opWRQ   = 2
	opDATA  = 3
	opACK   = 4
	opERROR = 5
	opOACK  = 6
)

// packet is one datagram received by a raw client.
type packet struct {
	data []byte
	from *net.UDPAddr
}

func (p packet) op() uint16 { return binary.BigEndian.Uint16(p.data) }

// errorCode returns an ERROR packet's code and message.
func (p packet) errorCode() (int, string) {
	if len(p.data) < 4 || p.op() != opERROR {
		return -1, ""
	}
	return int(binary.BigEndian.Uint16(p.data[2:])), strings.TrimRight(string(p.data[4:]), "\x00")
}

// rawClient speaks TFTP packet by packet, to see exactly what the server
// sends first, or to stall a transfer.
type rawClient struct {
	t    testing.TB
	conn *net.UDPConn
	to   *net.UDPAddr
}

func newRawClient(t testing.TB, addr string) *rawClient {
	t.Helper()
	to, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: to.IP})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawClient{t: t, conn: conn, to: to}
}

// request sends an RRQ or WRQ for name in octet mode with the given
// option name/value pairs.
func (c *rawClient) request(op uint16, name string, opts ...string) {
	c.t.Helper()
	p := binary.BigEndian.AppendUint16(nil, op)
	for _, s := range append([]string{name, "octet"}, opts...) {
		p = append(append(p, s...), 0)
	}
	if _, err := c.conn.WriteToUDP(p, c.to); err != nil {
		c.t.Fatal(err)
	}
}

// receive waits up to d for a datagram; ok is false on timeout.
func (c *rawClient) receive(d time.Duration) (packet, bool) {
	c.t.Helper()
	buf := make([]byte, 65536)
	c.conn.SetReadDeadline(time.Now().Add(d))
	n, from, err := c.conn.ReadFromUDP(buf)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return packet{}, false
		}
		c.t.Fatal(err)
	}
	return packet{data: buf[:n], from: from}, true
}

// send sends a packet to addr (a transfer's port).
func (c *rawClient) send(to *net.UDPAddr, p []byte) {
	c.t.Helper()
	if _, err := c.conn.WriteToUDP(p, to); err != nil {
		c.t.Fatal(err)
	}
}

func ackPacket(block uint16) []byte {
	return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(nil, opACK), block)
}

func dataPacket(block uint16, data []byte) []byte {
	p := binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(nil, opDATA), block)
	return append(p, data...)
}

func errorPacket(code uint16, msg string) []byte {
	p := binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(nil, opERROR), code)
	return append(append(p, msg...), 0)
}
