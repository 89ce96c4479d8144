package phoneprov

import (
	"encoding/binary"
	"math/bits"
)

// polyHash is a polynomial hash of a byte string modulo the Mersenne prime
// 2⁶¹−1 in two independent bases, with the string's length: hashes of
// concatenations compose (concat), so a phone book's sum is computed
// from the shared list's prefix hashes without reading the list again.
// Two different strings of length L collide with probability about
// (L/2⁶¹)², far below anything a reload could meet; the hashes are used
// only within a process, to tell whether a body changed.
type polyHash struct {
	a, b uint64 // Σ byte·base^k mod p, in each base
	n    int    // length in bytes
}

const (
	mersenne61 = 1<<61 - 1
	polyBaseA  = 0x1f3d5b79a2c4e6f
	polyBaseB  = 0x0d1c2b3a4958677
)

// extend returns the hash of the string h stands for followed by p.
func (h polyHash) extend(p []byte) polyHash {
	a, b := h.a, h.b
	for _, c := range p {
		a = mulMod61(a, polyBaseA) + uint64(c)
		b = mulMod61(b, polyBaseB) + uint64(c)
	}
	return polyHash{a: reduce61(a), b: reduce61(b), n: h.n + len(p)}
}

// concat returns the hash of h's string followed by t's.
func (h polyHash) concat(t polyHash) polyHash {
	if t.n == 0 {
		return h
	}
	return polyHash{
		a: reduce61(mulMod61(h.a, powMod61(polyBaseA, t.n)) + t.a),
		b: reduce61(mulMod61(h.b, powMod61(polyBaseB, t.n)) + t.b),
		n: h.n + t.n,
	}
}

// suffixAfter returns the hash of what h's string adds to prefix's, h
// being the hash of prefix's string followed by more.
func (h polyHash) suffixAfter(prefix polyHash) polyHash {
	k := h.n - prefix.n
	return polyHash{
		a: subMod61(h.a, mulMod61(prefix.a, powMod61(polyBaseA, k))),
		b: subMod61(h.b, mulMod61(prefix.b, powMod61(polyBaseB, k))),
		n: k,
	}
}

// sum is the body sum of a body whose bytes h stands for: tagged so that
// it never equals a SHA-256 sum by construction of its zero bytes.
func (h polyHash) sum() [32]byte {
	var s [32]byte
	copy(s[:8], "polyhash")
	binary.BigEndian.PutUint64(s[8:], h.a)
	binary.BigEndian.PutUint64(s[16:], h.b)
	binary.BigEndian.PutUint64(s[24:], uint64(h.n))
	return s
}

// mulMod61 returns a·b mod 2⁶¹−1 for a, b < 2⁶¹ (not fully reduced: the
// result is below 2⁶¹+small, which reduce61 or the next step absorbs).
func mulMod61(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// 2⁶⁴ ≡ 2³ (mod 2⁶¹−1)
	return reduce61((hi<<3 | lo>>61) + lo&mersenne61)
}

// reduce61 reduces x < 2⁶³ modulo 2⁶¹−1.
func reduce61(x uint64) uint64 {
	x = x&mersenne61 + x>>61
	if x >= mersenne61 {
		x -= mersenne61
	}
	return x
}

func subMod61(a, b uint64) uint64 {
	return reduce61(a + mersenne61 - b)
}

// powMod61 returns base^k mod 2⁶¹−1.
func powMod61(base uint64, k int) uint64 {
	r := uint64(1)
	for k > 0 {
		if k&1 == 1 {
			r = mulMod61(r, base)
		}
		base = mulMod61(base, base)
		k >>= 1
	}
	return r
}
