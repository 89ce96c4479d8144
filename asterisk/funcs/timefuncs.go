package funcs

import (
	"math"
	"math/big"
	"strconv"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// readStrftime is STRFTIME([epoch][,zone][,format]) (func_strings.c
// acf_strftime). The epoch is read with "%30Lf" (fractions feed %q); empty
// or unreadable means now, which makes the render volatile. The zone
// defaults to the server's; an unknown one is GMT (see loadZone). The
// format is the raw remainder, "%c" when absent, formatted by glibc's
// strftime in the C locale after Asterisk has replaced %q (milliseconds)
// and %1q…%6q (that many digits of the fraction).
//
// Two conversions leak the host's zone in Asterisk: %Z prints the host's
// abbreviation and %s the epoch of the same wall-clock time on the host.
// Here both use the requested zone, so %Z is its abbreviation and %s the
// epoch given.
func (l *library) readStrftime(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 3, true)
	sec, usec, ok := parseEpoch64(subst.Arg(args, 0))
	if !ok {
		c.MarkVolatile()
		now := c.Now()
		sec, usec = now.Unix(), int64(now.Nanosecond()/1000)
	}
	format := "%c"
	if len(args) > 2 {
		format = args[2]
	}
	tm := localTime(sec, l.zones.location(subst.Arg(args, 1)))
	if tm.year == invalidYear {
		// ast_localtime fails for a year a C int cannot hold, leaving its
		// struct zeroed (or partly filled); the zeroed one is formatted.
		tm = brokenTime{epoch: sec}
	}
	tm.usec = usec
	out, _ := strftime(expandFraction(format, usec), &tm, legacyBuffer)
	return out, nil
}

// expandFraction replaces Asterisk's %q and %Nq (N 1-6, default 3) with
// that many leading digits of the microseconds, as ast_strftime_locale
// does before calling strftime. It does not know about "%%": in "%%q" the
// second '%' starts a %q.
func expandFraction(format string, usec int64) string {
	out := make([]byte, 0, len(format))
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			out = append(out, c)
			continue
		}
		decimals := 3
		switch n := format[i+1]; {
		case n >= '1' && n <= '6' && i+2 < len(format) && format[i+2] == 'q':
			decimals = int(n - '0')
			i += 2
		case n == 'q':
			i++
		default:
			out = append(out, c)
			continue
		}
		fraction := usec
		for d := 6; d > decimals; d-- {
			fraction /= 10
		}
		out = append(out, zeroPadded(fraction, decimals)...)
	}
	return string(out)
}

// zeroPadded is "%0*ld": at least width characters, zeros after any sign.
func zeroPadded(v int64, width int) string {
	s := strconv.FormatInt(v, 10)
	neg := v < 0
	if neg {
		s = s[1:]
	}
	for len(s) < width-b2i(neg) {
		s = "0" + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// parseEpoch64 reads an epoch as ast_get_timeval does: "%30Lf" into a long
// double, whose integer part (truncated toward zero) is the time_t and
// whose fraction times a million, truncated, the microseconds. Values a
// time_t cannot hold become INT64_MIN, as x86's conversion makes them.
func parseEpoch64(s string) (sec, usec int64, ok bool) {
	if s == "" {
		return 0, 0, false
	}
	num, _, st := scanFloat(s, 30)
	if st != scanMatch {
		return 0, 0, false
	}
	x, finite := cLongDouble(num)
	if !finite {
		return math.MinInt64, math.MinInt64, true
	}
	sec, inRange := truncInt64(x)
	if !inRange {
		sec = math.MinInt64
	}
	// long double arithmetic: each result rounded to a 64-bit mantissa.
	frac := new(big.Float).SetPrec(64).Sub(x, new(big.Float).SetInt64(sec))
	frac.Mul(frac, big.NewFloat(1e6))
	usec, inRange = truncInt64(frac)
	if !inRange {
		usec = math.MinInt64
	}
	return sec, usec, true
}

// cLongDouble converts text collected by scanFloat as strtold does, to a
// value with x87 extended precision (64-bit mantissa, round to nearest).
// It reports false for infinities and NaNs.
func cLongDouble(num string) (*big.Float, bool) {
	f, ok := floatPrefix(num)
	if !ok || f.nan || f.inf {
		return nil, false
	}
	text := f.mant
	switch {
	case f.hex:
		text = "0x" + text
		if f.exp != "" {
			text += "p" + f.exp
		}
	case f.exp != "":
		text += "e" + f.exp
	}
	// The collected text is at most 30 characters, so an exponent this far
	// out is beyond a long double's range (about 1e±4932): infinity or
	// zero, without building a huge exact fraction.
	limit := int64(5000)
	if f.hex {
		limit = 17000
	}
	if e := expValue(f.exp); e > limit {
		return nil, false
	} else if e < -limit {
		return new(big.Float), true
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, false
	}
	x := new(big.Float).SetPrec(64).SetRat(r)
	if f.neg {
		x.Neg(x)
	}
	return x, true
}

// expValue reads an exponent's signed digits, saturating far beyond any
// limit that matters.
func expValue(s string) int64 {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var v int64
	for i := 0; i < len(s); i++ {
		v = min(v*10+int64(s[i]-'0'), 1<<40)
	}
	if neg {
		return -v
	}
	return v
}

// truncInt64 truncates x toward zero, reporting whether the result fits an
// int64.
func truncInt64(x *big.Float) (int64, bool) {
	i, acc := x.Int64()
	if acc == big.Exact || (i != math.MinInt64 && i != math.MaxInt64) {
		return i, true
	}
	// Int64 saturates; decide whether the saturation was real.
	t := new(big.Int)
	x.Int(t)
	return i, t.IsInt64()
}

// readStrptime is STRPTIME(datetime,zone,format) (acf_strptime): datetime
// parsed by glibc's strptime with the raw format, the resulting wall-clock
// time read in zone (the server's when empty) by ast_mktime, printed as a
// C int. A missing format is an error; a datetime that does not match
// gives an empty result.
func (l *library) readStrptime(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 3, true)
	format := subst.Arg(args, 2)
	if format == "" {
		return "", usage("STRPTIME(<timestring>,<timezone>,<format>) needs a format")
	}
	loc := l.zones.location(args[1])
	var tm brokenTime
	epochTime := func(sec int64) brokenTime { return localTime(sec, loc) }
	if !strptime(args[0], format, &tm, epochTime) {
		c.Logf("STRPTIME() found no time specified within the string")
		return "", nil
	}
	return strconv.Itoa(int(int32(mktime(tm, loc)))), nil
}
