package cstring_test

import (
	"fmt"

	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
)

// True is ast_true: what users.conf accepts as "autoprov = yes".
func ExampleTrue() {
	for _, v := range []string{"yes", "On", "1", "t", "no", "enabled", ""} {
		fmt.Printf("%q:%v ", v, cstring.True(v))
	}
	fmt.Println()
	// Output:
	// "yes":true "On":true "1":true "t":true "no":false "enabled":false "":false
}

// Atoi reads a number as sscanf("%d") does: the digits after blanks and a
// sign, and 0 when there are none — so "linenumber = 2nd" is line 2. A C
// int keeps the low 32 bits of a larger value.
func ExampleAtoi() {
	fmt.Println(cstring.Atoi(" 2nd"), cstring.Atoi("-7"), cstring.Atoi("two"), cstring.Atoi("99999999999"))
	// Output:
	// 2 -7 0 1215752191
}

// StripQuoted trims control bytes and blanks, then one pair of double
// quotes.
func ExampleStripQuoted() {
	fmt.Printf("[%s] [%s]\n", cstring.StripQuoted("  \"Alice Smith\"\t"), cstring.StripQuoted(`"a" "b"`))
	// Output:
	// [Alice Smith] [a" "b]
}
