package aritest

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds a request body the fake reads.
const maxBody = 64 << 10

// reply is an ARI response before encoding (struct ast_ari_response).
type reply struct {
	status  int
	title   string
	headers string // extra header lines, each ending in CRLF
	message any    // the JSON body; nil sends no body and no Content-type
}

// errorReply is ast_ari_response_error: {"message": text}.
func errorReply(status int, title, text string) reply {
	return reply{status: status, title: title, message: object{{"message", text}}}
}

// okReply is ast_ari_response_ok.
func okReply(message any) reply {
	return reply{status: 200, title: "OK", message: message}
}

// ariRequest is an authenticated ARI request being routed.
type ariRequest struct {
	method   string // upper-case; "" for a method Asterisk does not know
	params   []param
	pathVars map[string]string
	header   http.Header
	body     any // decoded JSON body, or nil
	user     string
}

// handle answers one request and reports whether the connection stays
// open. A websocket upgrade takes the connection over and returns false.
func (s *Server) handle(conn net.Conn, br *bufio.Reader, bw *bufio.Writer, req *http.Request) bool {
	rec := Request{Method: req.Method, Time: time.Now()}
	rawPath, rawQuery, _ := strings.Cut(req.RequestURI, "?")
	rec.Path, rec.Query = rawPath, redactAPIKey(rawQuery)
	closeAfter := strings.EqualFold(req.Header.Get("Connection"), "close")
	method := httpMethod(req.Method)

	body, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	if err != nil {
		return false
	}
	if len(body) > maxBody {
		closeAfter = true
	}

	uri, ok := ariURI(rawPath)
	if !ok {
		rec.Status = 404
		s.record(rec)
		s.writeHTMLError(bw, 404, "Not Found", "The requested URL was not found on this server.", closeAfter)
		return !closeAfter
	}
	if !s.waitDelay() {
		return false
	}

	params := parseQuery(rawQuery)
	user, password, hasCreds := credentials(req.Header, params)
	rec.User = user
	rq := &ariRequest{method: method, params: params, header: req.Header, user: user}

	var rp reply
	switch {
	case len(body) > maxBody:
		rp = errorReply(413, "Request Entity Too Large", "Request body too large")
	case !s.validUser(user, password, hasCreds):
		rp = errorReply(401, "Unauthorized", "Authentication required")
		rp.headers = fmt.Sprintf("WWW-Authenticate: Basic realm=%q\r\n", s.opts.AuthRealm)
	default:
		if rq.body, err = decodeBody(req.Header, body); err != nil {
			rp = errorReply(400, "Bad Request", "Error parsing request body")
			break
		}
		var upgrade *route
		rp, upgrade = s.invoke(rq, uri)
		if upgrade != nil {
			return s.upgrade(conn, br, bw, req, rq, &rec)
		}
	}
	rec.Status = rp.status
	s.record(rec)
	s.writeReply(bw, method, rp, closeAfter)
	return !closeAfter
}

// waitDelay sleeps for the configured response delay; it returns false
// when the server closed meanwhile.
func (s *Server) waitDelay() bool {
	d := s.responseDelay()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.quit:
		return false
	}
}

// httpMethod maps a request method as main/http.c does (case-insensitive);
// any other method is "" (AST_HTTP_UNKNOWN).
func httpMethod(m string) string {
	switch m := strings.ToUpper(m); m {
	case "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS":
		return m
	}
	return ""
}

// ariURI returns the part of a request path after "/ari/" that res_ari
// receives, as main/http.c handle_uri matches the "ari" handler
// (case-insensitively, with no http.conf prefix). It is not decoded yet:
// res_ari decodes each path segment itself (no_decode_uri).
func ariURI(path string) (string, bool) {
	if !strings.HasPrefix(path, "/") || len(path) < 4 || !strings.EqualFold(path[1:4], "ari") {
		return "", false
	}
	rest := path[4:]
	switch {
	case rest == "":
		return "", true
	case rest[0] == '/':
		return rest[1:], true
	}
	return "", false
}

// credentials extracts a user name and password as res_ari's
// authenticate_user does: HTTP Basic first (ast_http_get_auth: an
// "Authorization: Basic" header, decoded into at most 255 bytes and split
// at the first ':'), else the first api_key query parameter ("user:pass",
// only when the password part is not empty).
func credentials(h http.Header, params []param) (user, password string, ok bool) {
	for _, v := range h.Values("Authorization") {
		enc, found := strings.CutPrefix(v, "Basic ")
		if !found {
			continue
		}
		dec := base64Decode(enc)
		if len(dec) > 255 {
			dec = dec[:255]
		}
		if u, p, colon := strings.Cut(string(dec), ":"); colon {
			return u, p, true
		}
		break
	}
	if key, found := findParam(params, "api_key"); found && key != "" {
		if u, p, colon := strings.Cut(key, ":"); colon && p != "" {
			return u, p, true
		}
		return "", "", false
	}
	return "", "", false
}

// base64Decode decodes standard base64 leniently, as ast_base64decode
// does: padding is optional and decoding stops at the first byte outside
// the alphabet.
func base64Decode(s string) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	end := 0
	for end < len(s) && strings.IndexByte(alphabet, s[end]) >= 0 {
		end++
	}
	if end%4 == 1 {
		end-- // a lone sixth of a byte decodes to nothing
	}
	out, _ := base64.RawStdEncoding.DecodeString(s[:end])
	return out
}

// validUser checks credentials against the ari.conf users
// (ari_conf_validate_user: both parts must be non-empty, plain password).
func (s *Server) validUser(name, password string, ok bool) bool {
	if !ok || name == "" || password == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, found := s.users[name]
	return found && u.password == password
}

// readOnly reports whether a user has read_only = yes.
func (s *Server) readOnly(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[name].readOnly
}

// decodeBody parses a JSON request body (ast_http_get_json reads one only
// for Content-Type application/json); other bodies are ignored.
func decodeBody(h http.Header, body []byte) (any, error) {
	if len(body) == 0 {
		return nil, nil
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || !strings.EqualFold(mt, "application/json") {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// writeReply encodes an ARI reply as ast_ari_callback does: a non-null
// message adds "Content-type: application/json" and is dumped in the
// ari.conf format.
func (s *Server) writeReply(bw *bufio.Writer, method string, rp reply, closeAfter bool) {
	headers := rp.headers
	var body []byte
	if rp.message != nil {
		headers += "Content-type: application/json\r\n"
		body = encodeJSON(rp.message, !s.opts.Compact)
	}
	s.writeHTTP(bw, method, rp.status, rp.title, headers, body, closeAfter)
}

// writeHTMLError writes the HTML error page of ast_http_error.
func (s *Server) writeHTMLError(bw *bufio.Writer, status int, title, text string, closeAfter bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n"+
		"<html><head>\r\n<title>%d %s</title>\r\n</head><body>\r\n<h1>%s</h1>\r\n<p>%s</p>\r\n<hr />\r\n",
		status, title, title, xmlEscape(text))
	fmt.Fprintf(&b, "<address>%s</address>\r\n</body></html>\r\n", xmlEscape(s.serverName()))
	s.writeHTTP(bw, "", status, title, "Content-type: text/html\r\n", []byte(b.String()), closeAfter)
}

// xmlEscape escapes text as ast_xml_escape does.
func xmlEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

// serverName is the Server header value (http.conf servername default).
func (s *Server) serverName() string {
	return "Asterisk/" + s.opts.Version
}

// writeHTTP writes a response exactly as ast_http_send lays it out: status
// line, Server, Date, Connection: close when closing, Cache-Control, the
// extra headers, Content-Length, an empty line and the body, which a HEAD
// request gets only with a status of 400 or more.
func (s *Server) writeHTTP(bw *bufio.Writer, method string, status int, title, headers string, body []byte, closeAfter bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, title)
	fmt.Fprintf(&b, "Server: %s\r\n", s.serverName())
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"))
	if closeAfter {
		b.WriteString("Connection: close\r\n")
	}
	b.WriteString("Cache-Control: no-cache, no-store\r\n")
	b.WriteString(headers)
	b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	bw.WriteString(b.String())
	if method != "HEAD" || status >= 400 {
		bw.Write(body)
	}
}
