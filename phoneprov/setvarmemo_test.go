package phoneprov

import (
	"fmt"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// memoEngine is a load engine with one pure function, UP, and one impure,
// CLOCK, that counts its calls.
func memoEngine(clock *int) *phoneSet {
	up := &subst.Func{Name: "UP", Pure: true, Read: func(_ *subst.Call, a string) (string, error) {
		return strings.ToUpper(a), nil
	}}
	ck := &subst.Func{Name: "CLOCK", Read: func(_ *subst.Call, _ string) (string, error) {
		*clock++
		return fmt.Sprint(*clock), nil
	}}
	return &phoneSet{
		secretVars: map[string]bool{"SECRET": true},
		loadEngine: subst.New(subst.Config{Funcs: subst.NewRegistry(up, ck)}),
	}
}

// TestSetvarMemo checks that memoised setvars give every line its own
// value, that a setvar whose inputs differ per line stops being kept, that
// one whose inputs repeat (the time zone's) is kept, that a setvar read
// from a secret stays secret when it hits, and that an impure one is
// substituted every time and marks the load impure.
func TestSetvarMemo(t *testing.T) {
	var clock int
	ps := memoEngine(&clock)
	name := &subst.Var{Name: "NAME", Value: "${UP(${DISPLAY_NAME})}"}
	zone := &subst.Var{Name: "ZONE", Value: "${UP(${TZ})}/${UNSET}"}
	pass := &subst.Var{Name: "PASS", Value: "${SECRET:0:2}"}
	var m setvarMemo
	const n = memoTrial + 100
	for i := range n {
		vars := subst.Vars{
			{Name: "DISPLAY_NAME", Value: fmt.Sprintf("user %d", i)},
			{Name: "TZ", Value: []string{"europe/paris", "asia/kolkata"}[i%2]},
			{Name: "SECRET", Value: "s3cret"},
		}
		if got, secret := m.substitute(ps, name, vars); got != fmt.Sprintf("USER %d", i) || secret {
			t.Fatalf("line %d NAME = %q secret %v", i, got, secret)
		}
		if got, secret := m.substitute(ps, zone, vars); got != []string{"EUROPE/PARIS/", "ASIA/KOLKATA/"}[i%2] || secret {
			t.Fatalf("line %d ZONE = %q secret %v", i, got, secret)
		}
		if got, secret := m.substitute(ps, pass, vars); got != "s3" || !secret {
			t.Fatalf("line %d PASS = %q secret %v", i, got, secret)
		}
	}
	if s := m.stats[name]; !s.off || m.bySetvar[name] != nil {
		t.Errorf("NAME still kept after %d distinct inputs: %+v", n, s)
	}
	if s := m.stats[zone]; s.off || s.hits != n-2 {
		t.Errorf("ZONE: %+v, want %d hits", s, n-2)
	}
	if s := m.stats[pass]; s.off || s.hits != n-1 {
		t.Errorf("PASS: %+v, want %d hits", s, n-1)
	}
	if m.impure {
		t.Error("pure setvars marked the load impure")
	}

	tick := &subst.Var{Name: "TICK", Value: "${CLOCK()}"}
	for i := range 3 {
		if got, _ := m.substitute(ps, tick, nil); got != fmt.Sprint(i+1) {
			t.Errorf("TICK call %d = %q: an impure setvar was memoised", i+1, got)
		}
	}
	if !m.impure {
		t.Error("an impure setvar did not mark the load impure")
	}
}

// TestUniq checks first-seen order without repeats.
func TestUniq(t *testing.T) {
	got := uniq([]string{"B", "A", "B", "C", "A"})
	if strings.Join(got, ",") != "B,A,C" {
		t.Errorf("uniq = %v", got)
	}
}

// TestMemoKey checks a missing variable is told from an empty one and
// values cannot run into each other.
func TestMemoKey(t *testing.T) {
	names := []string{"A", "B"}
	keys := map[string]subst.Vars{}
	for _, vars := range []subst.Vars{
		{{Name: "A", Value: ""}},
		nil,
		{{Name: "A", Value: "x"}, {Name: "B", Value: "y"}},
		{{Name: "A", Value: "xy"}, {Name: "B", Value: ""}},
		{{Name: "A", Value: "x"}},
	} {
		k := memoKey(names, vars)
		if prev, dup := keys[k]; dup {
			t.Errorf("%v and %v share key %q", prev, vars, k)
		}
		keys[k] = vars
	}
}
