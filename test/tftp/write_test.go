package tftp_test

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// hpaPut uploads data as remote with tftp-hpa and returns its output.
func hpaPut(t *testing.T, addr, remote string, data []byte) string {
	t.Helper()
	local := filepath.Join(t.TempDir(), "upload")
	if err := os.WriteFile(local, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return hpa(t, addr, "binary", "put "+local+" "+remote)
}

// listFiles returns every file under dir (relative names), to prove where
// uploads landed and that no temporary file is left.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// TestWriteRefused: without an upload directory every write request is
// refused with error 2 (access violation) and nothing is written.
func TestWriteRefused(t *testing.T) {
	s := newSite(t, 1000)
	_, addr := startTFTP(t, s, tftpserver.Config{}, "127.0.0.1")
	before := listFiles(t, s.Root)

	out := hpaPut(t, addr, "0004f2000001.cfg", []byte("overwrite the config"))
	if !strings.Contains(out, "Error code 2: Access violation") {
		t.Errorf("tftp-hpa:\n%s", out)
	}
	c := newRawClient(t, addr)
	c.request(opWRQ, "phone.log", "tsize", "10")
	p, ok := c.receive(5 * time.Second)
	if code, _ := p.errorCode(); !ok || code != 2 {
		t.Errorf("first answer to WRQ: %v %v", p, ok)
	}
	if after := listFiles(t, s.Root); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("files changed: %v → %v", before, after)
	}
}

// TestUploads: with an upload directory a write lands inside it and only
// there: no "..", no escape through a symbolic link, no directory that
// does not exist, no second writer of a file being written; sizes are
// capped per file and in total, and a refused or aborted upload leaves no
// file behind.
func TestUploads(t *testing.T) {
	s := newSite(t, 1000)
	root := t.TempDir()
	dir := filepath.Join(root, "uploads")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{dir, outside, filepath.Join(dir, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape")); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	_, addr := startTFTP(t, s, tftpserver.Config{UploadDir: dir, MaxUpload: 4000, MaxUploadTotal: 8000, OnServe: rec.Record}, "127.0.0.1")
	payload := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}

	// Stored, byte for byte, under the requested name; a leading "/" is
	// the upload directory, as for reads.
	for name, stored := range map[string]string{
		"0004f2000001-boot.log":  "0004f2000001-boot.log",
		"/0004f2000001-app.log":  "0004f2000001-app.log",
		"logs/0004f2000001.log":  "logs/0004f2000001.log",
		"0004f2000001-phone.cfg": "0004f2000001-phone.cfg",
	} {
		data := payload(1500)
		if out := hpaPut(t, addr, name, data); strings.Contains(out, "Error") {
			t.Fatalf("put %s:\n%s", name, out)
		}
		waitServed(t, &rec, name, 1)
		got, err := os.ReadFile(filepath.Join(dir, stored))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: stored %d bytes, err %v", name, len(got), err)
		}
	}
	// Overwriting a finished upload replaces it.
	data := payload(700)
	if out := hpaPut(t, addr, "0004f2000001-boot.log", data); strings.Contains(out, "Error") {
		t.Fatalf("second put:\n%s", out)
	}
	waitServed(t, &rec, "0004f2000001-boot.log", 2)
	if got, _ := os.ReadFile(filepath.Join(dir, "0004f2000001-boot.log")); !bytes.Equal(got, data) {
		t.Errorf("overwrite: %d bytes", len(got))
	}

	// Refused before any data moves, with error 2.
	for _, name := range []string{
		"../outside/x.log", "/../x.log", "logs/../../x.log", "escape/x.log", "nodir/x.log",
		"..\\x.log", "a//b.log", "./x.log", "logs/", "logs/..", ".tftp-upload-x",
	} {
		c := newRawClient(t, addr)
		c.request(opWRQ, name)
		p, ok := c.receive(5 * time.Second)
		if code, msg := p.errorCode(); !ok || code != 2 || !strings.HasPrefix(msg, "Access violation") {
			t.Errorf("WRQ %q: first answer %q", name, p.data)
		}
	}

	// A second writer of a file being written is refused.
	first := newRawClient(t, addr)
	first.request(opWRQ, "busy.log")
	ack, ok := first.receive(5 * time.Second)
	if !ok || ack.op() != opACK {
		t.Fatalf("WRQ busy.log: %q", ack.data)
	}
	second := newRawClient(t, addr)
	second.request(opWRQ, "busy.log")
	if p, ok := second.receive(5 * time.Second); !ok || !strings.Contains(string(p.data), "being written") {
		t.Errorf("second writer: %q", p.data)
	}
	first.send(ack.from, dataPacket(1, []byte("done\n")))
	if p, ok := first.receive(5 * time.Second); !ok || p.op() != opACK {
		t.Errorf("last ACK: %q", p.data)
	}
	waitServed(t, &rec, "busy.log", 2)
	if got, _ := os.ReadFile(filepath.Join(dir, "busy.log")); string(got) != "done\n" {
		t.Errorf("busy.log = %q", got)
	}

	// Over the per-file limit: refused up front when the client announces
	// the size (error 3), aborted when it does not.
	c := newRawClient(t, addr)
	c.request(opWRQ, "big.log", "tsize", "4001")
	if p, ok := c.receive(5 * time.Second); !ok {
		t.Error("no answer to an oversized tsize")
	} else if code, _ := p.errorCode(); code != 3 {
		t.Errorf("oversized tsize: %q", p.data)
	}
	if out := hpaPut(t, addr, "big.log", payload(4001)); !strings.Contains(out, "Disk full or allocation exceeded") {
		t.Errorf("oversized put:\n%s", out)
	}
	// Over the total: 1500×3 + 700 + 5 bytes are stored, 4000 more do not
	// fit in 8000.
	if out := hpaPut(t, addr, "total.log", payload(4000)); !strings.Contains(out, "Disk full or allocation exceeded") {
		t.Errorf("put over the total:\n%s", out)
	}
	for _, name := range []string{"big.log", "total.log"} {
		for _, r := range waitServed(t, &rec, name, 1) {
			if r.Outcome != tftpserver.TooLarge || !r.Upload {
				t.Errorf("%s: report %+v", name, r)
			}
		}
	}

	want := "0004f2000001-app.log,0004f2000001-boot.log,0004f2000001-phone.cfg,busy.log,logs/0004f2000001.log"
	if got := strings.Join(listFiles(t, dir), ","); got != want {
		t.Errorf("upload directory holds %s\nwant %s", got, want)
	}
	if got := listFiles(t, outside); len(got) != 0 {
		t.Errorf("written outside: %v", got)
	}
	if got := listFiles(t, s.Root); strings.Contains(strings.Join(got, ","), ".log") {
		t.Errorf("written into the site: %v", got)
	}
}
