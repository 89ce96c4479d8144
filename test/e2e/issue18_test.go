package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
)

// amiSite is a phoneprovd whose phones' endpoints exist only in the AMI
// fake (realtime): a type=phoneprov phone, and a users.conf user without a
// secret. The fake starts down.
func amiSite(t *testing.T, amiSecret, confSecret string) (*amitest.Server, string, []string) {
	srv := amitest.NewServer(amitest.Options{AuthFailDelay: -1})
	t.Cleanup(srv.Close)
	srv.AddUser("phoneprov", amiSecret)
	srv.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5062"})
	for _, ep := range []string{"7001", "7002"} {
		srv.AddEndpoint(amitest.Endpoint{Name: ep, Transport: "udp", Callerid: `"Live" <` + ep + `>`, Auths: []string{ep}, Aors: []string{ep}})
		srv.AddAuth(amitest.Auth{Name: ep, Username: ep, Password: "sip-pw-" + ep})
		srv.AddContact(amitest.Contact{AOR: ep, URI: "sip:" + ep + "@127.0.0.1:5999", Status: "Reachable"})
	}
	host, port, _ := net.SplitHostPort(srv.Addr)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"etc/phoneprovd.conf": "[general]\ndebounce = 50ms\n[ami]\nhost = " + host + "\nport = " + port + "\nusername = phoneprov\nsecret = " + confSecret + "\n[resync]\njitter = 0s\n",
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/pjsip.conf":      "[pp]\ntype = phoneprov\nendpoint = 7001\nMAC = 0004f2000001\nPROFILE = p\n",
		"etc/users.conf":      "[7002]\nusername = 7002\nmacaddress = 0004f2000002\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "user=${USERNAME} pw=${SECRET}\n",
	})
	return srv, root, []string{"-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib")}
}

func notifyActions(srv *amitest.Server) int {
	n := 0
	for _, a := range srv.Actions() {
		if a.Name == "PJSIPNotify" || a.Name == "SIPnotify" {
			n++
		}
	}
	return n
}

// TestAMIAfterFirstSnapshotNotifiesNobody: Asterisk answers after the
// first snapshot; the phones that appear or fill in are not "changed", so
// starting notifies nobody. An edit afterwards does notify.
func TestAMIAfterFirstSnapshotNotifiesNobody(t *testing.T) {
	srv, root, args := amiSite(t, "ami-e2e-secret", "ami-e2e-secret")
	if err := srv.SetDown(true); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, args...)
	if code, _ := d.get(t, "/phoneprov/0004f2000001.cfg"); code != 404 {
		t.Fatalf("the realtime phone is served before Asterisk answers: %d", code)
	}
	d.waitBody(t, "/phoneprov/0004f2000002.cfg", "user=7002 pw=\n")
	if err := srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "user=7001 pw=sip-pw-7001\n")
	d.waitBody(t, "/phoneprov/0004f2000002.cfg", "user=7002 pw=sip-pw-7002\n")
	time.Sleep(1500 * time.Millisecond) // the queue would have sent by now
	if n := notifyActions(srv); n != 0 {
		t.Fatalf("%d NOTIFYs after Asterisk's first answer; starting must notify nobody", n)
	}
	// An edit is a change: both phones are notified.
	truncateWrite(t, filepath.Join(root, "lib/phoneprov/t.cfg"), "edited user=${USERNAME} pw=${SECRET}\n")
	eventually(t, "2 NOTIFYs after an edit", func() bool { return notifyActions(srv) == 2 })
	d.stderr.NoSecrets(t, "ami-e2e-secret", "sip-pw-7001", "sip-pw-7002")
}

// TestAMIWrongSecretReported: a wrong AMI secret shows in /status as an
// authentication failure (never the secret), and is cleared once Asterisk
// accepts it.
func TestAMIWrongSecretReported(t *testing.T) {
	srv, _, args := amiSite(t, "the-right-secret-4711", "ami-wrong-secret-0815")
	d := startDaemon(t, args...)
	type failure struct {
		Source, Cause, Message string
		At                     time.Time
	}
	var st struct {
		Asterisk struct {
			LastError *failure `json:"last_error"`
			Sources   []struct {
				Connected bool     `json:"connected"`
				LastError *failure `json:"last_error"`
			} `json:"sources"`
		} `json:"asterisk"`
	}
	eventually(t, "an authentication failure in /status", func() bool {
		d.statusJSON(t, &st)
		f := st.Asterisk.LastError
		return f != nil && f.Cause == "authentication failed"
	})
	if f := st.Asterisk.LastError; f.Source != "ami" || f.At.IsZero() || strings.Contains(f.Message, "ami-wrong-secret-0815") {
		t.Errorf("last_error %+v", f)
	}
	srv.AddUser("phoneprov", "ami-wrong-secret-0815") // the PBX now accepts it
	eventually(t, "last_error cleared", func() bool {
		st.Asterisk.LastError, st.Asterisk.Sources = nil, nil
		d.statusJSON(t, &st)
		return st.Asterisk.LastError == nil && len(st.Asterisk.Sources) == 1 && st.Asterisk.Sources[0].Connected && st.Asterisk.Sources[0].LastError == nil
	})
	d.stderr.NoSecrets(t, "the-right-secret-4711", "ami-wrong-secret-0815", "sip-pw-7001", "sip-pw-7002")
}

// TestManualResyncSurvivesCrash: a resync accepted by the admin API while
// Asterisk is down is sent after a kill -9 and a restart.
func TestManualResyncSurvivesCrash(t *testing.T) {
	srv, root, args := amiSite(t, "ami-e2e-secret", "ami-e2e-secret")
	state := filepath.Join(root, "state")
	args = append(args, "-state-dir", state)
	d := startDaemon(t, args...)
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "user=7001 pw=sip-pw-7001\n")
	srv.SetDown(true)
	eventually(t, "AMI down", func() bool {
		var st struct {
			Asterisk struct {
				Stale bool `json:"serving_last_known_values"`
			} `json:"asterisk"`
		}
		d.statusJSON(t, &st)
		return st.Asterisk.Stale
	})
	res := run(t, "", "resync", "-admin", d.admin, "0004f2000001")
	if res.code != 0 || !strings.Contains(res.stdout, "queued 1 phones") {
		t.Fatalf("resync: %d %s %s", res.code, res.stdout, res.stderr)
	}
	d.cmd.Process.Signal(syscall.SIGKILL) // at once: nothing else is saved
	d.cmd.Wait()
	srv.SetDown(false)
	d = startDaemon(t, args...)
	eventually(t, "the NOTIFY accepted before the crash", func() bool { return notifyActions(srv) == 1 })
	if a := srv.Actions(); !bytes.Contains(lastNotify(a), []byte("Endpoint: 7001")) {
		t.Errorf("NOTIFY %q", lastNotify(a))
	}
}

func lastNotify(actions []amitest.Action) []byte {
	for i := len(actions) - 1; i >= 0; i-- {
		if actions[i].Name == "PJSIPNotify" {
			return actions[i].Raw
		}
	}
	return nil
}

// TestLoopbackNotBannedAndUnban: probing unknown MACs from the server
// itself bans nobody by default; with the exemption off, the ban is lifted
// with `phoneprovd unban`. Unknown devices are logged at info.
func TestLoopbackNotBannedAndUnban(t *testing.T) {
	for _, exempt := range []bool{true, false} {
		root := t.TempDir()
		conf := "[general]\n"
		if !exempt {
			conf += "[security]\nscan_exempt_loopback = no\n"
		}
		writeFiles(t, root, map[string]string{
			"etc/phoneprovd.conf": conf,
			"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
			"etc/users.conf":      "[100]\nusername = 100\nsecret = loop-secret-100\nmacaddress = 0004f2000100\nautoprov = yes\n",
			"lib/phoneprov/t.cfg": "pw=${SECRET}\n",
		})
		d := startDaemon(t, "-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"))
		last := 0
		for i := 0; i < 30; i++ {
			last, _ = d.get(t, fmt.Sprintf("/phoneprov/0004f2%06x.cfg", 0x500000+i))
		}
		code, _ := d.get(t, "/phoneprov/0004f2000100.cfg")
		if exempt {
			if last != 404 || code != 200 {
				t.Errorf("loopback, default settings: probe %d, own file %d; want 404 and 200", last, code)
			}
			eventually(t, "unknown devices logged", func() bool {
				return strings.Contains(d.stderr.String(), `msg="a device that is not configured asked for a file"`) &&
					strings.Contains(d.stderr.String(), "mac=0004f2500000")
			})
			continue
		}
		if last != 403 || code != 403 {
			t.Fatalf("scan_exempt_loopback = no: probe %d, own file %d; want 403", last, code)
		}
		res := run(t, "", "unban", "-admin", d.admin, "127.0.0.1")
		if res.code != 0 || !strings.Contains(res.stdout, "unbanned 127.0.0.1") {
			t.Fatalf("unban: %d %q %q", res.code, res.stdout, res.stderr)
		}
		if code, _ := d.get(t, "/phoneprov/0004f2000100.cfg"); code != 200 {
			t.Errorf("after unban: %d", code)
		}
		if res := run(t, "", "unban", "-admin", d.admin, "all"); res.code != 0 || !strings.Contains(res.stdout, "all was not banned") {
			t.Errorf("unban all with nothing banned: %d %q", res.code, res.stdout)
		}
		body, _ := json.Marshal(map[string]string{"source": "not an address"})
		resp, err := http.Post("http://"+d.admin+"/unban", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("POST /unban with a bad address: %d", resp.StatusCode)
		}
		d.stderr.NoSecrets(t, "loop-secret-100")
	}
}

// TestNoOpenSecretsWarningOnLoopback: listening on loopback only, nothing
// is open to the world.
func TestNoOpenSecretsWarningOnLoopback(t *testing.T) {
	root, args := lastGoodSite(t)
	_ = root
	d := startDaemon(t, args...)
	time.Sleep(200 * time.Millisecond)
	if strings.Contains(d.stderr.String(), "OPEN TO THE WORLD") {
		t.Errorf("warned on loopback:\n%s", d.stderr.String())
	}
}
