package inventory

import (
	"time"

	"github.com/phoneprovd/phoneprovd/family"
)

// rateLimit is a token bucket: burst tokens, refilled over per.
type rateLimit struct {
	burst      float64
	per        time.Duration
	tokens     float64
	last       time.Time
	suppressed int // events refused since the last one allowed
}

// allow takes a token at now; it returns false when there is none, and
// how many events were refused before this allowed one.
func (l *rateLimit) allow(now time.Time) (ok bool, suppressed int) {
	if l.last.IsZero() {
		l.tokens = l.burst
	} else if dt := now.Sub(l.last); dt > 0 {
		l.tokens = min(l.burst, l.tokens+l.burst*dt.Seconds()/l.per.Seconds())
	}
	l.last = now
	if l.tokens < 1 {
		l.suppressed++
		return false, 0
	}
	l.tokens--
	suppressed, l.suppressed = l.suppressed, 0
	return true, suppressed
}

// logNewLocked logs, at info, the first request of a device that is not a
// configured phone: a phone someone forgot to configure, or a scanner.
// Lines are rate-limited; those left out are counted in the next one.
func (inv *Inventory) logNewLocked(mac string, r Request, id *family.Device, at time.Time) {
	ok, suppressed := inv.newLog.allow(at)
	if !ok {
		return
	}
	attrs := []any{"mac", mac, "proto", r.Proto, "file", cut(r.Path, 256), "status", r.Status}
	if r.RemoteIP.IsValid() {
		attrs = append(attrs, "remote", r.RemoteIP.Unmap().String())
	}
	if id.Vendor != "" {
		attrs = append(attrs, "vendor", id.Vendor, "model", id.Model)
	}
	if r.UserAgent != "" {
		attrs = append(attrs, "ua", cut(r.UserAgent, 256))
	}
	if suppressed > 0 {
		attrs = append(attrs, "not_logged_before", suppressed)
	}
	inv.log.Info("a device that is not configured asked for a file", attrs...)
}
