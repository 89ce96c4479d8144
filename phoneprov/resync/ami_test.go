package resync

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
)

// TestAMINotifierBytes checks each action against the golden transcripts'
// shapes (ami-session-pjsip.txt, ami-sipnotify-no-listener.txt).
func TestAMINotifierBytes(t *testing.T) {
	srv := amitest.NewServer(amitest.Options{NotifyOptions: []string{"polycom-check-cfg"}})
	defer srv.Close()
	srv.AddUser("u", "s")
	srv.AddTransport(amitest.Transport{Name: "udp"})
	srv.AddEndpoint(amitest.Endpoint{Name: "7001", Transport: "udp", Aors: []string{"7001"}})
	srv.AddPeer(amitest.Peer{Name: "6001", Host: "127.0.0.1"})
	c := ami.New(ami.Config{Addr: srv.Addr, Username: "u", Secret: "s"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go c.Run(ctx)
	if err := c.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	n := AMINotifier{Client: c}
	for _, tt := range []struct {
		n    Notification
		want string
	}{
		{Notification{Tech: "PJSIP", Endpoint: "7001", Event: "check-sync"},
			"^Action: PJSIPNotify\r\nActionID: [^\r]+\r\nEndpoint: 7001\r\nVariable: Event=check-sync\r\n\r\n$"},
		{Notification{Tech: "PJSIP", Endpoint: "7001", Option: "polycom-check-cfg"},
			"^Action: PJSIPNotify\r\nActionID: [^\r]+\r\nEndpoint: 7001\r\nOption: polycom-check-cfg\r\n\r\n$"},
		{Notification{Tech: "SIP", Endpoint: "6001", Event: "check-sync"},
			"^Action: SIPnotify\r\nActionID: [^\r]+\r\nChannel: 6001\r\nVariable: Event=check-sync\r\n\r\n$"},
		{Notification{Tech: "PJSIP", URI: "sip:192.0.2.7:5060", Event: "check-sync"},
			"^Action: PJSIPNotify\r\nActionID: [^\r]+\r\nURI: sip:192.0.2.7:5060\r\nVariable: Event=check-sync\r\n\r\n$"},
	} {
		if err := n.Notify(ctx, tt.n); err != nil {
			t.Fatalf("%+v: %v", tt.n, err)
		}
		acts := srv.Actions()
		raw := acts[len(acts)-1].Raw
		if !regexp.MustCompile(tt.want).Match(raw) {
			t.Errorf("%+v sent %q", tt.n, raw)
		}
	}
	// An unknown endpoint is an error, not "not connected".
	err := n.Notify(ctx, Notification{Tech: "PJSIP", Endpoint: "nosuch", Event: "check-sync"})
	if err == nil || errors.Is(err, ErrNotConnected) {
		t.Errorf("unknown endpoint: %v", err)
	}
	c.Close()
	if err := n.Notify(context.Background(), Notification{Tech: "PJSIP", Endpoint: "7001", Event: "x"}); !errors.Is(err, ErrNotConnected) {
		t.Errorf("closed client: %v", err)
	}
}
