package phoneprov

// Asterisk keeps res_phoneprov's users and routes in ao2 hash containers of
// 563 buckets keyed by ast_str_hash of the MAC or the URI. Iterating such a
// container visits bucket 0 to 562 and, within a bucket, objects in
// insertion order. PP_EACH_USER and `phoneprov show routes` expose that
// order, so phoneprovd reproduces it (SPEC §11 erratum 12).

// astBuckets is MAX_USER_BUCKETS and MAX_ROUTE_BUCKETS.
const astBuckets = 563

// astStrHash is ast_str_hash: djb2 with xor over the bytes, masked to 31
// bits (ast_str_hash_restrict).
func astStrHash(s string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(s); i++ {
		h = h*33 ^ uint32(s[i])
	}
	return h & 0x7fffffff
}

// astBucket is the bucket an object keyed by s lands in.
func astBucket(s string, buckets uint32) uint32 {
	return astStrHash(s) % buckets
}

// containerOrder returns items in the order an ao2 container keyed by
// key(item) iterates them: by bucket, then in the order of items. It is a
// counting sort, hashing each key once.
func containerOrder[T any](items []T, key func(T) string) []T {
	buckets := make([]uint32, len(items))
	start := make([]int, astBuckets+1)
	for i, it := range items {
		b := astBucket(key(it), astBuckets)
		buckets[i] = b
		start[b+1]++
	}
	for b := 1; b < len(start); b++ {
		start[b] += start[b-1]
	}
	out := make([]T, len(items))
	for i, it := range items {
		out[start[buckets[i]]] = it
		start[buckets[i]]++
	}
	return out
}
