package phoneprov

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func TestContainerOrder(t *testing.T) {
	// The counting sort must give what a stable sort by bucket gives:
	// buckets ascending, insertion order within a bucket (with
	// duplicates, which route tables have).
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 100, 5000} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("%012x.cfg", rng.Uint64()%uint64(n/2+1))
		}
		type item struct {
			key string
			seq int
		}
		items := make([]item, n)
		for i, k := range keys {
			items[i] = item{k, i}
		}
		want := slices.Clone(items)
		sort.SliceStable(want, func(i, j int) bool {
			return astBucket(want[i].key, astBuckets) < astBucket(want[j].key, astBuckets)
		})
		got := containerOrder(items, func(it item) string { return it.key })
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: order differs from a stable sort by bucket", n)
		}
	}
}
