package console

import (
	"slices"
	"unicode/utf8"
)

// Mask is what replaces a secret in the pages; its length says nothing
// of the secret's.
const Mask = "••••••••"

// masker hides secret values in text: every byte covered by an
// occurrence of any of them, overlapping or nested, is part of a masked
// run, and each run becomes one Mask. A secret that also appears inside
// other text (a password "1234" in "61234") is masked there too: the
// console cannot tell which occurrence carries the secret, and shows less
// rather than leak it.
type masker struct {
	byLen map[int]map[string]bool
	lens  []int // the lengths of the secrets, longest first
}

// atLeast returns a masker of the secrets of n bytes or more only.
func (m *masker) atLeast(n int) *masker {
	short := &masker{byLen: m.byLen}
	for _, l := range m.lens {
		if l >= n {
			short.lens = append(short.lens, l)
		}
	}
	return short
}

// newMasker returns a masker of the non-empty secrets.
func newMasker(secrets ...[]string) *masker {
	m := &masker{byLen: make(map[int]map[string]bool)}
	for _, list := range secrets {
		for _, s := range list {
			if s == "" {
				continue
			}
			set := m.byLen[len(s)]
			if set == nil {
				set = make(map[string]bool)
				m.byLen[len(s)] = set
				m.lens = append(m.lens, len(s))
			}
			set[s] = true
		}
	}
	slices.Sort(m.lens)
	slices.Reverse(m.lens)
	return m
}

// mask returns text with the secrets masked, cut after limit bytes of
// the original (truncated reports it). Occurrences that run past the
// limit are still found, so that a cut never shows the head of a secret.
func (m *masker) mask(text []byte, limit int) (out string, truncated bool) {
	end := len(text)
	if limit >= 0 && end > limit {
		end, truncated = limit, true
	}
	// One pass: at each byte, the longest secret starting there (it
	// reaches furthest) extends the masked run in progress.
	var b []byte
	last := 0   // text[last:i] is yet to be copied
	reach := -1 // the end of the masked run in progress, -1 when none
	ended := -1 // where the last run ended: a run starting there joins it
	for i := 0; i < end; i++ {
		for _, n := range m.lens {
			if i+n <= len(text) && m.byLen[n][string(text[i:i+n])] {
				if reach < 0 && i != ended {
					b = append(b, text[last:i]...)
					b = append(b, Mask...)
				}
				reach = max(reach, i+n)
				break // the longest match at i reaches furthest
			}
		}
		if reach >= 0 && i+1 >= reach {
			last, ended, reach = reach, reach, -1
		}
	}
	switch {
	case reach >= 0:
		// A run covering the cut: nothing after it is shown.
	case last < end:
		b = append(b, text[last:end]...)
	}
	if truncated {
		// Do not end in the middle of a character.
		for len(b) > 0 {
			if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
				break
			}
			b = b[:len(b)-1]
		}
	}
	return string(b), truncated
}
