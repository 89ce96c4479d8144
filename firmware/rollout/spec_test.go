package rollout

import (
	"slices"
	"strings"
	"testing"
)

func TestWaves(t *testing.T) {
	for _, c := range []struct {
		waves string
		n     int
		want  []int
	}{
		{DefaultWaves, 100, []int{1, 9, 40, 50}},
		{DefaultWaves, 3, []int{1, 1, 1}}, // 10% of 3 is the 1 phone of wave 1: left out
		{DefaultWaves, 1, []int{1}},
		{"0.5%, 100%", 1000, []int{5, 995}},
		{"5,50,100%", 30, []int{5, 25}},
		{"1,10%,100%", 200, []int{1, 19, 180}},
		{"100%", 7, []int{7}},
	} {
		steps, err := ParseWaves(c.waves)
		if err != nil {
			t.Errorf("%q: %v", c.waves, err)
			continue
		}
		if got := Sizes(steps, c.n); !slices.Equal(got, c.want) {
			t.Errorf("%q of %d: %v, want %v", c.waves, c.n, got, c.want)
		}
	}
	for _, c := range []struct{ waves, frag string }{
		{"", "none given"},
		{"10%,10%,100%", "wave 2 (10%) does not go beyond wave 1"},
		{"10,5,100%", "wave 2 (5) does not go beyond wave 1"},
		{"10%,5,100%", "cannot follow a percentage"},
		{"150%", "not a percentage"},
		{"NaN%", "not a percentage"},
		{"-3,100%", "neither a percentage"},
		{"10%,50%", "the last wave must be 100%"},
		{"10%,", "neither a percentage"},
	} {
		if _, err := ParseWaves(c.waves); err == nil || !strings.Contains(err.Error(), c.frag) {
			t.Errorf("%q: %v, want %q", c.waves, err, c.frag)
		}
	}
}

func TestThreshold(t *testing.T) {
	for _, c := range []struct {
		s    string
		size int
		want int
	}{
		{"5%", 100, 5}, {"5%", 10, 1}, {"5%", 30, 2}, {"5%", 1, 1}, {"3", 1000, 3}, {"50%", 3, 2},
	} {
		th, err := ParseThreshold(c.s)
		if err != nil || th.For(c.size) != c.want {
			t.Errorf("%q of %d: %d %v, want %d", c.s, c.size, th.For(c.size), err, c.want)
		}
	}
	for _, s := range []string{"0", "-1", "0%", "101%", "x", ""} {
		if _, err := ParseThreshold(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestSelector(t *testing.T) {
	sel, err := ParseSelector([]string{"model=T46S,T48*", "profile=desk", "mac=00:15:65:AA:BB:CC,0015.65aa.bbcd"}, []string{"001565aabbce"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		c    Candidate
		want bool
	}{
		{Candidate{MAC: "001565aabbcc", Model: "T46S", Profile: "desk"}, true},
		{Candidate{MAC: "001565aabbcd", Model: "T48S", Profile: "desk"}, true},
		{Candidate{MAC: "001565aabbce", Model: "T46S", Profile: "desk"}, true},
		{Candidate{MAC: "001565aabbcc", Model: "T27G", Profile: "desk"}, false},
		{Candidate{MAC: "001565aabbcc", Model: "T46S", Profile: "lobby"}, false},
		{Candidate{MAC: "001565aabbcf", Model: "T46S", Profile: "desk"}, false},
	} {
		if got := sel.Match(c.c); got != c.want {
			t.Errorf("%+v: %v", c.c, got)
		}
	}
	if !(Selector{}).Match(Candidate{MAC: "x"}) {
		t.Error("an empty selector does not match everything")
	}
	for _, c := range []struct{ expr, frag string }{
		{"model", "not KEY=VALUE"},
		{"model=", "not KEY=VALUE"},
		{"model=T46S,", "empty value"},
		{"mac=nope", `"nope" is not a MAC address`},
		{"model=[", "not a valid pattern"},
		{"file=macs.txt", `unknown key "file"`},
	} {
		if _, err := ParseSelector([]string{c.expr}, nil); err == nil || !strings.Contains(err.Error(), c.frag) {
			t.Errorf("%q: %v, want %q", c.expr, err, c.frag)
		}
	}
}

func TestReadMACs(t *testing.T) {
	got, err := ReadMACs("macs.txt", []byte("# the lobby\n80:5e:c0:aa:bb:01\n\n805EC0AABB02  # second\r\n"))
	if err != nil || !slices.Equal(got, []string{"805ec0aabb01", "805ec0aabb02"}) {
		t.Errorf("%v %v", got, err)
	}
	if _, err := ReadMACs("macs.txt", []byte("805ec0aabb01\nphone-2\n")); err == nil || err.Error() != `macs.txt:2: "phone-2" is not a MAC address` {
		t.Errorf("bad line: %v", err)
	}
	if _, err := ReadMACs("macs.txt", []byte("# nothing\n")); err == nil || !strings.Contains(err.Error(), "no MAC address") {
		t.Errorf("empty: %v", err)
	}
}
