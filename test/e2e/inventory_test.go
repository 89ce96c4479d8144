package e2e

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

type phonesList struct {
	Count  int `json:"count"`
	Phones []struct {
		MAC        string `json:"mac"`
		Configured bool   `json:"configured"`
		Seen       bool   `json:"seen"`
		Device     *struct {
			Vendor   string `json:"vendor"`
			Model    string `json:"model"`
			Firmware string `json:"firmware"`
			LastIP   string `json:"last_ip"`
			Files    []struct {
				File   string `json:"file"`
				Status string `json:"status"`
			} `json:"files"`
		} `json:"device"`
	} `json:"phones"`
}

func (d *daemon) phones(t *testing.T, query string) phonesList {
	t.Helper()
	resp, err := http.Get("http://" + d.admin + "/status/phones" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var l phonesList
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestInventory(t *testing.T) {
	root := t.TempDir()
	state := filepath.Join(root, "state")
	writeFiles(t, root, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf": "[a]\nusername = a\nmacaddress = 0004f2a1b2c3\nautoprov = yes\n" +
			"[b]\nusername = b\nmacaddress = 001565aabbcc\nautoprov = yes\n" +
			"[c]\nusername = c\nmacaddress = 000b82000001\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "x\n",
	})
	args := []string{"-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"), "-state-dir", state}
	d := startDaemon(t, args...)

	curl(t, "-A", "FileTransport PolycomVVX-VVX_400-UA/5.9.3.1234 Type/Application", d.url("/phoneprov/0004f2a1b2c3.cfg"))
	curl(t, "-A", "Yealink SIP-T46G 28.72.0.1 00:15:65:aa:bb:cc", d.url("/phoneprov/001565aabbcc.cfg"))
	// An unknown Yealink asking for its own file, which is not configured.
	curl(t, "-A", "Yealink SIP-T54W 96.85.0.5 00:15:65:11:22:33", d.url("/phoneprov/001565112233.cfg"))

	l := d.phones(t, "")
	if l.Count != 4 {
		t.Fatalf("%d entries: %+v", l.Count, l)
	}
	byMAC := map[string]int{}
	for i, p := range l.Phones {
		byMAC[p.MAC] = i
	}
	poly := l.Phones[byMAC["0004f2a1b2c3"]]
	if !poly.Configured || !poly.Seen || poly.Device.Vendor != "Polycom" || poly.Device.Model != "VVX 400" || poly.Device.Firmware != "5.9.3.1234" ||
		poly.Device.LastIP != "127.0.0.1" || len(poly.Device.Files) != 1 || poly.Device.Files[0].File != "0004f2a1b2c3.cfg" || poly.Device.Files[0].Status != "200" {
		t.Errorf("polycom %+v %+v", poly, poly.Device)
	}
	unknown := l.Phones[byMAC["001565112233"]]
	if unknown.Configured || unknown.Device.Model != "SIP-T54W" || unknown.Device.Files[0].Status != "404" {
		t.Errorf("unknown yealink %+v %+v", unknown, unknown.Device)
	}
	if l := d.phones(t, "?vendor=yealink"); l.Count != 2 {
		t.Errorf("vendor filter: %d", l.Count)
	}
	for _, yes := range []string{"1", "on", "yes", "true"} { // ast_true, as every boolean of phoneprovd
		if l := d.phones(t, "?unseen="+yes); l.Count != 1 || l.Phones[0].MAC != "000b82000001" {
			t.Errorf("unseen=%s filter: %+v", yes, l)
		}
	}
	table := run(t, "", "phones", "-admin", d.admin)
	if table.code != 0 || !strings.Contains(table.stdout, "0004f2a1b2c3  p") || !strings.Contains(table.stdout, "VVX 400") || !strings.Contains(table.stdout, "(unknown)") {
		t.Errorf("phones table:\n%s%s", table.stdout, table.stderr)
	}

	// A restart remembers who was seen.
	d.cmd.Process.Signal(syscall.SIGTERM)
	d.cmd.Wait()
	d = startDaemon(t, args...)
	deadline := time.Now().Add(5 * time.Second)
	for d.phones(t, "?unseen=1").Count != 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	l = d.phones(t, "")
	if l.Count != 4 || d.phones(t, "?vendor=polycom").Phones[0].Device.Model != "VVX 400" {
		t.Errorf("after restart: %+v", l)
	}
}
