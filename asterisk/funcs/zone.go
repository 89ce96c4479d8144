package funcs

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"time"
)

// gmt is where Asterisk's ast_tzset lands for a zone it can neither load
// nor parse: UTC, abbreviated GMT.
var gmt = time.FixedZone("GMT", 0)

// zoneCacheSize bounds the zones a library remembers; zone names come from
// templates, so the set is not trusted to stay small.
const zoneCacheSize = 128

// zones resolves zone names as Asterisk's ast_tzset does and remembers
// the results.
type zones struct {
	server *time.Location

	mu    sync.Mutex
	cache map[string]*time.Location
}

// location returns the zone called name; "" is the server's zone.
func (z *zones) location(name string) *time.Location {
	if name == "" {
		return z.server
	}
	z.mu.Lock()
	loc, ok := z.cache[name]
	z.mu.Unlock()
	if ok {
		return loc
	}
	loc = loadZone(name)
	z.mu.Lock()
	if len(z.cache) >= zoneCacheSize {
		clear(z.cache)
	}
	z.cache[name] = loc
	z.mu.Unlock()
	return loc
}

// loadZone resolves a zone name: a zoneinfo zone (a leading ':' is
// dropped, as tzcode does), else — without a leading ':' — a POSIX TZ
// string such as "GMT+5" or "EST5EDT,M3.2.0,M11.1.0", else GMT.
//
// Zoneinfo names go through time.LoadLocation, which refuses absolute
// paths and "..": Asterisk would open such a file; phoneprovd treats the
// name as unknown.
func loadZone(name string) *time.Location {
	file := strings.TrimPrefix(name, ":")
	if file != "" && file != "Local" {
		if loc, err := time.LoadLocation(file); err == nil {
			return loc
		}
	}
	if name[0] != ':' {
		if loc, ok := posixZone(name); ok {
			return loc
		}
	}
	return gmt
}

// posixZone builds a zone from a POSIX TZ string, accepting what tzcode's
// tzparse accepts: a standard name (any run of characters but digits, ',',
// '-' and '+', possibly empty, or <quoted>), an offset west of UTC as
// [+-]hh[:mm[:ss]], and optionally a DST name, its offset (default one hour
// ahead) and the rule ",start[/time],end[/time]" (';' may stand for the
// first ','). Without a rule the US rules apply, as Debian's posixrules
// (America/New_York) gives them today.
func posixZone(s string) (*time.Location, bool) {
	stdName, s, ok := posixName(s)
	if !ok || s == "" {
		return nil, false
	}
	stdOff, s, ok := posixOffset(s)
	if !ok {
		return nil, false
	}
	if s == "" {
		return time.FixedZone(stdName, -stdOff), true
	}
	dstName, s, ok := posixName(s)
	if !ok {
		return nil, false
	}
	dstOff := stdOff - 3600
	if s != "" && s[0] != ',' && s[0] != ';' {
		if dstOff, s, ok = posixOffset(s); !ok {
			return nil, false
		}
	}
	rules := ",M3.2.0,M11.1.0"
	if s != "" {
		start, rest, ok := posixRule(s[1:])
		if !ok || rest == "" || rest[0] != ',' {
			return nil, false
		}
		end, rest, ok := posixRule(rest[1:])
		if !ok || rest != "" {
			return nil, false
		}
		rules = "," + start + "," + end
	}
	footer := "<" + stdName + ">" + formatPosixOffset(stdOff) +
		"<" + dstName + ">" + formatPosixOffset(dstOff) + rules
	loc, err := time.LoadLocationFromTZData(stdName, tzifWithFooter(stdName, -stdOff, footer))
	if err != nil {
		return nil, false
	}
	return loc, true
}

// posixName reads a zone abbreviation: <quoted>, or the characters up to
// a digit, ',', '-' or '+' (tzcode's getzname sets no minimum length).
func posixName(s string) (name, rest string, ok bool) {
	if s != "" && s[0] == '<' {
		i := strings.IndexByte(s, '>')
		if i < 0 || strings.IndexByte(s[1:i], 0) >= 0 {
			return "", s, false
		}
		return s[1:i], s[i+1:], true
	}
	i := strings.IndexFunc(s, func(r rune) bool {
		return (r >= '0' && r <= '9') || r == ',' || r == '-' || r == '+'
	})
	if i < 0 {
		i = len(s)
	}
	return s[:i], s[i:], true
}

// posixOffset reads [+-]hh[:mm[:ss]] (hours up to 167), in seconds.
func posixOffset(s string) (int, string, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	secs, s, ok := posixTime(s)
	if neg {
		secs = -secs
	}
	return secs, s, ok
}

// posixTime reads hh[:mm[:ss]] in seconds.
func posixTime(s string) (int, string, bool) {
	h, s, ok := posixNumber(s, 0, 24*7-1)
	if !ok {
		return 0, s, false
	}
	secs := h * 3600
	for _, limit := range []int{59, 60} {
		if s == "" || s[0] != ':' {
			break
		}
		var v int
		if v, s, ok = posixNumber(s[1:], 0, limit); !ok {
			return 0, s, false
		}
		if limit == 59 {
			secs += v * 60
		} else {
			secs += v
		}
	}
	return secs, s, true
}

// posixNumber reads a decimal number in [lo, hi].
func posixNumber(s string, lo, hi int) (int, string, bool) {
	i, v := 0, 0
	for i < len(s) && isDigit(s[i]) {
		v = v*10 + int(s[i]-'0')
		if v > hi {
			return 0, s, false
		}
		i++
	}
	if i == 0 || v < lo {
		return 0, s, false
	}
	return v, s[i:], true
}

// posixRule reads one transition rule, Jn, n or Mm.w.d, with an optional
// /time, and returns it in the form Go's zone rules accept.
func posixRule(s string) (string, string, bool) {
	var rule string
	var ok bool
	var v int
	switch {
	case strings.HasPrefix(s, "J"):
		if v, s, ok = posixNumber(s[1:], 1, 365); !ok {
			return "", s, false
		}
		rule = "J" + strconv.Itoa(v)
	case strings.HasPrefix(s, "M"):
		parts := [3]int{}
		limits := [3][2]int{{1, 12}, {1, 5}, {0, 6}}
		s = s[1:]
		for k := range parts {
			if k > 0 {
				if s == "" || s[0] != '.' {
					return "", s, false
				}
				s = s[1:]
			}
			if parts[k], s, ok = posixNumber(s, limits[k][0], limits[k][1]); !ok {
				return "", s, false
			}
		}
		rule = "M" + strconv.Itoa(parts[0]) + "." + strconv.Itoa(parts[1]) + "." + strconv.Itoa(parts[2])
	default:
		if v, s, ok = posixNumber(s, 0, 365); !ok {
			return "", s, false
		}
		rule = strconv.Itoa(v)
	}
	if s != "" && s[0] == '/' {
		var secs int
		if secs, s, ok = posixTime(s[1:]); !ok {
			return "", s, false
		}
		rule += "/" + formatPosixOffset(secs)
	}
	return rule, s, true
}

// formatPosixOffset writes seconds as [-]h:mm:ss.
func formatPosixOffset(secs int) string {
	sign := ""
	if secs < 0 {
		sign, secs = "-", -secs
	}
	return sign + strconv.Itoa(secs/3600) + ":" + twoDigits(secs/60%60) + ":" + twoDigits(secs%60)
}

func twoDigits(v int) string {
	return string([]byte{byte('0' + v/10), byte('0' + v%10)})
}

// tzifWithFooter builds a minimal version 2 zoneinfo file: standard time
// from 1970 on (and before), and footer's rules after that.
func tzifWithFooter(abbrev string, utcOff int, footer string) []byte {
	header := func(b []byte, timecnt, typecnt, charcnt uint32) []byte {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []uint32{0, 0, 0, timecnt, typecnt, charcnt} {
			b = binary.BigEndian.AppendUint32(b, n)
		}
		return b
	}
	ttinfo := func(b []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(utcOff)))
		return append(b, 0, 0) // not DST, abbreviation index 0
	}
	chars := abbrev + "\x00"
	// Version 1 block: one type, no transitions.
	b := header(nil, 0, 1, uint32(len(chars)))
	b = ttinfo(b)
	b = append(b, chars...)
	// Version 2 block: one transition, at the epoch, into that type.
	b = header(b, 1, 1, uint32(len(chars)))
	b = binary.BigEndian.AppendUint64(b, 0)
	b = append(b, 0)
	b = ttinfo(b)
	b = append(b, chars...)
	return append(b, "\n"+footer+"\n"...)
}
