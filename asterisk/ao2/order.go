// Package ao2 reproduces the iteration order of Asterisk's ao2 hash
// containers keyed by strings. res_phoneprov keeps its users and routes
// in containers of 563 buckets keyed by ast_str_hash of the MAC or the
// URI; iterating one visits bucket 0 to 562 and, within a bucket, objects
// in insertion order. PP_EACH_USER and `phoneprov show routes` expose that
// order, so phoneprovd reproduces it (docs/asterisk.md#container-order).
package ao2

// PhoneprovBuckets is res_phoneprov's MAX_USER_BUCKETS and
// MAX_ROUTE_BUCKETS.
const PhoneprovBuckets = 563

// StrHash is ast_str_hash: djb2 with xor over the bytes, masked to 31 bits
// (ast_str_hash_restrict).
func StrHash(s string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(s); i++ {
		h = h*33 ^ uint32(s[i])
	}
	return h & 0x7fffffff
}

// Bucket is the bucket of a container of buckets buckets that an object
// keyed by s lands in.
func Bucket(s string, buckets uint32) uint32 {
	return StrHash(s) % buckets
}

// Order returns items in the order a container of buckets buckets keyed by
// key(item) iterates them: by bucket, then in the order of items. It is a
// counting sort, hashing each key once.
func Order[T any](items []T, buckets uint32, key func(T) string) []T {
	of := make([]uint32, len(items))
	start := make([]int, buckets+1)
	for i, it := range items {
		b := Bucket(key(it), buckets)
		of[i] = b
		start[b+1]++
	}
	for b := 1; b < len(start); b++ {
		start[b] += start[b-1]
	}
	out := make([]T, len(items))
	for i, it := range items {
		out[start[of[i]]] = it
		start[of[i]]++
	}
	return out
}
