package profiletest

// Checks shared by the tests: what a rendered file must hold for the phone
// it is rendered for.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Warnings records what the engine logs at warning level or above: an
// unknown function, a function called with bad arguments, a missing
// PP_EACH_EXTENSION file — all template mistakes.
type Warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *Warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (w *Warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, b.String())
	return nil
}

func (w *Warnings) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *Warnings) WithGroup(string) slog.Handler      { return w }

func (w *Warnings) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

// LineValue returns a line variable.
func LineValue(l *phoneprov.Line, name string) string {
	v, _ := l.Vars.Find(name)
	return v
}

// server returns the SERVER a line's phone is rendered with: its own when
// configured, else the address it reached (docs/asterisk.md#server).
func server(l *phoneprov.Line, reached string) string {
	if v, ok := l.Vars.Find("SERVER"); ok {
		return v
	}
	return reached
}

// hostPort joins a host and a port as in a URL: an IPv6 address in
// brackets.
func hostPort(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}

// checkLines asserts that every line of the phone sits in its own account
// settings, that no account exists beyond the phone's lines, and that none
// of the settings a SIP registration needs is empty.
func checkLines(s Settings, f Format, p *phoneprov.Phone, reached string) error {
	var errs []error
	want := func(key, value string) {
		got, err := s.One(key)
		switch {
		case err != nil:
			errs = append(errs, err)
		case got == "":
			errs = append(errs, fmt.Errorf("%s is empty", key))
		case got != value:
			errs = append(errs, fmt.Errorf("%s = %q, want %q", key, got, value))
		}
	}
	for _, l := range p.Lines {
		k := f.Line(l.Index)
		for _, u := range k.Users {
			want(u, LineValue(l, "USERNAME"))
		}
		want(k.Secret, LineValue(l, "SECRET"))
		want(k.Display, LineValue(l, "DISPLAY_NAME"))
		if k.Port == "" {
			want(k.Server, hostPort(server(l, reached), LineValue(l, "SERVER_PORT")))
		} else {
			want(k.Server, server(l, reached))
			want(k.Port, LineValue(l, "SERVER_PORT"))
		}
	}
	beyond := f.Line(p.Lines[len(p.Lines)-1].Index + 1)
	if v, ok := s[beyond.Secret]; ok {
		errs = append(errs, fmt.Errorf("%s = %q, but the phone has no line %d", beyond.Secret, v, p.Lines[len(p.Lines)-1].Index+1))
	}
	return errors.Join(errs...)
}

// checkRef asserts that the setting key of route r names a file phoneprovd
// serves to the same phone: a bare file name, or a URL or server path under
// base — "http://SERVER:PORT/phoneprov/" as the phone reached it
// (docs/asterisk.md#server), IPv6 in brackets — with suffix appended as the
// phone appends it.
func checkRef(snap *phoneprov.Snapshot, r *phoneprov.Route, s Settings, key, suffix, base string) error {
	value, err := s.One(key)
	if err != nil {
		return err
	}
	ref := value + strings.ReplaceAll(suffix, MACMarker, r.Phone.MAC)
	uri := ref
	if strings.Contains(ref, "/") {
		// A server path without a scheme (Grandstream) is the URL without
		// its scheme.
		_, hostAndPath, _ := strings.Cut(base, "://")
		rest, ok := strings.CutPrefix(ref, base)
		if !ok && !strings.Contains(ref, "://") {
			rest, ok = strings.CutPrefix(ref, hostAndPath)
		}
		if !ok {
			return fmt.Errorf("%s = %q is not under %s", key, value, base)
		}
		uri = rest
	}
	target := snap.Route(uri)
	switch {
	case target == nil:
		return fmt.Errorf("%s = %q: no route %q", key, value, uri)
	case !target.Static() && target.Phone != r.Phone:
		return fmt.Errorf("%s = %q: route %q belongs to phone %s", key, value, uri, target.Phone.MAC)
	}
	return nil
}

// checkURLs asserts that every URL in body names the server as the phone
// reached it: hostport ("192.0.2.10:8080", "[2001:db8::10]:8443") after
// the scheme.
func checkURLs(body, scheme, hostport string) error {
	var errs []error
	rest := body
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := strings.LastIndexAny(rest[:i], " \t\n>\"'=") + 1
		end := i + 3 + strings.IndexAny(rest[i+3:]+"/", "/ \n<\"'")
		url := rest[start:end]
		if want := scheme + "://" + hostport; url != want {
			errs = append(errs, fmt.Errorf("URL %q, want %q", url, want))
		}
		rest = rest[end:]
	}
	return errors.Join(errs...)
}

// checkBook asserts that a phonebook lists exactly every other phone's
// first line (docs/asterisk.md#pp_each_user-and-pp_each_extension) and
// not the phone itself.
func checkBook(list []Entry, snap *phoneprov.Snapshot, self *phoneprov.Phone) error {
	var want, got []string
	for _, p := range snap.Phones() {
		if p == self {
			continue
		}
		want = append(want, LineValue(p.Lines[0], "DISPLAY_NAME")+" <"+LineValue(p.Lines[0], "CALLERID")+">")
	}
	own := LineValue(self.Lines[0], "CALLERID")
	var errs []error
	for _, e := range list {
		got = append(got, e.Name+" <"+e.Number+">")
		if e.Number == own {
			errs = append(errs, fmt.Errorf("the phone's own number %s is listed", own))
		}
		if e.Name == "" || e.Number == "" {
			errs = append(errs, fmt.Errorf("entry %+v has an empty name or number", e))
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		errs = append(errs, fmt.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n")))
	}
	return errors.Join(errs...)
}
