package ao2

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func TestStrHash(t *testing.T) {
	if got := StrHash(""); got != 5381 {
		t.Errorf("hash(\"\") = %d", got)
	}
	if got := StrHash("a"); got != (5381*33^'a')&0x7fffffff {
		t.Errorf("hash(a) = %d", got)
	}
	// A real Asterisk's phone book lists 0004f2c0ffee before 0004f2d4e5f6.
	if !(Bucket("0004f2c0ffee", PhoneprovBuckets) < Bucket("0004f2d4e5f6", PhoneprovBuckets)) {
		t.Error("bucket order disagrees with the golden directory")
	}
}

func TestOrder(t *testing.T) {
	// The counting sort must give what a stable sort by bucket gives:
	// buckets ascending, insertion order within a bucket (with
	// duplicates, which route tables have).
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 100, 5000} {
		type item struct {
			key string
			seq int
		}
		items := make([]item, n)
		for i := range items {
			items[i] = item{fmt.Sprintf("%012x.cfg", rng.Uint64()%uint64(n/2+1)), i}
		}
		want := slices.Clone(items)
		sort.SliceStable(want, func(i, j int) bool {
			return Bucket(want[i].key, PhoneprovBuckets) < Bucket(want[j].key, PhoneprovBuckets)
		})
		got := Order(items, PhoneprovBuckets, func(it item) string { return it.key })
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: order differs from a stable sort by bucket", n)
		}
	}
}
