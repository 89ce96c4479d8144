package funcs

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/expr"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// testNow is the fixed clock of every test engine: Tuesday 2023-11-14
// 22:13:20.123456 UTC.
var testNow = time.Unix(1700000000, 123456000)

// testVars is the variable list test renders substitute against.
var testVars = subst.Vars{
	{Name: "MAC", Value: "0004F2A1B2C3"},
	{Name: "LIST", Value: "one,two,three,four,five"},
	{Name: "DASHED", Value: "ex-amp-le"},
	{Name: "TABBED", Value: "a\tb\tc"},
	{Name: "SPACED", Value: "abc def ghi jkl"},
	{Name: "EMPTY", Value: ""},
	{Name: "N", Value: "41"},
	{Name: "NEG", Value: "-2147483648"},
	{Name: "MAXINT", Value: "2147483647"},
	{Name: "BLANK", Value: "   "},
	{Name: "NOTNUM", Value: "12abc"},
	{Name: "TRAIL", Value: "12 "},
	{Name: "REF", Value: "${MAC}"},
	{Name: "LOWER", Value: "lower"},
	{Name: "DUP", Value: "a,b,a,c,a"},
	{Name: "MULTI", Value: "x::y::z::y"},
}

// vars builds a variable list from name, value pairs.
func vars(kv ...string) subst.Vars {
	var v subst.Vars
	for i := 0; i+1 < len(kv); i += 2 {
		v = append(v, subst.Var{Name: kv[i], Value: kv[i+1]})
	}
	return v
}

// logRecorder is a slog handler that keeps the messages it is given, so a
// test can tell a function that failed from one that returned "".
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Message)
	return nil
}

// failed reports whether a function error was logged.
func (h *logRecorder) failed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.ContainsFunc(h.msgs, func(m string) bool { return strings.Contains(m, "function failed") })
}

// newEngine builds a substitution engine with the library configured by
// cfg, the fixed clock, and a recorder for its warnings.
func newEngine(cfg Config) (*subst.Engine, *logRecorder) {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	rec := &logRecorder{}
	e := subst.New(subst.Config{
		Funcs:  subst.NewRegistry(Functions(cfg)...),
		Now:    func() time.Time { return testNow },
		Logger: slog.New(rec),
	})
	return e, rec
}

// tcase is one template rendered through a real engine: want is the text,
// fails that the function reported an error (Asterisk's -1), volatile that
// the result depends on the clock.
type tcase struct {
	in       string
	want     string
	fails    bool
	volatile bool
}

// runCases renders each case on a fresh engine (function errors are
// logged once per engine) and checks text, failure and volatility.
func runCases(t *testing.T, cfg Config, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		e, rec := newEngine(cfg)
		r := e.Substitute(tc.in, testVars, subst.Options{})
		if r.Text != tc.want {
			t.Errorf("%s = %q, want %q", tc.in, r.Text, tc.want)
		}
		if got := rec.failed(); got != tc.fails {
			t.Errorf("%s: function failed = %v, want %v", tc.in, got, tc.fails)
		}
		if r.Volatile != tc.volatile {
			t.Errorf("%s: volatile = %v, want %v", tc.in, r.Volatile, tc.volatile)
		}
		if r.Err != nil {
			t.Errorf("%s: render error %v", tc.in, r.Err)
		}
	}
}

func TestFunctionsRegistered(t *testing.T) {
	fns := Functions(Config{})
	byName := map[string]*subst.Func{}
	for _, f := range fns {
		if byName[f.Name] != nil {
			t.Errorf("%s registered twice", f.Name)
		}
		byName[f.Name] = f
	}
	// The buffer each function gets in ast_func_read2: read_max for a
	// legacy .read (VAR_BUF_SIZE 4096 without one), none with .read2.
	want := map[string]int{
		"TOLOWER": 0, "TOUPPER": 0, "LEN": 12, "CUT": 0, "REPLACE": 0, "STRREPLACE": 0,
		"FILTER": 4096, "IF": 4096, "IFTIME": 4096, "ISNULL": 2, "EXISTS": 2, "SET": 0,
		"STRFTIME": 4096, "STRPTIME": 4096, "MATH": 4096, "INC": 4096, "DEC": 4096,
		"MIN": 12, "MAX": 12, "ABS": 12, "SPRINTF": 4096, "REGEX": 4096, "FIELDQTY": 0,
		"FIELDNUM": 0, "LISTFILTER": 0, "QUOTE": 4096, "CSV_QUOTE": 4096, "TRIM": 4096,
		"LTRIM": 4096, "RTRIM": 4096, "PASSTHRU": 0, "EVAL": 0, "BASE64_ENCODE": 0,
		"BASE64_DECODE": 0, "MD5": 33, "SHA1": 42, "URIENCODE": 4096, "URIDECODE": 4096,
		"ENV": 4096, "STAT": 12, "GLOBAL": 4096,
	}
	for name, size := range want {
		f := byName[name]
		if f == nil {
			t.Errorf("%s is not registered", name)
			continue
		}
		if f.ReadMax != size {
			t.Errorf("%s ReadMax = %d, want %d", name, f.ReadMax, size)
		}
		// Only STAT escalates among these (func_env.c load_module).
		if f.Escalating != (name == "STAT") {
			t.Errorf("%s Escalating = %v", name, f.Escalating)
		}
		// A rendered file is reused across reloads only if every function
		// it called is Pure: none that reads the clock, files, the
		// environment or zone data may claim to be.
		impure := map[string]bool{"STRFTIME": true, "STRPTIME": true, "IFTIME": true, "ENV": true, "STAT": true, "GLOBAL": true}
		if f.Pure == impure[name] {
			t.Errorf("%s Pure = %v", name, f.Pure)
		}
	}
	if len(byName) != len(want) {
		t.Errorf("%d functions registered, want %d", len(byName), len(want))
	}
	// Functions phoneprovd must not provide.
	for _, name := range []string{"SHELL", "FILE", "DB", "DB_DELETE", "FILE_COUNT_LINE", "SYSINFO"} {
		if byName[name] != nil {
			t.Errorf("%s must not be registered", name)
		}
	}
}

// TestStatBlockedWhenInhibited: STAT is escalating
// (docs/asterisk.md#escalating-functions), so it renders empty when
// escalations are inhibited.
func TestStatBlockedWhenInhibited(t *testing.T) {
	dir := t.TempDir()
	e, _ := newEngine(Config{DataDir: dir})
	if got := e.Substitute("[${STAT(e,"+dir+")}]", nil, subst.Options{InhibitEscalations: true}).Text; got != "[]" {
		t.Errorf("inhibited STAT = %q", got)
	}
	if got := e.Substitute("[${STAT(e,"+dir+")}]", nil, subst.Options{}).Text; got != "[1]" {
		t.Errorf("allowed STAT = %q", got)
	}
}

// FuzzFunctions calls every function, and random templates, with random
// arguments through the engine: nothing may panic, hang or exceed the
// output limit.
func FuzzFunctions(f *testing.F) {
	for _, s := range []string{
		"a,b,c", `\x41-\x5a,ABC`, "1-2&4-", "%Y-%m-%d %3q", "5>3,i", `"^a.*$" abc`,
		"${MAC}", "LIST,\\,,2-", "1?a:b", "*,mon-fri,1-31,jan-dec,UTC", "e,/etc",
		"%-08.3e|%#x|%s", "QUJD", "%41%00%zz", "x=1", "2024-01-02,UTC,%Y-%m-%d",
	} {
		f.Add(uint8(0), s)
	}
	dir := f.TempDir()
	if err := os.WriteFile(dir+"/file", []byte("data"), 0o644); err != nil {
		f.Fatal(err)
	}
	cfg := Config{
		DataDir:   dir,
		LookupEnv: func(name string) (string, bool) { return "env:" + name, true },
		Globals:   subst.Vars{{Name: "G", Value: "global"}},
		Location:  time.UTC,
	}
	names := subst.NewRegistry(Functions(cfg)...).Names()
	e := subst.New(subst.Config{
		Funcs:     subst.NewRegistry(Functions(cfg)...),
		Now:       func() time.Time { return testNow },
		MaxOutput: 1 << 20,
		MaxCalls:  10000,
	})
	f.Fuzz(func(t *testing.T, which uint8, args string) {
		if len(args) > 4096 {
			return
		}
		name := names[int(which)%len(names)]
		for _, tmpl := range []string{"${" + name + "(" + args + ")}", args} {
			r := e.Substitute(tmpl, testVars, subst.Options{})
			if len(r.Text) > 1<<20 {
				t.Fatalf("%q: %d bytes", tmpl, len(r.Text))
			}
		}
	})
}

// BenchmarkStockTemplate renders Asterisk's stock Polycom master config,
// which calls IF, STAT and $[ ] (evaluated by asterisk/expr).
func BenchmarkStockTemplate(b *testing.B) {
	tmpl, err := os.ReadFile("../../../shared/asterisk/samples/phoneprov/000000000000.cfg")
	if err != nil {
		b.Fatal("stock template (../shared/asterisk beside the repository):", err)
	}
	dir := b.TempDir()
	custom := dir + "/custom.cfg"
	if err := os.WriteFile(custom, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	e := subst.New(subst.Config{
		Funcs: subst.NewRegistry(Functions(Config{DataDir: dir, Location: time.UTC})...),
		Expr:  expr.Eval,
	})
	vars := subst.Vars{{Name: "MAC", Value: "0004f2a1b2c3"}, {Name: "CUSTOM_CONFIG", Value: custom}}
	want := `CONFIG_FILES="custom.cfg,config/0004f2a1b2c3, sip.cfg"`
	if got := e.String(string(tmpl), vars); !strings.Contains(got, want) {
		b.Fatalf("rendered %q, want it to contain %q", got, want)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.String(string(tmpl), vars)
	}
}
