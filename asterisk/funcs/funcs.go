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
	return []*subst.Func{
		// func_strings.c
		unlimited("TOLOWER", readToLower),
		unlimited("TOUPPER", readToUpper),
		legacy("LEN", readLen, 12),
		unlimited("REPLACE", readReplace),
		unlimited("STRREPLACE", readStrReplace),
		legacy("FILTER", readFilter, legacyBuffer),
		unlimited("FIELDQTY", readFieldQty),
		unlimited("FIELDNUM", readFieldNum),
		unlimited("LISTFILTER", readListFilter),
		legacy("QUOTE", readQuote, legacyBuffer),
		legacy("CSV_QUOTE", readCSVQuote, legacyBuffer),
		legacy("TRIM", readTrim, legacyBuffer),
		legacy("LTRIM", readLTrim, legacyBuffer),
		legacy("RTRIM", readRTrim, legacyBuffer),
		unlimited("PASSTHRU", readPassthru),
		unlimited("EVAL", readEval),
		legacy("REGEX", readRegex, legacyBuffer),
		legacy("STRFTIME", l.readStrftime, legacyBuffer),
		legacy("STRPTIME", l.readStrptime, legacyBuffer),
		// func_cut.c
		unlimited("CUT", readCut),
		// func_logic.c
		legacy("IF", readIf, legacyBuffer),
		legacy("IFTIME", l.readIfTime, legacyBuffer),
		legacy("ISNULL", readIsNull, 2),
		legacy("EXISTS", readExists, 2),
		unlimited("SET", readSet),
		// func_math.c
		legacy("MATH", readMath, legacyBuffer),
		legacy("INC", readInc, legacyBuffer),
		legacy("DEC", readDec, legacyBuffer),
		legacy("MIN", readMin, 12),
		legacy("MAX", readMax, 12),
		legacy("ABS", readAbs, 12),
		// func_sprintf.c
		legacy("SPRINTF", readSprintf, legacyBuffer),
		// func_base64.c, func_md5.c, func_sha1.c, func_uri.c
		unlimited("BASE64_ENCODE", readBase64Encode),
		unlimited("BASE64_DECODE", readBase64Decode),
		legacy("MD5", readMD5, 33),
		legacy("SHA1", readSHA1, 42),
		legacy("URIENCODE", readURIEncode, legacyBuffer),
		legacy("URIDECODE", readURIDecode, legacyBuffer),
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
