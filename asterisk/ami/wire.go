package ami

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on what the reader accepts from a server. Asterisk's longest
// replies here (EndpointDetail) have about 140 fields of well under 1 KiB.
const (
	maxLineBytes     = 64 << 10
	maxMessageBytes  = 1 << 20
	maxMessageFields = 4096
	bannerPrefix     = "Asterisk Call Manager/"
	maxActionLine    = 1022 // get_input's 1024-byte buffer holds the line and its CRLF
	maxActionHeaders = 128  // AST_MAX_MANHEADERS
)

// ErrProtocol reports input that is not the AMI protocol, or exceeds the
// reader's limits; the connection is dropped.
var ErrProtocol = errors.New("ami: protocol error")

// wireReader reads AMI messages from a server.
type wireReader struct {
	br *bufio.Reader
}

func newWireReader(r io.Reader) *wireReader {
	return &wireReader{br: bufio.NewReaderSize(r, 4096)}
}

// readLine returns the next line without its LF and the CR before it.
func (wr *wireReader) readLine() (string, error) {
	var line []byte
	for {
		chunk, err := wr.br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLineBytes {
			return "", fmt.Errorf("%w: line longer than %d bytes", ErrProtocol, maxLineBytes)
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			line = line[:len(line)-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return string(line), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

// readBanner reads the greeting "Asterisk Call Manager/<version>" and
// returns the version.
func (wr *wireReader) readBanner() (string, error) {
	line, err := wr.readLine()
	if err != nil {
		return "", err
	}
	version, ok := strings.CutPrefix(line, bannerPrefix)
	if !ok {
		return "", fmt.Errorf("%w: the server's greeting is not an Asterisk manager's", ErrProtocol)
	}
	return version, nil
}

// readMessage returns the next message: the lines up to an empty line.
// A stray empty line gives a message without fields; Asterisk sends one
// after some replies whose text ends in "\n" ("No endpoints found\n") and
// after every SIPshowpeer reply.
func (wr *wireReader) readMessage() (Message, error) {
	var fields []Field
	size := 0
	for {
		line, err := wr.readLine()
		if err != nil {
			return Message{}, err
		}
		if line == "" {
			return Message{fields: fields}, nil
		}
		size += len(line)
		if len(fields) == maxMessageFields || size > maxMessageBytes {
			return Message{}, fmt.Errorf("%w: message larger than %d fields or %d bytes", ErrProtocol, maxMessageFields, maxMessageBytes)
		}
		fields = append(fields, parseField(line))
	}
}

// parseField splits "Key: Value" at the first colon and drops the one
// space Asterisk writes after it ("%s: %s"); other blanks belong to the
// value. A line without a colon (command output) becomes a field with an
// empty key.
func parseField(line string) Field {
	key, value, ok := strings.Cut(line, ":")
	if !ok {
		return Field{Value: line}
	}
	return Field{Key: key, Value: strings.TrimPrefix(value, " ")}
}

// errBadAction reports an action the client refuses to send.
var errBadAction = errors.New("ami: invalid action")

// encodeAction renders an action in the order of the golden transcripts:
// Action, ActionID, then the fields, each line ending in CRLF, then an
// empty line. It refuses what would change meaning on the wire: CR, LF or
// NUL anywhere (header injection), a colon or blank in a key, a value
// starting with a blank (Asterisk strips them), lines longer than
// Asterisk's input buffer, more lines than it keeps, and caller-supplied
// Action or ActionID fields. Errors never quote values, which may be
// secrets.
func encodeAction(action, id string, fields []Field) ([]byte, error) {
	if err := checkText(action); err != nil || action == "" || strings.ContainsRune(action, ':') {
		return nil, fmt.Errorf("%w: bad action name", errBadAction)
	}
	if len(fields)+2 > maxActionHeaders {
		return nil, fmt.Errorf("%w: %s: more than %d header lines", errBadAction, action, maxActionHeaders)
	}
	var b strings.Builder
	b.WriteString("Action: " + action + "\r\nActionID: " + id + "\r\n")
	for i, f := range fields {
		switch {
		case f.Key == "" || strings.ContainsAny(f.Key, ": \t") || checkText(f.Key) != nil:
			return nil, fmt.Errorf("%w: %s: field %d has a bad key", errBadAction, action, i+1)
		case strings.EqualFold(f.Key, "Action") || strings.EqualFold(f.Key, "ActionID"):
			return nil, fmt.Errorf("%w: %s: field %q is set by the client", errBadAction, action, f.Key)
		case checkText(f.Value) != nil:
			return nil, fmt.Errorf("%w: %s: field %q has a control character", errBadAction, action, f.Key)
		case f.Value != "" && f.Value[0] <= ' ':
			return nil, fmt.Errorf("%w: %s: field %q starts with a blank", errBadAction, action, f.Key)
		case len(f.Key)+2+len(f.Value) > maxActionLine:
			return nil, fmt.Errorf("%w: %s: field %q is longer than %d bytes", errBadAction, action, f.Key, maxActionLine)
		}
		b.WriteString(f.Key + ": " + f.Value + "\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String()), nil
}

// checkText rejects CR, LF and NUL.
func checkText(s string) error {
	if strings.ContainsAny(s, "\r\n\x00") {
		return errBadAction
	}
	return nil
}
