package ami

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads messages until the input ends.
func readAll(t testing.TB, in string) ([]Message, error) {
	wr := newWireReader(iotest.HalfReader(strings.NewReader(in)))
	var msgs []Message
	for {
		m, err := wr.readMessage()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return msgs, nil
			}
			return msgs, err
		}
		msgs = append(msgs, m)
	}
}

// TestReadMessage checks the reader on replies as Asterisk 20.20.1 sends
// them (golden/ami-*.txt) and on its oddities.
func TestReadMessage(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]Field // per message
	}{
		// CRLF lines, an empty line ends a message
		// (docs/asterisk.md#wire-format-and-login).
		{"login reply", "Response: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\n",
			[][]Field{{{"Response", "Success"}, {"ActionID", "1"}, {"Message", "Authentication accepted"}}}},
		// _sip_show_peer: keys with spaces and dots, values with spaces,
		// and the extra CRLF manager_sip_show_peer appends (an empty
		// message).
		{"sipshowpeer", "Response: Success\r\nNamed Callgroup: \r\nSIP-T.38Support: N\r\nCID-CallingPres: Presentation Allowed, Not Screened\r\n\r\n\r\n",
			[][]Field{{{"Response", "Success"}, {"Named Callgroup", ""}, {"SIP-T.38Support", "N"}, {"CID-CallingPres", "Presentation Allowed, Not Screened"}}, nil}},
		// ami_show_endpoints: "No endpoints found\n" puts a bare LF in
		// the Message line, which ends it; the CRLF after it ends the
		// message and the last CRLF is an empty message.
		{"no endpoints found", "Response: Error\r\nActionID: 5\r\nMessage: No endpoints found\n\r\n\r\n",
			[][]Field{{{"Response", "Error"}, {"ActionID", "5"}, {"Message", "No endpoints found"}}, nil}},
		// Values keep everything after the one space Asterisk writes:
		// colons (URIs), further blanks, a lone CR.
		{"value text", "URI: sip:7001@127.0.0.1:5073\r\nX:  two spaces\r\nY:none\r\nZ: a\rb\r\n\r\n",
			[][]Field{{{"URI", "sip:7001@127.0.0.1:5073"}, {"X", " two spaces"}, {"Y", "none"}, {"Z", "a\rb"}}}},
		// Bare LF framing is read too.
		{"bare lf", "Event: A\nB: c\n\n", [][]Field{{{"Event", "A"}, {"B", "c"}}}},
		// Command output lines have no colon.
		{"no colon", "Response: Follows\r\n--END COMMAND--\r\n\r\n", [][]Field{{{"Response", "Follows"}, {"", "--END COMMAND--"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := readAll(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != len(tc.want) {
				t.Fatalf("%d messages, want %d: %v", len(msgs), len(tc.want), msgs)
			}
			for i, m := range msgs {
				got := m.Fields()
				if len(got) != len(tc.want[i]) {
					t.Fatalf("message %d: %q, want %q", i, got, tc.want[i])
				}
				for j := range got {
					if got[j] != tc.want[i][j] {
						t.Errorf("message %d field %d: %q, want %q", i, j, got[j], tc.want[i][j])
					}
				}
			}
		})
	}
}

// TestReadLimits checks that oversized or truncated input is an error,
// not unbounded memory.
func TestReadLimits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"line too long", "A: " + strings.Repeat("x", maxLineBytes) + "\r\n\r\n", ErrProtocol},
		{"too many fields", strings.Repeat("A: b\r\n", maxMessageFields+1) + "\r\n", ErrProtocol},
		{"message too big", strings.Repeat("A: "+strings.Repeat("x", 60<<10)+"\r\n", 20) + "\r\n", ErrProtocol},
		{"truncated", "Response: Success\r\nMess", io.ErrUnexpectedEOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := readAll(t, tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

// TestReadBanner checks the greeting, "Asterisk Call
// Manager/<AMI_VERSION>" (9.0.0 on 20.20.1).
func TestReadBanner(t *testing.T) {
	tests := []struct {
		in, version string
		err         error
	}{
		{"Asterisk Call Manager/9.0.0\r\n", "9.0.0", nil},
		{"Asterisk Call Manager/13.0.0\n", "13.0.0", nil},
		{"SSH-2.0-OpenSSH_9.6\r\n", "", ErrProtocol},
		{"", "", io.EOF},
	}
	for _, tc := range tests {
		v, err := newWireReader(strings.NewReader(tc.in)).readBanner()
		if v != tc.version || !errors.Is(err, tc.err) {
			t.Errorf("%q: got %q, %v; want %q, %v", tc.in, v, err, tc.version, tc.err)
		}
	}
}

// TestEncodeAction checks the bytes of actions against the golden
// transcripts and the refusals that keep the wire unambiguous.
func TestEncodeAction(t *testing.T) {
	tests := []struct {
		name   string
		action string
		id     string
		fields []Field
		want   string // "" when refused
	}{
		// golden/ami-login-badsecret.txt, byte for byte.
		{"golden login", "Login", "31", []Field{F("Username", "phoneprov"), F("Secret", "wrong")},
			"Action: Login\r\nActionID: 31\r\nUsername: phoneprov\r\nSecret: wrong\r\n\r\n"},
		// golden/ami-session-chan_sip-registered.txt SIPnotify.
		{"golden sipnotify", "SIPnotify", "14", []Field{F("Channel", "SIP/6002"), F("Variable", "Event=check-sync"),
			F("Variable", "Content-Type=text/plain"), F("Variable", "Content=hello")},
			"Action: SIPnotify\r\nActionID: 14\r\nChannel: SIP/6002\r\nVariable: Event=check-sync\r\nVariable: Content-Type=text/plain\r\nVariable: Content=hello\r\n\r\n"},
		{"empty value", "X", "1", []Field{F("Empty", "")}, "Action: X\r\nActionID: 1\r\nEmpty: \r\n\r\n"},
		// Header injection: a CR/LF would start a new header or action.
		{"crlf in value", "PJSIPNotify", "1", []Field{F("Variable", "Event=x\r\nAction: Originate")}, ""},
		{"lf in value", "PJSIPNotify", "1", []Field{F("Variable", "x\ny")}, ""},
		{"nul in value", "X", "1", []Field{F("A", "x\x00y")}, ""},
		{"crlf in action", "Ping\r\nAction: Logoff", "1", nil, ""},
		{"empty action", "", "1", nil, ""},
		{"colon in key", "X", "1", []Field{F("A:B", "s3cr3t")}, ""},
		{"blank in key", "X", "1", []Field{F("A B", "s3cr3t")}, ""},
		{"empty key", "X", "1", []Field{F("", "s3cr3t")}, ""},
		// ast_skip_blanks would drop these: refuse rather than alter.
		{"leading blank", "X", "1", []Field{F("A", " s3cr3t")}, ""},
		{"caller actionid", "X", "1", []Field{F("actionid", "mine")}, ""},
		{"caller action", "X", "1", []Field{F("Action", "Logoff")}, ""},
		// get_input's 1024-byte line buffer and AST_MAX_MANHEADERS.
		{"longest line", "X", "1", []Field{F("A", strings.Repeat("v", maxActionLine-3))},
			"Action: X\r\nActionID: 1\r\nA: " + strings.Repeat("v", maxActionLine-3) + "\r\n\r\n"},
		{"line too long", "X", "1", []Field{F("A", strings.Repeat("v", maxActionLine-2))}, ""},
		{"too many lines", "X", "1", make([]Field, maxActionHeaders-1), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := encodeAction(tc.action, tc.id, tc.fields)
			if tc.want == "" {
				if err == nil || !errors.Is(err, errBadAction) {
					t.Fatalf("accepted: %q, %v", got, err)
				}
				for _, f := range tc.fields {
					if f.Value != "" && strings.Contains(err.Error(), f.Value) {
						t.Errorf("error quotes the value: %v", err)
					}
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
}

// FuzzMessage feeds arbitrary bytes to the reader: it must never panic,
// must stop at the end of the input, and every message must respect the
// limits. Messages it accepts must survive a write/read round trip.
func FuzzMessage(f *testing.F) {
	f.Add([]byte("Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: 1\r\n\r\n"))
	f.Add([]byte("Response: Error\r\nMessage: No endpoints found\n\r\n\r\n"))
	f.Add([]byte("Named Callgroup: \r\nSIP-T.38Support: N\r\n\r\n"))
	f.Add([]byte("A\nB:\r\r\n:\n\n\x00\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		wr := newWireReader(bytes.NewReader(in))
		for range len(in) + 1 {
			m, err := wr.readMessage()
			if err != nil {
				return
			}
			if m.Len() > maxMessageFields {
				t.Fatalf("%d fields", m.Len())
			}
			var b strings.Builder
			for _, fl := range m.fields {
				if strings.ContainsAny(fl.Key+fl.Value, "\n") || strings.Contains(fl.Key, ":") {
					t.Fatalf("field %q holds a separator", fl)
				}
				b.WriteString(fl.Key + ": " + fl.Value + "\r\n")
			}
			if m.Len() == 0 {
				continue
			}
			again, err := newWireReader(strings.NewReader(b.String() + "\r\n")).readMessage()
			if err != nil || again.String() != m.String() {
				t.Fatalf("round trip: %q -> %q, %v", m.String(), again.String(), err)
			}
		}
		t.Fatalf("reader did not stop")
	})
}

// BenchmarkReadMessage reads an EndpointDetail event like the golden one
// (about 140 fields).
func BenchmarkReadMessage(b *testing.B) {
	var msg strings.Builder
	msg.WriteString("Event: EndpointDetail\r\nActionID: x-1\r\n")
	for i := range 140 {
		msg.WriteString("SomeFieldName" + strings.Repeat("x", i%7) + ": some value, with text\r\n")
	}
	msg.WriteString("\r\n")
	in := []byte(msg.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		m, err := newWireReader(bytes.NewReader(in)).readMessage()
		if err != nil || m.Len() != 142 {
			b.Fatal(m.Len(), err)
		}
	}
}
