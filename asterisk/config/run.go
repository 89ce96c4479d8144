package config

import (
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"
)

// utf8BOM is removed from the first line of a load.
const utf8BOM = "\xEF\xBB\xBF"

// run is one call of config_text_file_load: the files matching one name,
// parsed in order. The current section and the block comment state carry
// over from one matching file to the next.
type run struct {
	l        *loader
	cat      *Section // the section variables go to; nil before the first
	depth    int      // 0 for the main file, 1 for its includes, ...
	comments commentState
	// started records that a line has been read, so that the byte order
	// mark is only removed from the first line of the first file.
	started bool
}

// fatal is a line error that ends the current file, as a -1 from
// process_text_line does.
type fatal struct{ msg string }

func (f *fatal) Error() string { return f.msg }

// fatalf returns a *fatal with a formatted message.
func fatalf(format string, args ...any) error {
	return &fatal{msg: fmt.Sprintf(format, args...)}
}

// parseAndFinish parses one file and then reports what config_text_file_load
// reports after each file: a fatal error (turned into a warning for an
// included file, which Asterisk abandons while its includer continues) and
// an unterminated block comment.
func (r *run) parseAndFinish(file, text string) (loadStatus, *Error, error) {
	failed, err := r.parse(file, text)
	if err != nil {
		return 0, nil, err
	}
	if failed != nil && r.depth > 0 {
		r.l.diagnose(Diagnostic{File: failed.File, Line: failed.Line, Fatal: true,
			Msg: failed.Msg + "; Asterisk ignores the rest of this included file"})
	}
	if r.comments.depth > 0 {
		at := r.comments.open[r.comments.depth-1]
		r.l.warn(at.file, at.line, "block comment ';--' is never closed with '--;'")
	}
	if failed != nil {
		return loadInvalid, failed, nil
	}
	return loadOK, nil, nil
}

// parse reads text line by line as fgets with an 8192-byte buffer would and
// processes each line. It returns the fatal line error that ended the file,
// if any, or an error that ends the whole load.
func (r *run) parse(file, text string) (*Error, error) {
	firstFile := !r.started
	r.started = true
	line := 0
	for off := 0; off < len(text); {
		var chunk string
		chunk, off = nextChunk(text, off)
		line++
		r.l.at = position{file, line}
		if err := r.l.countLine(); err != nil {
			return nil, err
		}
		s := cString(chunk)
		if tooLong(s) {
			r.l.warn(file, line, fmt.Sprintf("line longer than %d bytes; skipped together with its continuation", lineBufferSize-2))
			for off < len(text) {
				chunk, off = nextChunk(text, off)
				if !tooLong(cString(chunk)) {
					break
				}
			}
			continue
		}
		if line == 1 && firstFile {
			s = strings.TrimPrefix(s, utf8BOM)
		}
		kept, ok, stray, err := r.comments.strip(s, r.l.at)
		if err != nil {
			return nil, err
		}
		if stray {
			r.l.warn(file, line, "'--;' outside a block comment: Asterisk ignores the following lines until a ';--'")
		}
		if !ok {
			continue
		}
		if kept = cstring.Strip(kept); kept == "" {
			continue
		}
		if err := r.processLine(kept, file, line); err != nil {
			var f *fatal
			if errors.As(err, &f) {
				return &Error{File: file, Line: line, Msg: f.msg}, nil
			}
			return nil, err
		}
	}
	return nil, nil
}

// nextChunk returns what one fgets call with Asterisk's 8192-byte buffer
// reads at off: up to 8191 bytes, ending after the first newline.
func nextChunk(text string, off int) (chunk string, next int) {
	end := min(off+lineBufferSize-1, len(text))
	if i := strings.IndexByte(text[off:end], '\n'); i >= 0 {
		end = off + i + 1
	}
	return text[off:end], end
}

// tooLong reports whether a chunk filled the whole buffer without reaching
// the end of its line (measured, as in C, up to its first NUL byte).
func tooLong(s string) bool {
	return len(s) == lineBufferSize-1 && s[len(s)-1] != '\n'
}

// processLine dispatches one trimmed, non-empty line on its first byte, as
// process_text_line does.
func (r *run) processLine(line, file string, n int) error {
	switch line[0] {
	case '[':
		return r.header(line, file, n)
	case '#':
		return r.directive(line, file, n)
	default:
		return r.assign(line, file, n)
	}
}
