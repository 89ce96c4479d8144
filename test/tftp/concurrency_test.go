package tftp_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// TestConcurrentTransfers runs 100 transfers at once, dynamic and static,
// with different block sizes: all succeed with HTTP's bytes.
func TestConcurrentTransfers(t *testing.T) {
	s := newSite(t, 300_000)
	_, addr := startTFTP(t, s, tftpserver.Config{}, "127.0.0.1")
	base := startHTTP(t, s)
	want := make(map[string][]byte)
	for _, uri := range servedRoutes {
		want[uri] = httpGet(t, base, uri)
	}

	const n = 100
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		uri := servedRoutes[i%len(servedRoutes)]
		blksize := []int{0, 512, 1468, 8192}[i%4]
		wg.Go(func() {
			got, err := pinGet(addr, uri, blksize)
			switch {
			case err != nil:
				errs <- uri + ": " + err.Error()
			case !bytes.Equal(got, want[uri]):
				errs <- uri + ": wrong bytes"
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestBusy fills MaxTransfers with clients that stop acknowledging: the
// next request is refused at once with error 0 "Server busy" (not error 1,
// which would send a phone to its fallback file), from every client; when
// a slot frees up, requests are served again.
func TestBusy(t *testing.T) {
	s := newSite(t, 100_000)
	var rec recorder
	// A long timeout: the stalled transfers hold their slots for the whole
	// test, so an answer to the extra request cannot come from a slot
	// freed by a timeout.
	_, addr := startTFTP(t, s, tftpserver.Config{MaxTransfers: 10, Timeout: 30 * time.Second, OnServe: rec.Record}, "127.0.0.1")

	type stalled struct {
		c    *rawClient
		peer packet
	}
	var slow []stalled
	for range 10 {
		c := newRawClient(t, addr)
		c.request(opRRQ, "firmware.bin")
		p, ok := c.receive(5 * time.Second)
		if !ok || p.op() != opDATA {
			t.Fatalf("slow client: %q", p.data)
		}
		slow = append(slow, stalled{c, p}) // and never ACK
	}
	defer func() {
		for _, st := range slow {
			st.c.send(st.peer.from, errorPacket(0, "test over"))
		}
	}()

	c := newRawClient(t, addr)
	c.request(opRRQ, "0004f2000001.cfg", "blksize", "1468")
	p, ok := c.receive(5 * time.Second)
	if code, msg := p.errorCode(); !ok || code != 0 || msg != "Server busy" {
		t.Errorf("raw: first answer %q", p.data)
	}
	if _, err := pinGet(addr, "0004f2000001.cfg", 1468); err == nil || !strings.Contains(err.Error(), "code: 0, message: Server busy") {
		t.Errorf("pin client: %v", err)
	}
	refused := 2
	// The real clients, when installed (not skipped: the rest of the test
	// needs no binary).
	if haveBinary(hpaClient) {
		refused++
		if _, out := hpaGet(t, addr, "0004f2000001.cfg"); !strings.Contains(out, "Error code 0: Server busy") {
			t.Errorf("tftp-hpa:\n%s", out)
		}
	}
	if haveBinary(atftpBin) {
		refused++
		if out, ok := atftp(t, addr, "-g", "-r", "0004f2000001.cfg", "-l", t.TempDir()+"/x"); ok || !strings.Contains(out, "Server busy") {
			t.Errorf("atftp:\n%s", out)
		}
	}
	busy := waitServed(t, &rec, "0004f2000001.cfg", refused)
	for _, r := range busy {
		if r.Outcome != tftpserver.Busy {
			t.Errorf("report %+v", r)
		}
	}

	// One stalled client gives up (sends an error): its slot is free.
	slow[0].c.send(slow[0].peer.from, errorPacket(0, "bye"))
	waitServed(t, &rec, "firmware.bin", 1)
	if got, err := pinGet(addr, "0004f2000001.cfg", 1468); err != nil || len(got) == 0 {
		t.Errorf("after a slot freed: %v", err)
	}
}
