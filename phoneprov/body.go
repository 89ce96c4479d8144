package phoneprov

import (
	"encoding/binary"
	"io"
	"sync"
)

// pieces is a body kept as slices of shared byte sources: its own bytes
// (the values substituted into it), its template's text (the long runs it
// copies verbatim) and shared PP_EACH_USER lists. Ten thousand bodies of
// one template then hold the template's text once; a body costs its own
// bytes and eight bytes per piece.
//
// A body's pieces and own bytes are one allocation (data), and bodies
// with the same sources share one srcs slice (sourceSets): serving a body
// touches its Rendered and its data, the rest being shared by every phone
// of the template and so most likely in the CPU's cache.
type pieces struct {
	// data is a flat body's bytes; or, for a body in pieces, its nseg
	// pieces (8 bytes each, little-endian) then its own bytes.
	data []byte
	nseg int
	size int       // bytes in all, of a body in pieces
	srcs *[][]byte // a body in pieces' shared sources ((*srcs)[0] is nil: source 0 is its own bytes)
}

// seg is one piece: n bytes at off of source src, packed into 64 bits.
type seg uint64

const (
	segBits = 28 // of offset and of length: 256 MiB
	segMax  = 1<<segBits - 1
	maxSrcs = 255
)

func makeSeg(src, off, n int) seg {
	return seg(uint64(src)<<(2*segBits) | uint64(off)<<segBits | uint64(n))
}

func (s seg) src() int { return int(uint64(s) >> (2 * segBits)) }
func (s seg) off() int { return int(uint64(s)>>segBits) & segMax }
func (s seg) len() int { return int(uint64(s)) & segMax }

// inPieces reports whether the body is kept in pieces, not flat.
func (p *pieces) inPieces() bool { return p.nseg > 0 }

// seg returns piece i.
func (p *pieces) seg(i int) seg { return seg(binary.LittleEndian.Uint64(p.data[8*i:])) }

// bytes returns the bytes of piece i.
func (p *pieces) bytes(i int) []byte {
	s := p.seg(i)
	if src := s.src(); src != 0 {
		return (*p.srcs)[src][s.off() : s.off()+s.len()]
	}
	own := p.data[8*p.nseg:]
	return own[s.off() : s.off()+s.len()]
}

func (p *pieces) writeTo(w io.Writer) (int64, error) {
	var total int64
	for i := range p.nseg {
		n, err := w.Write(p.bytes(i))
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (p *pieces) appendTo(dst []byte) []byte {
	for i := range p.nseg {
		dst = append(dst, p.bytes(i)...)
	}
	return dst
}

// piecesReader reads a body in pieces.
type piecesReader struct {
	p   *pieces
	seg int // next piece
	off int // into it
}

func (r *piecesReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && r.seg < r.p.nseg {
		piece := r.p.bytes(r.seg)
		c := copy(b[n:], piece[r.off:])
		n += c
		r.off += c
		if r.off == len(piece) {
			r.seg++
			r.off = 0
		}
	}
	if n == 0 && r.seg >= r.p.nseg {
		return 0, io.EOF
	}
	return n, nil
}

// piecesBuilder puts a body's pieces together.
type piecesBuilder struct {
	srcs [][]byte // srcs[0] is the body's own bytes
	segs []seg
	size int
	ok   bool // false once a limit was passed: the body is kept flat
}

// newPiecesBuilder starts the pieces of a body whose own bytes are own,
// with room for segs pieces and srcs sources.
func newPiecesBuilder(own []byte, segs, srcs int) *piecesBuilder {
	b := &piecesBuilder{srcs: make([][]byte, 1, srcs+1), segs: make([]seg, 0, segs), ok: true}
	b.srcs[0] = own
	return b
}

// add appends n bytes at off of src; src is identified by its first byte.
func (b *piecesBuilder) add(src []byte, off, n int) {
	if n == 0 {
		return
	}
	i := -1
	for k, s := range b.srcs {
		if len(s) > 0 && len(src) > 0 && &s[0] == &src[0] {
			i = k
			break
		}
	}
	if i < 0 {
		i = len(b.srcs)
		b.srcs = append(b.srcs, src)
	}
	if i > maxSrcs || off > segMax || n > segMax {
		b.ok = false
		return
	}
	if k := len(b.segs) - 1; k >= 0 {
		if last := b.segs[k]; last.src() == i && last.off()+last.len() == off && last.len()+n <= segMax {
			b.segs[k] = makeSeg(i, last.off(), last.len()+n)
			b.size += n
			return
		}
	}
	b.segs = append(b.segs, makeSeg(i, off, n))
	b.size += n
}

// done returns the pieces, their sources taken from sets. A body of no
// piece comes out flat and empty.
func (b *piecesBuilder) done(sets *sourceSets) pieces {
	own := b.srcs[0]
	data := make([]byte, 8*len(b.segs)+len(own))
	for i, s := range b.segs {
		binary.LittleEndian.PutUint64(data[8*i:], uint64(s))
	}
	copy(data[8*len(b.segs):], own)
	return pieces{srcs: sets.intern(b.srcs[1:]), data: data, nseg: len(b.segs), size: b.size}
}

// sourceSets hands out one srcs slice for every body with the same shared
// sources (identified by their first bytes), so that a snapshot holds one
// per template and list combination, not one per body.
type sourceSets struct {
	mu   sync.Mutex
	sets map[*byte][]*[][]byte // by the first byte of the first source
}

// intern returns a srcs slice whose element 0 is nil and whose others are
// shared, the same as those of another body when they can be.
func (ss *sourceSets) intern(shared [][]byte) *[][]byte {
	if len(shared) == 0 {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.sets == nil {
		ss.sets = make(map[*byte][]*[][]byte)
	}
	first := &shared[0][0]
	for _, set := range ss.sets[first] {
		if sameSources((*set)[1:], shared) {
			return set
		}
	}
	set := make([][]byte, 1, len(shared)+1)
	set = append(set, shared...)
	ss.sets[first] = append(ss.sets[first], &set)
	return &set
}

// sameSources reports whether a and b are the same byte slices.
func sameSources(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) || &a[i][0] != &b[i][0] {
			return false
		}
	}
	return true
}
