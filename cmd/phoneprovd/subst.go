package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/expr"
	"github.com/phoneprovd/phoneprovd/asterisk/funcs"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// varList collects repeated -var NAME=VALUE flags in order.
type varList subst.Vars

func (v *varList) String() string { return "" }

func (v *varList) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME=VALUE", s)
	}
	*v = append(*v, subst.Var{Name: name, Value: value})
	return nil
}

func runSubst(_ context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "subst", "[-var NAME=VALUE]... [-data-dir DIR] [FILE]")
	var vars varList
	fs.Var(&vars, "var", "a variable, NAME=VALUE; repeat for more (the first of a name wins)")
	dataDir := fs.String("data-dir", "/var/lib/asterisk", "Asterisk's data directory, for STAT()")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var in io.Reader = e.stdin
	switch fs.NArg() {
	case 0:
	case 1:
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return fail(e, err)
		}
		defer f.Close()
		in = f
	default:
		fs.Usage()
		return 2
	}
	text, err := io.ReadAll(in)
	if err != nil {
		return fail(e, err)
	}
	eng := subst.New(subst.Config{
		Funcs: subst.NewRegistry(funcs.Functions(funcs.Config{DataDir: *dataDir})...),
		Expr:  expr.Eval,
	})
	res := eng.Substitute(string(text), subst.Vars(vars), subst.Options{})
	if _, err := io.WriteString(e.stdout, res.Text); err != nil {
		return fail(e, err)
	}
	if res.Err != nil {
		return fail(e, res.Err)
	}
	return 0
}
