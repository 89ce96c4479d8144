// Package daemon runs phoneprovd's parts — the state database, the
// connection to Asterisk, the reload manager, re-sync, the phone-facing
// servers, the admin listener — in the order one list gives them.
//
// A part has a name; everything else it may do is an optional interface,
// as Caddy's modules have: start with a context and stop, hear about each
// snapshot swap and each fetch of a phone's file, add admin routes and a
// /status section, check and apply the settings of an edited
// phoneprovd.conf. What a part needs of another is its constructor's
// argument, in the one function that lists the parts: a part comes after
// those it uses, starts after them and stops before them.
package daemon

import (
	"context"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Part is one piece of the running daemon. Name names it in logs and
// errors, and is its /status section when it is a Reporter; names are
// unique.
type Part interface {
	Name() string
}

// Starter is a part with something to start: workers (Host.Go), a
// listener, a first load. Start runs once, in list order, after every
// part before it started; ctx ends when the part stops. An error stops
// the daemon from starting.
type Starter interface {
	Start(ctx context.Context, h *Host) error
}

// Stopper is a part with something to stop gracefully (a server's
// Shutdown). Stop runs in reverse list order, before the part's context
// ends and its workers are waited for; ctx bounds the grace period (the
// workers get a second more, for a last write).
type Stopper interface {
	Stop(ctx context.Context) error
}

// Swapper hears about each snapshot swapped in, after the settings it came
// with were applied, on the reload manager's goroutine: it must not block.
// The first swap is announced during the Start of the part that loads the
// first snapshot, so parts listed after it hear about it before they
// start.
type Swapper interface {
	Swapped(sw reload.Swap)
}

// Fetcher hears about each of its dynamic files a phone fetched (its MAC,
// the generation of the snapshot that served it), on the goroutine that
// served it: it must be quick.
type Fetcher interface {
	Fetched(mac string, generation uint64)
}

// Router adds handlers and phone sections to the admin listener. It is
// called for every part before any starts.
type Router interface {
	AdminRoutes(a *admin.Server)
}

// Reporter is a part with a section in /status, under its name: Status is
// called per request, from any goroutine; nil leaves the section out (the
// part is off).
type Reporter interface {
	Status() any
}

// SettingsChecker is a part that may refuse new settings before anything
// applies them: a certificate that does not load, an admin listener left
// open without credentials. The error refuses the whole reload, which
// keeps the snapshot and settings in force; it names the file and line
// (Settings.Where).
type SettingsChecker interface {
	CheckSettings(s *settings.Settings) error
}

// Reconfigurer is a part whose settings may change while it runs.
// Reconfigure is called with every new phoneprovd.conf that loaded (and
// passed every check), when the snapshot built with it is swapped in and
// before Swapped. It applies what can change live and lists, as
// "[general] http changed (…)", what it still runs with because only a
// restart can change it: every difference between what it runs with and
// s, not only those of this edit. An error leaves the part's previous
// settings in force.
type Reconfigurer interface {
	Reconfigure(s *settings.Settings) (needsRestart []string, err error)
}
