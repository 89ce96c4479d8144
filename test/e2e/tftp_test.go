package e2e

import (
	"github.com/phoneprovd/phoneprovd/internal/testtool"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// freeUDPPort returns a loopback UDP port nobody uses now.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// TestServeTFTP checks the daemon's -tftp wiring with tftp-hpa: the same
// bytes as HTTP, and the fetch counts for the inventory.
func TestServeTFTP(t *testing.T) {
	client, err := exec.LookPath("tftp")
	if err != nil {
		testtool.Missing(t, "tftp (Debian package tftp-hpa)")
	}
	conf, data := goldenDirs(t)
	port := freeUDPPort(t)
	d := startDaemon(t, "-config-dir", conf, "-data-dir", data, "-tftp", "127.0.0.1:"+strconv.Itoa(port))
	want := curl(t, d.url("/phoneprov/config/0004f2a1b2c3"))
	out := filepath.Join(t.TempDir(), "got")
	var got []byte
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		cmd := exec.Command(client, "127.0.0.1", strconv.Itoa(port), "-m", "binary", "-c", "get", "config/0004f2a1b2c3", out)
		if err := cmd.Run(); err == nil {
			if got, _ = os.ReadFile(out); len(got) > 0 {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if string(got) != want {
		t.Errorf("TFTP body (%d bytes) differs from HTTP (%d bytes)", len(got), len(want))
	}
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, p := range d.phones(t, "").Phones {
			if p.MAC == "0004f2a1b2c3" && p.Device != nil {
				for _, f := range p.Device.Files {
					if f.Status == "completed" {
						return
					}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("the TFTP fetch is not in the inventory")
}
