package tftp_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// TestStaticStreamed: a static file too large to be kept in memory (above
// 256 KiB; firmware is tens of MB) is read from disk block by block as the
// transfer goes, never loaded whole: bytes rewritten on disk after the
// first block has gone out arrive in the later blocks.
func TestStaticStreamed(t *testing.T) {
	s := newSite(t, 300_000)
	_, addr := startTFTP(t, s, tftpserver.Config{}, "127.0.0.1")
	w := newGatedWriter()
	fetched := startGatedFetch(t, addr, "firmware.bin", w) // blksize 1468

	rewritten := bytes.Repeat([]byte{'Z'}, len(s.firmware))
	if err := os.WriteFile(s.Path("lib/phoneprov/polycom/firmware.bin"), rewritten, 0o644); err != nil {
		t.Fatal(err)
	}
	close(w.release)
	if err := <-fetched; err != nil {
		t.Fatal(err)
	}
	got := w.buf.Bytes()
	const block = 1468
	if len(got) != len(s.firmware) || !bytes.Equal(got[:block], s.firmware[:block]) || !bytes.Equal(got[block:], rewritten[block:]) {
		t.Errorf("received %d bytes; first block from the old file: %v; the rest from the new one: %v",
			len(got), bytes.Equal(got[:block], s.firmware[:block]), bytes.Equal(got[block:], rewritten[block:]))
	}
}
