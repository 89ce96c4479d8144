package phoneprov

import (
	"crypto/sha256"
	"encoding/binary"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// Digest identifies everything one phone is served.
type Digest [sha256.Size]byte

// Digests computes, for every phone, a digest of everything it would be
// served: each dynamic route's URI and rendered body (by the body's
// SHA-256, computed once per body), and each static file of its profile
// (URI, size and modification time — firmware is not re-read). Bodies are
// rendered for server (the address phones reach, "" when unknown); a body
// that depends on the time of rendering contributes its template instead,
// so a clock does not make a phone look changed.
//
// Rendering also fills the render cache for server, so the first requests
// after a reload are served from memory. With prev (the snapshot being
// replaced, or nil), a body whose inputs did not change is taken from prev
// without rendering, and a rendered body identical to prev's shares its
// bytes, so a reload neither renders nor holds twice what did not change.
// Work is spread over the CPUs.
func (s *Snapshot) Digests(server string, prev *Snapshot) map[string]Digest {
	byPhone := make(map[*Phone][]*Route)
	for _, r := range s.routes.all {
		if r.Phone != nil && s.routes.byURI[r.URI] == r {
			byPhone[r.Phone] = append(byPhone[r.Phone], r)
		}
	}
	statics := make(map[*Profile][]byte)
	for _, p := range s.Profiles {
		statics[p] = s.staticFingerprint(p)
	}

	rs := newReuse(prev, s)
	// Each worker takes the next chunk of phones: a channel per phone
	// would cost more in hand-offs between goroutines than it spreads.
	const chunk = 64
	sums := make([]Digest, len(s.phones))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				end := int(next.Add(chunk))
				start := end - chunk
				if start >= len(s.phones) {
					return
				}
				for i, p := range s.phones[start:min(end, len(s.phones))] {
					sums[start+i] = s.phoneDigest(p, byPhone[p], statics[p.Profile], server, rs.forPhone(p))
				}
			}
		})
	}
	wg.Wait()
	out := make(map[string]Digest, len(s.phones))
	for i, p := range s.phones {
		out[p.MAC] = sums[i]
	}
	return out
}

func (s *Snapshot) phoneDigest(p *Phone, routes []*Route, static []byte, server string, rs *reuse) Digest {
	h := sha256.New()
	write := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, r := range routes {
		write([]byte(r.URI))
		write([]byte(r.File.MIME))
		body, err := s.render(r, Reached{Server: server}, rs)
		switch {
		case err != nil:
			write([]byte("error: " + err.Error()))
		case body.Volatile:
			text, _ := s.texts.get(r.File.Template)
			write([]byte("volatile: " + text))
		default:
			write(body.sum[:])
		}
	}
	write(static)
	var d Digest
	h.Sum(d[:0])
	return d
}

// staticFingerprint describes a profile's static files by name, size and
// modification time.
func (s *Snapshot) staticFingerprint(p *Profile) []byte {
	var b []byte
	for _, f := range p.Static {
		b = append(b, f.Format...)
		b = append(b, 0)
		b = append(b, f.MIME...)
		b = append(b, 0)
		if path, err := s.texts.root.resolve(f.Template); err == nil {
			if fi, err := os.Stat(path); err == nil {
				b = binary.BigEndian.AppendUint64(b, uint64(fi.Size()))
				b = binary.BigEndian.AppendUint64(b, uint64(fi.ModTime().UnixNano()))
			}
		}
		b = append(b, 1)
	}
	return b
}

// Changes is what a reload changed, phone by phone (by MAC).
type Changes struct {
	Added, Removed, Changed []string
	Unchanged               int
}

// Empty reports whether no phone changed.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0
}

// Diff compares the digests of two snapshots.
func Diff(old, cur map[string]Digest) Changes {
	var c Changes
	for mac, d := range cur {
		prev, ok := old[mac]
		switch {
		case !ok:
			c.Added = append(c.Added, mac)
		case prev != d:
			c.Changed = append(c.Changed, mac)
		default:
			c.Unchanged++
		}
	}
	for mac := range old {
		if _, ok := cur[mac]; !ok {
			c.Removed = append(c.Removed, mac)
		}
	}
	sort.Strings(c.Added)
	sort.Strings(c.Removed)
	sort.Strings(c.Changed)
	return c
}
