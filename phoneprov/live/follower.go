package live

import (
	"context"
	"time"
)

// follower is what the AMI and ARI backends share: the queue of endpoints
// to look up again ("" for all of them) and the client's connection
// state.
type follower struct {
	contacts  // contact changes, for those who follow them (contacts.go)
	name      string
	refresh   chan string
	connected func() bool
	// failure is the client's last failure: its cause, error and time.
	failure func() (cause string, err error, at time.Time)
}

func newFollower(name string, connected func() bool, failure func() (string, error, time.Time)) *follower {
	return &follower{name: name, refresh: make(chan string, 256), connected: connected, failure: failure}
}

// follow runs handle on each event of events until ctx is done or events
// is closed.
func follow[E any](ctx context.Context, events <-chan E, handle func(E)) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				handle(ev)
			}
		}
	}()
}

// send queues a refresh of endpoint name, "" for all.
func (f *follower) send(name string) {
	select {
	case f.refresh <- name:
	default: // a full queue already holds a refresh
	}
}

// Name implements Backend.
func (f *follower) Name() string { return f.name }

// Connected implements Backend.
func (f *follower) Connected() bool { return f.connected() }

// Failure implements Backend.
func (f *follower) Failure() *Failure {
	cause, err, at := f.failure()
	if err == nil || f.connected() {
		return nil
	}
	return &Failure{Backend: f.name, Cause: cause, Message: err.Error(), At: at}
}

// Refresh implements Backend.
func (f *follower) Refresh() <-chan string { return f.refresh }
