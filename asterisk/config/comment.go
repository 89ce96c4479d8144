package config

import "strings"

// commentState is the block comment nesting that config_text_file_load
// carries from line to line (and from one glob match to the next).
type commentState struct {
	// depth counts open ";--" blocks. A "--;" outside any block still
	// lowers it, so it can go negative; every line is then a comment until
	// ";--" raises it back to zero.
	depth int
	// open holds where each open block began; open[depth-1] is the
	// innermost. It is only meaningful while depth > 0.
	open []position
}

// strip removes the comments from one line, scanning for ';' from left to
// right as config_text_file_load does:
//
//   - "\;" is a literal ';' (the backslash is dropped), even inside a block;
//   - ";--" not followed by another '-' opens a block; text before it is
//     kept;
//   - "--;" closes a block; when the outermost closes, the text after it is
//     joined to the text kept before the block;
//   - any other ';' outside a block ends the line.
//
// ok is false when the line has no text to process at all (it began inside
// a block that did not close on it). stray reports a "--;" that drove the
// nesting below zero. err is set when a ";--" would nest deeper than 128
// blocks, where Asterisk loops forever.
func (c *commentState) strip(line string, at position) (kept string, ok, stray bool, err error) {
	var out keptText
	ok = c.depth == 0
	// keeping reports whether the text now being scanned belongs to the
	// kept text: there is no terminator between the kept text and here.
	keeping := ok
	from := 0
	for {
		i := strings.IndexByte(line[from:], ';')
		if i < 0 {
			break
		}
		p := from + i
		switch {
		case p > from && line[p-1] == '\\':
			if keeping {
				out.add(line, from, p-1)
				out.add(line, p, p+1)
			}
			from = p + 1
		case byteAt(line, p+1) == '-' && byteAt(line, p+2) == '-' && byteAt(line, p+3) != '-':
			if c.depth >= maxNestedComments {
				return "", false, false, &Error{File: at.file, Line: at.line,
					Msg: "block comments nested more than 128 levels deep (Asterisk loops forever on this line)"}
			}
			if keeping {
				out.add(line, from, p)
				keeping = false
			}
			c.depth++
			if c.depth > 0 {
				c.open = append(c.open[:c.depth-1], at)
			}
			from = p + 3
		case p >= from+2 && line[p-1] == '-' && line[p-2] == '-':
			if keeping {
				// Outside any block the "--;" is not cut out of the text.
				out.add(line, from, p+1)
			}
			if c.depth == 0 {
				stray = true
			}
			c.depth--
			from = p + 1
			if c.depth == 0 {
				// The outermost block closed: text resumes here, joined
				// to whatever was kept before it.
				ok, keeping = true, true
			}
		default:
			if c.depth == 0 {
				if keeping {
					out.add(line, from, p)
				}
				return out.string(line), ok, stray, nil
			}
			if keeping {
				out.add(line, from, p+1)
			}
			from = p + 1
		}
	}
	if keeping {
		out.add(line, from, len(line))
	}
	return out.string(line), ok, stray, nil
}

// keptText accumulates pieces of a line. While the pieces are contiguous it
// only tracks their bounds, so the common case needs no copy.
type keptText struct {
	start, end int
	pieces     int
	joined     []byte // set once a non-contiguous piece was added
}

// add appends line[i:j].
func (k *keptText) add(line string, i, j int) {
	switch {
	case i >= j:
	case k.pieces == 0:
		k.start, k.end, k.pieces = i, j, 1
	case k.joined == nil && k.end == i:
		k.end = j
	default:
		if k.joined == nil {
			k.joined = append(make([]byte, 0, len(line)), line[k.start:k.end]...)
		}
		k.joined = append(k.joined, line[i:j]...)
		k.pieces++
	}
}

// string returns the accumulated text.
func (k *keptText) string(line string) string {
	switch {
	case k.pieces == 0:
		return ""
	case k.joined == nil:
		return line[k.start:k.end]
	default:
		return string(k.joined)
	}
}
