package rollout

import (
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// What the administrator gives a rollout: its waves, which phones, how
// long each step may take and how many failures halt it.

// DefaultWaves are the waves of a rollout that names none.
const DefaultWaves = "1%,10%,50%,100%"

// Step is one wave as written: where it ends, as a share of the phones
// (Percent) or a number of them (Count), counted from the first phone.
type Step struct {
	Percent float64 // 0 < Percent ≤ 100, when Count is 0
	Count   int
}

// ParseWaves reads a comma-separated list of cumulative wave ends, each
// a percentage ("10%", "0.5%") or a number of phones ("5"), strictly
// increasing, the last one 100%: "1%,10%,50%,100%", "5,50,100%".
func ParseWaves(s string) ([]Step, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("waves: none given (e.g. 1%,10%,50%,100%)")
	}
	parts := strings.Split(s, ",")
	if len(parts) > 100 {
		return nil, fmt.Errorf("waves: %d waves, at most 100", len(parts))
	}
	steps := make([]Step, 0, len(parts))
	for i, part := range parts {
		part = strings.TrimSpace(part)
		var st Step
		if num, ok := strings.CutSuffix(part, "%"); ok {
			p, err := strconv.ParseFloat(num, 64)
			if err != nil || math.IsNaN(p) || p <= 0 || p > 100 {
				return nil, fmt.Errorf("waves: wave %d: %q is not a percentage above 0 and at most 100", i+1, part)
			}
			st.Percent = p
		} else {
			n, err := strconv.Atoi(part)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("waves: wave %d: %q is neither a percentage (10%%) nor a number of phones above 0", i+1, part)
			}
			st.Count = n
		}
		if i > 0 {
			prev := steps[i-1]
			if (prev.Count == 0 && st.Count == 0 && st.Percent <= prev.Percent) || (prev.Count > 0 && st.Count > 0 && st.Count <= prev.Count) {
				return nil, fmt.Errorf("waves: wave %d (%s) does not go beyond wave %d: waves are cumulative (1%%,10%%,100%%)", i+1, part, i)
			}
			if prev.Count == 0 && st.Count > 0 {
				return nil, fmt.Errorf("waves: wave %d (%s): a number of phones cannot follow a percentage", i+1, part)
			}
		}
		steps = append(steps, st)
	}
	if last := steps[len(steps)-1]; last.Count > 0 || last.Percent != 100 {
		return nil, errors.New("waves: the last wave must be 100% (every selected phone)")
	}
	return steps, nil
}

// Sizes splits n phones into waves: the number of phones of each wave
// that is not empty. A percentage is rounded up (1% of 30 phones is 1
// phone); a wave that would add no phone is left out.
func Sizes(steps []Step, n int) []int {
	var sizes []int
	done := 0
	for _, st := range steps {
		end := st.Count
		if st.Count == 0 {
			end = int(math.Ceil(st.Percent * float64(n) / 100))
		}
		end = min(end, n)
		if end > done {
			sizes = append(sizes, end-done)
			done = end
		}
	}
	return sizes
}

// DefaultMaxFailures is the failures that halt a wave when none is given.
const DefaultMaxFailures = "5%"

// Threshold is how many failed phones halt a wave: a number, or a share
// of the wave (at least one phone).
type Threshold struct {
	Percent float64
	Count   int
}

// ParseThreshold reads "-max-failures": a number of phones ("3") or a
// percentage of each wave ("5%").
func ParseThreshold(s string) (Threshold, error) {
	s = strings.TrimSpace(s)
	if num, ok := strings.CutSuffix(s, "%"); ok {
		p, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsNaN(p) || p <= 0 || p > 100 {
			return Threshold{}, fmt.Errorf("max-failures: %q is not a percentage above 0 and at most 100", s)
		}
		return Threshold{Percent: p}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return Threshold{}, fmt.Errorf("max-failures: %q is neither a number of phones above 0 nor a percentage (5%%)", s)
	}
	return Threshold{Count: n}, nil
}

// For is the number of failed phones that halts a wave of size phones.
func (t Threshold) For(size int) int {
	if t.Count > 0 {
		return t.Count
	}
	return max(1, int(math.Ceil(t.Percent*float64(size)/100)))
}

// Selector narrows the phones a rollout takes: every key given must
// match; a key matches when one of its values does. Models, profiles and
// firmware versions are path.Match globs; MACs are in any notation.
type Selector struct {
	Models    []string
	Profiles  []string
	Firmwares []string
	MACs      map[string]bool // 12 lower-case hex digits
}

// selectKeys are the keys of -select, as the daemon reads them ("file="
// is read by the command, which sends the MACs).
var selectKeys = []string{"model", "mac", "profile", "firmware"}

// ParseSelector reads -select expressions, "KEY=VALUE[,VALUE...]", KEY one
// of model, mac, profile, firmware; macs adds MACs as "mac=" does.
func ParseSelector(exprs []string, macs []string) (Selector, error) {
	var s Selector
	addMAC := func(v, where string) error {
		m, ok := family.NormalizeMAC(v)
		if !ok {
			return fmt.Errorf("select: %s: %q is not a MAC address", where, v)
		}
		if s.MACs == nil {
			s.MACs = make(map[string]bool)
		}
		s.MACs[m] = true
		return nil
	}
	for _, e := range exprs {
		key, value, ok := strings.Cut(e, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok || strings.TrimSpace(value) == "" {
			return Selector{}, fmt.Errorf("select: %q is not KEY=VALUE (keys: %s, file)", e, strings.Join(selectKeys, ", "))
		}
		for _, v := range strings.Split(value, ",") {
			v = strings.TrimSpace(v)
			if v == "" {
				return Selector{}, fmt.Errorf("select: %q has an empty value", e)
			}
			if key != "mac" {
				if _, err := path.Match(v, ""); err != nil {
					return Selector{}, fmt.Errorf("select: %q: %q is not a valid pattern", e, v)
				}
			}
			switch key {
			case "model":
				s.Models = append(s.Models, v)
			case "profile":
				s.Profiles = append(s.Profiles, v)
			case "firmware":
				s.Firmwares = append(s.Firmwares, v)
			case "mac":
				if err := addMAC(v, e); err != nil {
					return Selector{}, err
				}
			default:
				return Selector{}, fmt.Errorf("select: unknown key %q in %q (keys: %s, file)", key, e, strings.Join(selectKeys, ", "))
			}
		}
	}
	for _, m := range macs {
		if err := addMAC(m, "the list of MACs"); err != nil {
			return Selector{}, err
		}
	}
	return s, nil
}

// Match reports whether a phone is selected.
func (s Selector) Match(c Candidate) bool {
	return matchAny(s.Models, c.Model) && matchAny(s.Profiles, c.Profile) && matchAny(s.Firmwares, c.Firmware) &&
		(s.MACs == nil || s.MACs[c.MAC])
}

// matchAny reports whether v matches one of patterns (all when none).
func matchAny(patterns []string, v string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if ok, _ := path.Match(p, v); ok {
			return true
		}
	}
	return false
}

// ReadMACs reads a file of MACs, one per line ("#" starts a comment; any
// notation), as -select file=PATH gives them. Errors name the line.
func ReadMACs(name string, data []byte) ([]string, error) {
	var out []string
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m, ok := family.NormalizeMAC(line)
		if !ok {
			return nil, fmt.Errorf("%s:%d: %q is not a MAC address", name, i+1, line)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no MAC address in it", name)
	}
	return out, nil
}
