package phoneprov

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"os"
	"path"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// Fingerprint identifies everything one phone is served, in two parts: Loud
// covers the files whose change is worth a NOTIFY, Quiet those the
// phone's profile lists in Options.QuietFiles (phone books), whose change
// is served at once but left for the phone's next periodic check.
type Fingerprint struct {
	Loud, Quiet [sha256.Size]byte
}

// Fingerprints computes, for every phone, a fingerprint of everything it
// would be served: each dynamic route's URI and rendered body (by the body's
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
func (s *Snapshot) Fingerprints(server string, prev *Snapshot) map[string]Fingerprint {
	byPhone := make(map[*Phone][]*Route)
	for _, r := range s.routes.all {
		if r.Phone != nil && s.routes.byURI[r.URI] == r {
			byPhone[r.Phone] = append(byPhone[r.Phone], r)
		}
	}
	quiet := make(map[*Profile][]string)
	for _, p := range s.Profiles {
		quiet[p] = s.opts.QuietFiles[p.Name]
	}
	statics := make(map[*Profile][]byte)
	for _, p := range s.Profiles {
		statics[p] = s.staticFingerprint(p)
	}

	rs := newReuse(prev, s)
	// Each worker takes the next chunk of phones: a channel per phone
	// would cost more in hand-offs between goroutines than it spreads.
	const chunk = 64
	sums := make([]Fingerprint, len(s.phones))
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
					static := statics[p.Profile]
					if ps := s.pluginStatics(p); ps != nil {
						static = append(static[:len(static):len(static)], ps...)
					}
					sums[start+i] = s.phoneFingerprint(p, byPhone[p], static, quiet[p.Profile], server, rs.forPhone(p))
				}
			}
		})
	}
	wg.Wait()
	out := make(map[string]Fingerprint, len(s.phones))
	for i, p := range s.phones {
		out[p.MAC] = sums[i]
	}
	return out
}

func (s *Snapshot) phoneFingerprint(p *Phone, routes []*Route, static []byte, quiet []string, server string, rs *reuse) Fingerprint {
	loud, hushed := sha256.New(), sha256.New()
	write := func(h hash.Hash, b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, r := range routes {
		h := loud
		if matchAny(quiet, r.URI) {
			h = hushed
		}
		write(h, []byte(r.URI))
		write(h, []byte(r.File.MIME))
		body, err := s.render(r, Reached{Server: server}, rs)
		switch {
		case err != nil:
			write(h, []byte("error: "+err.Error()))
		case body.Volatile && r.plugin == nil:
			text, _ := s.texts.get(r.File.Template)
			write(h, []byte("volatile: "+text))
		default:
			write(h, body.sum[:])
		}
	}
	write(loud, static)
	var d Fingerprint
	loud.Sum(d.Loud[:0])
	hushed.Sum(d.Quiet[:0])
	return d
}

// matchAny reports whether uri matches one of the globs (path.Match).
func matchAny(globs []string, uri string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, uri); ok {
			return true
		}
	}
	return false
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

// Changes is what a reload changed, phone by phone (by MAC). Changed
// phones had a file change that is worth a NOTIFY; Quiet phones had only
// files of their profile's QuietFiles change.
type Changes struct {
	Added, Removed, Changed, Quiet []string
	Unchanged                      int
}

// Empty reports whether no phone changed.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0 && len(c.Quiet) == 0
}

// Diff compares the fingerprints of two snapshots.
func Diff(old, cur map[string]Fingerprint) Changes {
	var c Changes
	for mac, d := range cur {
		prev, ok := old[mac]
		switch {
		case !ok:
			c.Added = append(c.Added, mac)
		case prev.Loud != d.Loud:
			c.Changed = append(c.Changed, mac)
		case prev.Quiet != d.Quiet:
			c.Quiet = append(c.Quiet, mac)
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
	sort.Strings(c.Quiet)
	return c
}
