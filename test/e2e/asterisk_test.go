package e2e

import (
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
)

// TestAMILiveCredentials runs the binary against the AMI fake: a phone
// whose endpoint exists only in Asterisk (realtime) gets its credentials
// from AMI, a password change in Asterisk reaches the phone's file, and no
// secret is ever logged.
func TestAMILiveCredentials(t *testing.T) {
	const amiSecret, sipSecret, sipNew = "ami-e2e-secret-31337", "sip-e2e-pw-7001", "sip-e2e-pw-NEW"
	srv := amitest.NewServer(amitest.Options{})
	defer srv.Close()
	srv.AddUser("phoneprov", amiSecret)
	srv.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5062"})
	srv.AddEndpoint(amitest.Endpoint{Name: "7001", Transport: "udp", Callerid: `"Carol" <7001>`, Auths: []string{"7001"}, Aors: []string{"7001"}})
	srv.AddAuth(amitest.Auth{Name: "7001", Username: "7001", Password: sipSecret})
	host, port, _ := net.SplitHostPort(srv.Addr)

	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"etc/phoneprovd.conf": "[general]\ndebounce = 50ms\n[ami]\nhost = " + host + "\nport = " + port + "\nusername = phoneprov\nsecret = " + amiSecret + "\n",
		"etc/phoneprov.conf":  "[general]\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/pjsip.conf":      "[pp]\ntype = phoneprov\nendpoint = 7001\nMAC = 0004f2c0ffee\nPROFILE = p\n",
		"lib/phoneprov/t.cfg": "user=${USERNAME} pw=${SECRET} name=${DISPLAY_NAME} port=${SERVER_PORT}\n",
	})
	d := startDaemon(t, "-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"), "-log-level", "debug")
	d.waitBody(t, "/phoneprov/0004f2c0ffee.cfg", "user=7001 pw="+sipSecret+" name=Carol port=5062\n")

	// The admin status says Asterisk is connected.
	resp, err := http.Get("http://" + d.admin + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Asterisk struct {
			Known   int  `json:"endpoints_known"`
			Stale   bool `json:"serving_last_known_values"`
			Sources []struct {
				Name      string `json:"name"`
				Connected bool   `json:"connected"`
			} `json:"sources"`
		} `json:"asterisk"`
	}
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if st.Asterisk.Known != 1 || st.Asterisk.Stale || len(st.Asterisk.Sources) != 1 || !st.Asterisk.Sources[0].Connected {
		t.Errorf("status %+v", st.Asterisk)
	}

	srv.SetPassword("7001", sipNew)
	srv.Reload("res_pjsip.so")
	d.waitBody(t, "/phoneprov/0004f2c0ffee.cfg", "user=7001 pw="+sipNew+" name=Carol port=5062\n")

	time.Sleep(100 * time.Millisecond)
	logs := d.stderr.String()
	if !strings.Contains(logs, "endpoint 7001 changed") {
		t.Errorf("no reload logged for the password change:\n%s", logs)
	}
	for _, secret := range []string{amiSecret, sipSecret, sipNew} {
		if strings.Contains(logs, secret) {
			t.Errorf("secret %q in the daemon's logs", secret)
		}
	}
}
