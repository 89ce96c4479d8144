package aritest

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// websocketGUID is RFC 6455's key suffix.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// maxFrame bounds a client frame's payload.
const maxFrame = 64 << 10

// wsSession is one event websocket (struct ari_ws_session).
type wsSession struct {
	conn    net.Conn
	writeMu sync.Mutex
	apps    []string
}

// upgrade accepts an events websocket as res_http_websocket's
// ast_websocket_uri_cb and res_ari's websocket_attempted_cb do: the
// Upgrade header must say websocket (else 426), a requested subprotocol
// must include "ari", the version must be 7, 8 or 13 with a key (else 400
// with Sec-WebSocket-Version), and app must be given (else an HTML 400
// "HTTP request is missing param: [app]" followed by that 400, as
// Asterisk sends both). It reports whether the HTTP connection goes on.
func (s *Server) upgrade(conn net.Conn, br *bufio.Reader, bw *bufio.Writer, req *http.Request, rq *ariRequest, rec *Request) bool {
	badRequest := func() bool {
		rec.Status = 400
		s.record(*rec)
		s.writeHTTP(bw, "", 400, "Bad Request", "Sec-WebSocket-Version: 7, 8, 13\r\n", nil, false)
		return true
	}
	upgradeHdr := req.Header.Get("Upgrade")
	if !strings.EqualFold(upgradeHdr, "websocket") {
		rec.Status = 426
		s.record(*rec)
		s.writeHTMLError(bw, 426, "Upgrade Required", "", false)
		return true
	}
	protocol := ""
	if protos := req.Header.Get("Sec-WebSocket-Protocol"); protos != "" {
		for _, p := range strings.Split(protos, ",") {
			if strings.TrimSpace(p) == "ari" {
				protocol = "ari"
				break
			}
		}
		if protocol == "" {
			return badRequest()
		}
	}
	version, _ := strconv.Atoi(strings.TrimSpace(req.Header.Get("Sec-WebSocket-Version")))
	key := req.Header.Get("Sec-WebSocket-Key")
	if (version != 7 && version != 8 && version != 13) || key == "" {
		return badRequest()
	}
	appsParam, _ := findParam(rq.params, "app")
	if appsParam == "" {
		s.writeHTMLError(bw, 400, "Bad Request", "HTTP request is missing param: [app]", false)
		return badRequest()
	}
	var apps []string
	for _, a := range strings.Split(appsParam, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			s.writeHTMLError(bw, 500, "Internal Server Error", "Stasis app registration failed", false)
			return badRequest()
		}
		apps = append(apps, a)
	}
	all, _ := findParam(rq.params, "subscribeAll")

	sum := sha1.Sum([]byte(key + websocketGUID))
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + upgradeHdr +
		"\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n"
	if protocol != "" {
		resp += "Sec-WebSocket-Protocol: " + protocol + "\r\n"
	}
	ws := &wsSession{conn: conn, apps: apps}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	s.sockets[ws] = struct{}{}
	for _, name := range apps {
		s.apps[name] = &application{name: name, session: ws, subscribeAll: cstring.True(all)}
	}
	s.mu.Unlock()
	rec.Status = 101
	s.record(*rec)
	ws.writeMu.Lock()
	bw.WriteString(resp + "\r\n")
	err := bw.Flush()
	ws.writeMu.Unlock()
	if err == nil {
		ws.readLoop(br)
	}
	s.mu.Lock()
	delete(s.sockets, ws)
	for _, name := range apps {
		if a := s.apps[name]; a != nil && a.session == ws {
			delete(s.apps, name)
		}
	}
	s.mu.Unlock()
	return false
}

// readLoop reads client frames until the connection ends: a close frame
// is answered and ends the session, a ping gets a pong, text is ignored
// (the fake does not take REST requests over the websocket).
func (ws *wsSession) readLoop(br *bufio.Reader) {
	for {
		ws.conn.SetReadDeadline(time.Time{})
		opcode, payload, err := readFrame(br)
		if err != nil {
			return
		}
		switch opcode {
		case 0x8:
			ws.write(0x8, payload)
			return
		case 0x9:
			ws.write(0xA, payload)
		}
	}
}

// readFrame reads one client frame and unmasks it.
func readFrame(br *bufio.Reader) (opcode byte, payload []byte, err error) {
	var hdr [2]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return 0, nil, err
	}
	opcode = hdr[0] & 0x0f
	masked := hdr[1]&0x80 != 0
	n := uint64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > maxFrame {
		return 0, nil, errors.New("aritest: websocket frame too large")
	}
	var mask [4]byte
	if masked {
		if _, err := io.ReadFull(br, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(br, payload); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return opcode, payload, nil
}

// write sends one unmasked, final frame (ast_websocket_write).
func (ws *wsSession) write(opcode byte, payload []byte) error {
	frame := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		frame = append(frame, byte(n))
	case n <= 0xffff:
		frame = append(frame, 126, byte(n>>8), byte(n))
	default:
		frame = append(frame, 127)
		frame = binary.BigEndian.AppendUint64(frame, uint64(n))
	}
	frame = append(frame, payload...)
	ws.writeMu.Lock()
	defer ws.writeMu.Unlock()
	ws.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := ws.conn.Write(frame)
	return err
}
