package e2e

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
)

// phonebookEndpoint is the pjsip.conf text and fake AMI objects of phone i
// (MAC 0004f2<i>, endpoint 7000+i).
func phonebookEndpoint(ami *amitest.Server, i int) string {
	ep := fmt.Sprint(7000 + i)
	ami.AddEndpoint(amitest.Endpoint{Name: ep, Transport: "udp", Auths: []string{ep}, Aors: []string{ep}})
	ami.AddContact(amitest.Contact{AOR: ep, URI: "sip:" + ep + "@127.0.0.1:5999", Status: "Reachable"})
	return fmt.Sprintf("[%s]\ntype = endpoint\ntransport = udp\nauth = %s\n[%s]\ntype = auth\nusername = %s\npassword = pw%s\n"+
		"[pp%s]\ntype = phoneprov\nendpoint = %s\nMAC = 0004f2%06d\nPROFILE = p\n", ep, ep, ep, ep, ep, ep, ep, i)
}

// TestPhonebookChangesAreQuiet adds one user to a site whose phones each
// fetch a configuration and a phone book listing every other phone: with
// the phone book in quiet_files only the new phone is notified, without it
// every phone is (every phone book changed).
func TestPhonebookChangesAreQuiet(t *testing.T) {
	const phones = 20
	for _, tc := range []struct {
		name, profile string
		want          int // NOTIFYs
		loud, quiet   int // phones changed, by kind
	}{
		{"quiet_files", "[profile:p]\nquiet_files = *-book.xml\n", 1, 0, phones},
		{"no quiet_files", "", phones + 1, phones, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			ami := amitest.NewServer(amitest.Options{})
			t.Cleanup(ami.Close)
			ami.AddUser("phoneprov", "ami-secret")
			ami.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5060"})
			var pj strings.Builder
			pj.WriteString("[udp]\ntype = transport\nbind = 0.0.0.0:5060\n")
			for i := 1; i <= phones; i++ {
				pj.WriteString(phonebookEndpoint(ami, i))
			}
			host, port, _ := net.SplitHostPort(ami.Addr)
			writeFiles(t, root, map[string]string{
				"etc/phoneprovd.conf": "[general]\ndebounce = 50ms\n[ami]\nhost = " + host + "\nport = " + port +
					"\nusername = phoneprov\nsecret = ami-secret\n[resync]\njitter = 0s\nrate = 1000\n" + tc.profile,
				"etc/phoneprov.conf":     "[general]\n[p]\n${MAC}.cfg => a.cfg\n${MAC}-book.xml => book.xml\n",
				"etc/pjsip.conf":         pj.String(),
				"lib/phoneprov/a.cfg":    "a ${USERNAME}\n",
				"lib/phoneprov/book.xml": "<book>\n${PP_EACH_USER(<e n=%{USERNAME}/>\n,${MAC})}</book>\n",
			})
			d := startDaemon(t, "-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"))
			d.waitBody(t, "/phoneprov/0004f2000001.cfg", "a 7001\n")
			_, book := d.get(t, "/phoneprov/0004f2000001-book.xml")
			if n := strings.Count(book, "<e "); n != phones-1 {
				t.Fatalf("phone book lists %d phones, want %d:\n%s", n, phones-1, book)
			}
			gen := d.status(t).Generation

			// One more user.
			pj.WriteString(phonebookEndpoint(ami, phones+1))
			truncateWrite(t, filepath.Join(root, "etc/pjsip.conf"), pj.String())
			deadline := time.Now().Add(15 * time.Second)
			for d.status(t).Generation == gen && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			var notified []amitest.Action
			for time.Now().Before(deadline) {
				notified = notified[:0]
				for _, a := range ami.Actions() {
					if a.Name == "PJSIPNotify" {
						notified = append(notified, a)
					}
				}
				if len(notified) >= tc.want {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // no more come
			notified = notified[:0]
			for _, a := range ami.Actions() {
				if a.Name == "PJSIPNotify" {
					notified = append(notified, a)
				}
			}
			if len(notified) != tc.want {
				t.Fatalf("%d NOTIFYs, want %d", len(notified), tc.want)
			}
			if tc.want == 1 && !strings.Contains(string(notified[0].Raw), fmt.Sprintf("Endpoint: %d\r\n", 7000+phones+1)) {
				t.Errorf("notified %q, want the new phone", notified[0].Raw)
			}
			// Every phone's phone book changed, and /status says how.
			_, book = d.get(t, "/phoneprov/0004f2000001-book.xml")
			if !strings.Contains(book, fmt.Sprintf("<e n=%d/>", 7000+phones+1)) {
				t.Errorf("phone book does not list the new user %d:\n%s", 7000+phones+1, book)
			}
			st := d.status(t)
			if r := st.LastReload; r == nil || r.Changed != phones || r.Added != 1 || r.Notify != tc.loud || r.Quiet != tc.quiet {
				t.Errorf("last reload %+v, want %d changed (%d notify, %d quiet), 1 added", r, phones, tc.loud, tc.quiet)
			}
		})
	}
}
