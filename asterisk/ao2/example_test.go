package ao2_test

import (
	"fmt"

	"github.com/phoneprovd/phoneprovd/asterisk/ao2"
)

// Order gives phones in the order res_phoneprov's users container iterates
// them, which is the order of PP_EACH_USER's phone book: by bucket of the
// MAC's hash, then in the order the phones were added.
func ExampleOrder() {
	added := []string{"0004f2000003", "0004f2000001", "0004f2000002", "000b82aabbcc"}
	for _, mac := range ao2.Order(added, ao2.PhoneprovBuckets, func(m string) string { return m }) {
		fmt.Println(mac, ao2.Bucket(mac, ao2.PhoneprovBuckets))
	}
	// Output:
	// 0004f2000001 62
	// 0004f2000003 64
	// 0004f2000002 65
	// 000b82aabbcc 286
}
