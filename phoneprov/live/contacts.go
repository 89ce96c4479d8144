package live

import (
	"sync"
	"time"
)

// Contact is a change of a SIP contact's status, as Asterisk reported it:
// AMI's ContactStatus event, ARI's ContactStatusChange.
type Contact struct {
	Backend  string // "ami" or "ari"
	Endpoint string // may be "" (AMI, a contact of no endpoint)
	AOR      string
	URI      string
	// Status is Asterisk's: Created, Updated, Reachable, Unreachable,
	// NonQualified, Removed, Unknown.
	Status string
	At     time.Time // when phoneprovd received it
}

// Registered reports whether the status says the contact is registered
// and answering (or not qualified, which a registration without qualify
// gives).
func (c Contact) Registered() bool {
	switch c.Status {
	case "Created", "Updated", "Reachable", "NonQualified":
		return true
	}
	return false
}

// contacts hands contact changes to those who asked for them.
type contacts struct {
	mu    sync.Mutex
	funcs []func(Contact)
}

// OnContact registers f to be called, on the backend's event goroutine,
// with each contact change from then on. f must not block.
func (c *contacts) OnContact(f func(Contact)) {
	c.mu.Lock()
	c.funcs = append(c.funcs, f)
	c.mu.Unlock()
}

// contact hands ct to every registered function.
func (c *contacts) contact(ct Contact) {
	ct.At = time.Now()
	c.mu.Lock()
	funcs := c.funcs
	c.mu.Unlock()
	for _, f := range funcs {
		f(ct)
	}
}

// ContactBackend is a Backend that reports contact changes: AMI and ARI.
type ContactBackend interface {
	OnContact(f func(Contact))
}

// OnContact registers f with every backend of the cache that reports
// contact changes.
func (c *Cache) OnContact(f func(Contact)) {
	for _, s := range c.cfg.Backends {
		if cs, ok := s.(ContactBackend); ok {
			cs.OnContact(f)
		}
	}
}
