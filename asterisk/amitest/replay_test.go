package amitest

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// transcriptBlock is one marked block of a golden transcript.
type transcriptBlock struct {
	sent bool   // ">>> (sent)"; otherwise received from the server
	data []byte // the exact bytes
}

// parseTranscript splits a golden transcript at its marker lines. A bare
// LF line that ends a received block before the next marker belongs to the
// capture's layout, not to the bytes Asterisk sent (golden/README.md).
func parseTranscript(data []byte) ([]transcriptBlock, error) {
	var blocks []transcriptBlock
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		switch string(bytes.TrimSuffix(line, []byte("\n"))) {
		case ">>> (sent)":
			blocks = append(blocks, transcriptBlock{sent: true})
			continue
		case "<<< (received)", "<<< (server greeting)":
			blocks = append(blocks, transcriptBlock{})
			continue
		}
		if len(blocks) == 0 {
			if len(line) > 0 {
				return nil, fmt.Errorf("bytes before the first marker: %q", line)
			}
			continue
		}
		b := &blocks[len(blocks)-1]
		b.data = append(b.data, line...)
	}
	for i := range blocks[:len(blocks)-1] {
		b := &blocks[i]
		if !b.sent {
			if !bytes.HasSuffix(b.data, []byte("\r\n\n")) {
				return nil, fmt.Errorf("block %d lacks its separator: %q", i, b.data)
			}
			b.data = b.data[:len(b.data)-1]
		}
	}
	return blocks, nil
}

// varyingValue matches the header values the golden README lists as
// different run to run, plus the ones that depend on the listening and
// client ports, the time of day, and a registration's remaining seconds.
var varyingValue = regexp.MustCompile(`(?m)^(Uptime|LastReload|SessionTV|SessionID|EventTV|LocalAddress|RemoteAddress): .*\r$|^RegExpire: [0-9]+ seconds\r$`)

// normalize masks varying values.
func normalize(b []byte) string {
	return varyingValue.ReplaceAllStringFunc(string(b), func(s string) string {
		k, _, _ := strings.Cut(s, ":")
		return k + ": <varies>\r"
	})
}

// TestReplayGolden replays every golden transcript against the fake: a raw
// TCP client sends each ">>>" block and the fake must answer with the
// "<<<" block's bytes (golden/ami-*.txt; docs/asterisk.md#ami).
func TestReplayGolden(t *testing.T) {
	tests := []struct {
		file      string
		userAgent string // SIP-Useragent of registered peer 6002
		closes    bool   // the server hangs up after the last exchange
	}{
		// A plain login that fails: a delayed error, then close.
		{file: "ami-login-badsecret.txt", closes: true},
		// Lists, PJSIPShowEndpoint details, PJSIPNotify, Logoff.
		{file: "ami-session-pjsip.txt", closes: true},
		// chan_sip; a login without Events: FullyBooted and
		// SuccessfulAuth follow the reply.
		{file: "ami-session-chan_sip.txt", closes: true},
		{file: "ami-session-chan_sip-registered.txt", userAgent: "sipp-6002", closes: true},
		{file: "ami-sipnotify-no-listener.txt", closes: true},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			blocks, err := parseTranscript(readGolden(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			srv := newGoldenServer(t, Options{}, tc.userAgent)
			rc, banner := dialRaw(t, srv)
			if blocks[0].sent || banner != string(blocks[0].data) {
				t.Fatalf("banner %q, want %q", banner, blocks[0].data)
			}
			for i, b := range blocks[1:] {
				if b.sent {
					rc.send(string(b.data))
					continue
				}
				n := bytes.Count(b.data, []byte("\r\n\r\n"))
				got := rc.messages(n)
				if normalize([]byte(got)) != normalize(b.data) {
					t.Fatalf("block %d: fake sent\n%s\nwant\n%s", i+1, got, b.data)
				}
			}
			if tc.closes {
				rc.expectEOF()
			}
		})
	}
}

// TestReplayBadSecretDelay checks the delay before "Authentication failed"
// (action_login sleeps 1 s; golden README: "a wrong AMI password is
// answered after a delay of more than 1 s") and that Options can shorten
// it.
func TestReplayBadSecretDelay(t *testing.T) {
	tests := []struct {
		name     string
		delay    time.Duration
		min, max time.Duration
	}{
		{"default like Asterisk", 0, time.Second, 3 * time.Second},
		{"shortened", 50 * time.Millisecond, 50 * time.Millisecond, 900 * time.Millisecond},
		{"none", -1, 0, 900 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newGoldenServer(t, Options{AuthFailDelay: tc.delay}, "")
			rc, _ := dialRaw(t, srv)
			start := time.Now()
			rc.send("Action: Login\r\nUsername: phoneprov\r\nSecret: wrong\r\n\r\n")
			got := rc.message()
			took := time.Since(start)
			if want := "Response: Error\r\nMessage: Authentication failed\r\n\r\n"; got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			if took < tc.min || took > tc.max {
				t.Fatalf("answered after %v, want between %v and %v", took, tc.min, tc.max)
			}
			rc.expectEOF()
		})
	}
}

// TestParseTranscript checks the transcript splitter on the layout the
// golden README describes.
func TestParseTranscript(t *testing.T) {
	in := "<<< (server greeting)\nBanner\r\n\n>>> (sent)\nA: 1\r\n\r\n<<< (received)\nB: 2\r\n\r\n\n>>> (sent)\nC: 3\r\n\r\n<<< (received)\nD: 4\r\n\r\n"
	blocks, err := parseTranscript([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []transcriptBlock{
		{false, []byte("Banner\r\n")},
		{true, []byte("A: 1\r\n\r\n")},
		{false, []byte("B: 2\r\n\r\n")},
		{true, []byte("C: 3\r\n\r\n")},
		{false, []byte("D: 4\r\n\r\n")},
	}
	if len(blocks) != len(want) {
		t.Fatalf("got %d blocks, want %d", len(blocks), len(want))
	}
	for i := range want {
		if blocks[i].sent != want[i].sent || !bytes.Equal(blocks[i].data, want[i].data) {
			t.Errorf("block %d = (sent %v) %q, want (sent %v) %q", i, blocks[i].sent, blocks[i].data, want[i].sent, want[i].data)
		}
	}
	if _, err := parseTranscript([]byte("junk\n<<< (received)\nx\r\n")); err == nil {
		t.Error("bytes before the first marker were accepted")
	}
}
