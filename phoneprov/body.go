package phoneprov

import (
	"io"
)

// pieces is a body kept as slices of shared byte sources: its own bytes
// (the values substituted into it), its template's text (the long runs it
// copies verbatim) and shared PP_EACH_USER lists. Ten thousand bodies of
// one template then hold the template's text once; a body costs its own
// bytes and eight bytes per piece.
type pieces struct {
	srcs  [][]byte // srcs[0] is the body's own bytes
	segs  []seg
	size  int // bytes in all
	owned int // bytes the body holds alone: its own and its pieces'
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

// bytes returns the piece's bytes in p.
func (p *pieces) bytes(s seg) []byte {
	return p.srcs[s.src()][s.off() : s.off()+s.len()]
}

func (p *pieces) writeTo(w io.Writer) (int64, error) {
	var total int64
	for _, s := range p.segs {
		n, err := w.Write(p.bytes(s))
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (p *pieces) appendTo(dst []byte) []byte {
	for _, s := range p.segs {
		dst = append(dst, p.bytes(s)...)
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
	for n < len(b) && r.seg < len(r.p.segs) {
		piece := r.p.bytes(r.p.segs[r.seg])
		c := copy(b[n:], piece[r.off:])
		n += c
		r.off += c
		if r.off == len(piece) {
			r.seg++
			r.off = 0
		}
	}
	if n == 0 && r.seg >= len(r.p.segs) {
		return 0, io.EOF
	}
	return n, nil
}

// piecesBuilder puts a body's pieces together.
type piecesBuilder struct {
	p  pieces
	ok bool // false once a limit was passed: the body is kept flat
}

// newPiecesBuilder starts the pieces of a body whose own bytes are own,
// with room for segs pieces and srcs sources.
func newPiecesBuilder(own []byte, segs, srcs int) *piecesBuilder {
	b := &piecesBuilder{p: pieces{srcs: make([][]byte, 1, srcs+1), segs: make([]seg, 0, segs)}, ok: true}
	b.p.srcs[0] = own
	return b
}

// add appends n bytes at off of src; src is identified by its first byte.
func (b *piecesBuilder) add(src []byte, off, n int) {
	if n == 0 {
		return
	}
	i := -1
	for k, s := range b.p.srcs {
		if len(s) > 0 && len(src) > 0 && &s[0] == &src[0] {
			i = k
			break
		}
	}
	if i < 0 {
		i = len(b.p.srcs)
		b.p.srcs = append(b.p.srcs, src)
	}
	if i > maxSrcs || off > segMax || n > segMax {
		b.ok = false
		return
	}
	if k := len(b.p.segs) - 1; k >= 0 {
		if last := b.p.segs[k]; last.src() == i && last.off()+last.len() == off && last.len()+n <= segMax {
			b.p.segs[k] = makeSeg(i, last.off(), last.len()+n)
			b.p.size += n
			return
		}
	}
	b.p.segs = append(b.p.segs, makeSeg(i, off, n))
	b.p.size += n
}

// done returns the pieces.
func (b *piecesBuilder) done() pieces {
	p := b.p
	p.owned = len(p.srcs[0]) + 8*cap(p.segs) + 24*cap(p.srcs)
	return p
}
