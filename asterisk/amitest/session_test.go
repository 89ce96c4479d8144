package amitest

import (
	"io"
	"net"
	"testing"
	"time"
)

// FuzzSession feeds arbitrary requests to one session of a fake configured
// like the golden Asterisk, logged in or not: the fake must never panic
// and must end the session when the input ends.
func FuzzSession(f *testing.F) {
	f.Add([]byte("Action: PJSIPShowEndpoint\r\nEndpoint: PJSIP/7001\r\n\r\n"), true)
	f.Add([]byte("Action: PJSIPNotify\r\nEndpoint: sip/\r\nOption: x\r\n\r\nAction: SIPnotify\r\nChannel: SIP/\r\n\r\n"), true)
	f.Add([]byte("Action: Events\r\nEventMask: 99999999999999999999\r\n\r\nAction: Events\r\nEventMask: ,,\r\n\r\n"), true)
	f.Add([]byte("Action: Challenge\r\nAuthType: md5\r\n\r\nAction: Login\r\nAuthType: MD5\r\nUsername: phoneprov\r\nKey: x\r\n\r\n"), false)
	f.Add([]byte("Action: SIPshowpeer\r\nPeer: 6002\r\n\r\nAction: Reload\r\nModule: .so\r\n\r\nAction: Logoff\r\n\r\n"), true)
	srv := NewServer(Options{AuthFailDelay: -1})
	defer srv.Close()
	srv.AddUser("phoneprov", "phoneprov")
	srv.AddTransport(Transport{Name: "transport-udp"})
	srv.AddEndpoint(Endpoint{Name: "7001", Transport: "transport-udp", Auths: []string{"7001"}, Aors: []string{"7001"}})
	srv.AddAuth(Auth{Name: "7001", Username: "7001", Password: "pw"})
	srv.AddContact(Contact{AOR: "7001", URI: "sip:7001@127.0.0.1:5073", ViaAddress: "127.0.0.1:5073"})
	srv.AddPeer(Peer{Name: "6001", Host: "127.0.0.1", Port: 5071})
	srv.AddPeer(Peer{Name: "6002", Addr: "bad address", RegExpires: time.Now().Add(time.Minute)})
	f.Fuzz(func(t *testing.T, in []byte, login bool) {
		client, server := net.Pipe()
		ss := newSession(srv, server, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			ss.run()
		}()
		go io.Copy(io.Discard, client)
		if login {
			io.WriteString(client, "Action: Login\r\nUsername: phoneprov\r\nSecret: phoneprov\r\n\r\n")
		}
		client.Write(in)
		client.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("session did not end")
		}
	})
}
