package main

import (
	"context"

	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// startState opens the state database. A state directory that cannot be
// created or written stops phoneprovd at once, naming the directory: it
// would otherwise lose what it observes without anyone noticing. Later
// failures (a full disk) degrade /readyz, show in /status and the
// phoneprovd_state_writable gauge, and are retried.
func (d *daemon) startState(ctx context.Context) error {
	st, err := state.Open(state.Config{Dir: d.settings.General.StateDir, Logger: d.log.With("component", "state")})
	if err != nil {
		return err
	}
	d.state = st
	d.admin.Section("state", func() any { return st.Health() })
	d.admin.Degraded(st.Degraded)
	// Run flushes until the daemon stops, then once more; the database is
	// closed after every worker has returned.
	d.run(ctx, st.Run)
	return nil
}
