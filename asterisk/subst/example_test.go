package subst_test

import (
	"fmt"

	"github.com/phoneprovd/phoneprovd/asterisk/expr"
	"github.com/phoneprovd/phoneprovd/asterisk/funcs"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// A line's variables, a template, the substituted text: what res_phoneprov
// does to every dynamic file. The first variable of a name wins, function
// arguments are substituted before the call, and $[ ] divides in floating
// point.
func ExampleEngine_String() {
	e := subst.New(subst.Config{
		Funcs: subst.NewRegistry(funcs.Functions(funcs.Config{})...),
		Expr:  expr.Eval,
	})
	line := subst.Vars{
		{Name: "MAC", Value: "0004F2A1B2C3"},
		{Name: "USERNAME", Value: "6001"},
		{Name: "USERNAME", Value: "shadowed"},
		{Name: "TZOFFSET", Value: "-18000"},
	}
	fmt.Println(e.String("${TOLOWER(${MAC})}.cfg", line))
	fmt.Println(e.String("user=${USERNAME} prefix=${MAC:0:6} hours=$[${TZOFFSET} / 3600]", line))
	fmt.Println(e.String("${UNKNOWN}|${NOSUCHFUNC(x)}|$literal", line))
	// Output:
	// 0004f2a1b2c3.cfg
	// user=6001 prefix=0004F2 hours=-5
	// ||$literal
}

// SplitArgs splits a function's arguments as Asterisk's applications do:
// quotes and backslashes are removed from every argument but the last,
// which is the raw rest.
func ExampleSplitArgs() {
	args := subst.SplitArgs(`"a,b",c\,d,"e",f`, ',', 3, true)
	for _, a := range args {
		fmt.Printf("[%s]", a)
	}
	fmt.Println()
	// Output:
	// [a,b][c,d]["e",f]
}

// Substring is ${VAR:offset:length}: negative offsets count from the end,
// a negative length drops bytes from the end.
func ExampleSubstring() {
	fmt.Println(subst.Substring("0004f2a1b2c3", 6, 3))
	fmt.Println(subst.Substring("0004f2a1b2c3", -6, 4))
	fmt.Println(subst.Substring("0004f2a1b2c3", 0, -6))
	fmt.Printf("%q\n", subst.Substring("0004f2a1b2c3", 20, 2))
	// Output:
	// a1b
	// a1b2
	// 0004f2
	// ""
}
