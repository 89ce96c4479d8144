package expr_test

import (
	"fmt"

	"github.com/phoneprovd/phoneprovd/asterisk/expr"
)

// Eval is $[ ] after its inner substitution: long double arithmetic
// printed with %.18Lg, comparisons giving 1 or 0, regular expressions with
// ":" and "=~" (quoted when they hold parentheses, which would otherwise
// group), the ternary "? ::", and "|" returning an operand.
func ExampleEval() {
	for _, e := range []string{
		"19800 / 3600",
		"2 / 3",
		"0004f2a1b2c3 : 0004f2",
		`T46G =~ "T4(.)"`,
		"5 > 3 ? yes :: no",
		"abc | def",
		"\"10\" = 10",
	} {
		fmt.Printf("$[%s] = %s\n", e, expr.Eval(e))
	}
	// Output:
	// $[19800 / 3600] = 5.5
	// $[2 / 3] = 0.666666666666666667
	// $[0004f2a1b2c3 : 0004f2] = 6
	// $[T46G =~ "T4(.)"] = 6
	// $[5 > 3 ? yes :: no] = yes
	// $[abc | def] = abc
	// $["10" = 10] = 0
}
