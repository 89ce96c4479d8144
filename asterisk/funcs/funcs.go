// Package funcs is the dialplan function library phoneprovd's templates,
// route URIs and setvars can call: the read side of Asterisk 20.20.1's
// func_strings, func_cut, func_logic, func_math, func_sprintf, func_env,
// func_base64, func_md5, func_sha1, func_uri and func_global, written anew
// to behave byte for byte like them (C locale, glibc 2.36 formatting).
//
// Each function receives its argument text already substituted and splits
// it as its C counterpart does (subst.SplitArgs). A function that would
// return -1 in Asterisk returns an error, which the substitution core logs
// and renders as nothing. Functions Asterisk offers but phoneprovd must
// not (SHELL, FILE, DB, function writes) are not part of the library.
package funcs

import (
	"fmt"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// Config configures the function library.
type Config struct {
	// DataDir confines STAT (Asterisk's AST_DATA_DIR): a file that is not
	// inside it once its path is cleaned and its symbolic links resolved
	// is reported as missing, and relative names are resolved against it.
	// Empty means STAT sees no file at all.
	DataDir string

	// LookupEnv answers ENV(); nil makes every variable invisible.
	LookupEnv func(name string) (string, bool)

	// Globals answers GLOBAL() (Asterisk's dialplan globals); nil has none.
	Globals subst.Scope

	// Location is the server's zone for STRFTIME, STRPTIME and IFTIME when
	// they are given none; nil means time.Local.
	Location *time.Location
}

// legacyBuffer is VAR_BUF_SIZE, the buffer Asterisk gives a function that
// has only a legacy read callback: its result is cut to 4095 bytes.
const legacyBuffer = 4096

// library is the state the functions share: the configuration and the
// zones resolved so far.
type library struct {
	cfg   Config
	zones zones
}

// Functions returns the library as subst.Funcs, one per name.
func Functions(cfg Config) []*subst.Func {
	server := cfg.Location
	if server == nil {
		server = time.Local
	}
	l := &library{cfg: cfg, zones: zones{server: server, cache: make(map[string]*time.Location)}}
	legacy := func(name string, read func(*subst.Call, string) (string, error), size int) *subst.Func {
		return &subst.Func{Name: name, Read: read, ReadMax: size}
	}
	unlimited := func(name string, read func(*subst.Call, string) (string, error)) *subst.Func {
		return &subst.Func{Name: name, Read: read}
	}
	// pure marks the functions that compute from their arguments alone
	// (subst.Func.Pure); those reading the clock, files, the environment
	// or time-zone data are left out.
	pure := func(f *subst.Func) *subst.Func {
		f.Pure = true
		return f
	}
	return []*subst.Func{
		// func_strings.c
		pure(unlimited("TOLOWER", readToLower)),
		pure(unlimited("TOUPPER", readToUpper)),
		pure(legacy("LEN", readLen, 12)),
		pure(unlimited("REPLACE", readReplace)),
		pure(unlimited("STRREPLACE", readStrReplace)),
		pure(legacy("FILTER", readFilter, legacyBuffer)),
		pure(unlimited("FIELDQTY", readFieldQty)),
		pure(unlimited("FIELDNUM", readFieldNum)),
		pure(unlimited("LISTFILTER", readListFilter)),
		pure(legacy("QUOTE", readQuote, legacyBuffer)),
		pure(legacy("CSV_QUOTE", readCSVQuote, legacyBuffer)),
		pure(legacy("TRIM", readTrim, legacyBuffer)),
		pure(legacy("LTRIM", readLTrim, legacyBuffer)),
		pure(legacy("RTRIM", readRTrim, legacyBuffer)),
		pure(unlimited("PASSTHRU", readPassthru)),
		pure(unlimited("EVAL", readEval)),
		pure(legacy("REGEX", readRegex, legacyBuffer)),
		legacy("STRFTIME", l.readStrftime, legacyBuffer),
		legacy("STRPTIME", l.readStrptime, legacyBuffer),
		// func_cut.c
		pure(unlimited("CUT", readCut)),
		// func_logic.c
		pure(legacy("IF", readIf, legacyBuffer)),
		legacy("IFTIME", l.readIfTime, legacyBuffer),
		pure(legacy("ISNULL", readIsNull, 2)),
		pure(legacy("EXISTS", readExists, 2)),
		pure(unlimited("SET", readSet)),
		// func_math.c
		pure(legacy("MATH", readMath, legacyBuffer)),
		pure(legacy("INC", readInc, legacyBuffer)),
		pure(legacy("DEC", readDec, legacyBuffer)),
		pure(legacy("MIN", readMin, 12)),
		pure(legacy("MAX", readMax, 12)),
		pure(legacy("ABS", readAbs, 12)),
		// func_sprintf.c
		pure(legacy("SPRINTF", readSprintf, legacyBuffer)),
		// func_base64.c, func_md5.c, func_sha1.c, func_uri.c
		pure(unlimited("BASE64_ENCODE", readBase64Encode)),
		pure(unlimited("BASE64_DECODE", readBase64Decode)),
		pure(legacy("MD5", readMD5, 33)),
		pure(legacy("SHA1", readSHA1, 42)),
		pure(legacy("URIENCODE", readURIEncode, legacyBuffer)),
		pure(legacy("URIDECODE", readURIDecode, legacyBuffer)),
		// func_env.c, func_global.c
		legacy("ENV", l.readEnv, legacyBuffer),
		{Name: "STAT", Read: l.readStat, ReadMax: 12, Escalating: true},
		legacy("GLOBAL", l.readGlobal, legacyBuffer),
	}
}

// usage is the error a function returns where its C counterpart returns
// -1 for missing or malformed arguments.
func usage(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{subst.ErrArgs}, args...)...)
}
