package expr

import "unicode/utf8"

// bracketElem is one element of a bracket expression.
type bracketElem struct {
	kind    byte // 'c' character, 's' collating symbol, 'e' equivalence class, 'k' character class
	r       rune
	name    string
	multi   bool // a multibyte character
	invalid bool // a byte that is not UTF-8: r is its value
}

// bracket parses a bracket expression after '[' (parse_bracket_exp) and
// leaves t.pos after the closing ']'.
func (t *ereTranslator) bracket() (string, error) {
	var set runeSet
	negate := false
	if t.pos >= len(t.src) {
		return "", errBadPattern
	}
	if t.src[t.pos] == '^' {
		negate = true
		t.pos++
		if t.pos >= len(t.src) {
			return "", errBadPattern
		}
	}
	first := true
	for {
		start, err := t.bracketElement(first)
		if err != nil {
			return "", err
		}
		first = false
		if t.pos >= len(t.src) && start.kind != 'k' && start.kind != 'e' {
			return "", errBracket
		}
		isRange := false
		if start.kind != 'k' && start.kind != 'e' && t.src[t.pos] == '-' {
			if t.pos+1 >= len(t.src) {
				return "", errBracket
			}
			// A '-' right before the closing ']' is literal and is
			// read as the next element.
			if t.src[t.pos+1] != ']' {
				t.pos++
				isRange = true
			}
		}
		if isRange {
			end, err := t.bracketElement(true)
			if err != nil {
				return "", err
			}
			lo, err := rangeEnd(start)
			if err != nil {
				return "", err
			}
			hi, err := rangeEnd(end)
			if err != nil {
				return "", err
			}
			if lo > hi {
				return "", errRange
			}
			set.add(lo, hi)
		} else if err := t.addBracketElem(&set, start); err != nil {
			return "", err
		}
		if t.pos >= len(t.src) {
			return "", errBracket
		}
		if t.src[t.pos] == ']' {
			t.pos++
			break
		}
	}
	return set.goClass(negate, t.bytesMode), nil
}

// bracketElement reads one element (parse_bracket_element); a leading
// ']' or '-' is literal only where glibc allows it.
func (t *ereTranslator) bracketElement(acceptHyphen bool) (bracketElem, error) {
	r, n, invalid := decodeERE(t.src[t.pos:])
	if n > 1 {
		t.pos += n
		return bracketElem{kind: 'c', r: r, multi: true}, nil
	}
	c := t.src[t.pos]
	if invalid {
		t.pos++
		return bracketElem{kind: 'c', r: rune(c), invalid: true}, nil
	}
	if c == '[' && t.pos+1 < len(t.src) {
		switch d := t.src[t.pos+1]; d {
		case '.', '=', ':':
			t.pos += 2
			return t.bracketSymbol(d)
		}
	}
	if c == '-' && !acceptHyphen {
		if t.pos+1 >= len(t.src) || t.src[t.pos+1] != ']' {
			return bracketElem{}, errRange
		}
	}
	t.pos++
	return bracketElem{kind: 'c', r: rune(c)}, nil
}

// bracketSymbol reads the name of [.x.], [=x=] or [:name:] up to the
// delimiter followed by ']' (parse_bracket_symbol).
func (t *ereTranslator) bracketSymbol(delim byte) (bracketElem, error) {
	if t.pos >= len(t.src) {
		return bracketElem{}, errBracket
	}
	start := t.pos
	for i := 0; ; i++ {
		if i >= 32 {
			return bracketElem{}, errBracket
		}
		ch := t.src[t.pos]
		t.pos++
		if t.pos >= len(t.src) {
			return bracketElem{}, errBracket
		}
		if ch == delim && t.src[t.pos] == ']' {
			break
		}
	}
	name := t.src[start : t.pos-1]
	t.pos++
	kind := byte('k')
	switch delim {
	case '.':
		kind = 's'
	case '=':
		kind = 'e'
	}
	return bracketElem{kind: kind, name: name}, nil
}

// rangeEnd returns the code point a range end point stands for. Only
// single bytes qualify in C.UTF-8, and a byte b stands for U+00b even
// when it is not valid UTF-8 on its own.
func rangeEnd(e bracketElem) (rune, error) {
	switch e.kind {
	case 'k', 'e':
		return 0, errRange
	case 's':
		if len(e.name) != 1 {
			return 0, errCollate
		}
		return rune(e.name[0]), nil
	}
	if e.multi {
		return 0, errCollate
	}
	return e.r, nil
}

// addBracketElem adds a non-range element to set.
func (t *ereTranslator) addBracketElem(set *runeSet, e bracketElem) error {
	switch e.kind {
	case 'c':
		// A lone invalid byte lands in glibc's single-byte table, which
		// only keeps ASCII in a UTF-8 locale: it matches nothing.
		if !e.invalid {
			set.add(e.r, e.r)
		}
	case 's', 'e':
		if len(e.name) != 1 {
			return errCollate
		}
		if c := rune(e.name[0]); c < utf8.RuneSelf {
			set.add(c, c)
		}
	case 'k':
		cls, ok := t.posixClass(e.name)
		if !ok {
			return errClass
		}
		set.addSet(cls)
	}
	return nil
}
