package httpserver

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/netip"
	"sync"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// connInfo is what every request on one connection shares, worked out
// once when the connection is accepted (NewServer's ConnContext) rather
// than per request: a boot storm's phones fetch several files on one
// connection.
type connInfo struct {
	reached phoneprov.Reached
	remote  netip.Addr
}

// connInfoKey is the context key of a connection's *connInfo.
type connInfoKey struct{}

// places remembers where the connections of a server reached it, by
// local address: its connections to one address share one SERVER string,
// which a render-cache lookup then compares by its pointer without
// reading it, and a new connection formats nothing.
type places struct {
	mu sync.Mutex
	m  map[netip.AddrPort]phoneprov.Reached
}

// maxPlaces bounds the local addresses remembered; a server listens on
// few.
const maxPlaces = 256

// reached returns reachedAt(a), the same strings for the same address.
func (p *places) reached(a net.Addr) phoneprov.Reached {
	ap, ok := addrPort(a)
	if !ok {
		return reachedAt(a)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if at, ok := p.m[ap]; ok {
		return at
	}
	at := reachedAt(a)
	if len(p.m) < maxPlaces {
		if p.m == nil {
			p.m = make(map[netip.AddrPort]phoneprov.Reached)
		}
		p.m[ap] = at
	}
	return at
}

// connContext is the http.Server.ConnContext hook that works out c's
// connInfo.
func (p *places) connContext(ctx context.Context, c net.Conn) context.Context {
	ci := &connInfo{reached: p.reached(c.LocalAddr()), remote: addrOf(c.RemoteAddr())}
	if _, ok := c.(*tls.Conn); ok {
		ci.reached.Scheme = "https"
	}
	return context.WithValue(ctx, connInfoKey{}, ci)
}

// reached is where request r reached phoneprovd: the local address
// (SERVER), its port (PROV_PORT) and the scheme (PROV_SCHEME).
func reached(r *http.Request) phoneprov.Reached {
	if ci, ok := r.Context().Value(connInfoKey{}).(*connInfo); ok {
		return ci.reached
	}
	a, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	at := reachedAt(a)
	if r.TLS != nil {
		at.Scheme = "https"
	}
	return at
}

// reachedAt is where a connection to local address a reached phoneprovd,
// over plain HTTP. SERVER is formatted as Asterisk does, IPv4 only
// there; phoneprovd gives IPv6 addresses too (without brackets or zone)
// and unmaps IPv4-mapped ones.
func reachedAt(a net.Addr) phoneprov.Reached {
	at := phoneprov.Reached{Scheme: "http"}
	if ap, ok := addrPort(a); ok {
		at.Server = ap.Addr().String()
		at.Port = int(ap.Port())
	}
	return at
}

// RemoteAddr is the address request r came from, IPv4-mapped addresses
// unmapped and without zone; not valid when r.RemoteAddr is no address.
// A server made by NewServer parsed it when the connection came.
func RemoteAddr(r *http.Request) netip.Addr {
	if ci, ok := r.Context().Value(connInfoKey{}).(*connInfo); ok {
		return ci.remote
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap().WithZone("")
}

// addrOf is a's IP address, unmapped and without zone.
func addrOf(a net.Addr) netip.Addr {
	ap, _ := addrPort(a)
	return ap.Addr()
}

// addrPort is a's address and port, the address unmapped and without
// zone; ok is false when a is no IP address.
func addrPort(a net.Addr) (netip.AddrPort, bool) {
	var ap netip.AddrPort
	switch a := a.(type) {
	case *net.TCPAddr:
		ip, ok := netip.AddrFromSlice(a.IP)
		if !ok {
			return ap, false
		}
		ap = netip.AddrPortFrom(ip, uint16(a.Port))
	case net.Addr:
		var err error
		if ap, err = netip.ParseAddrPort(a.String()); err != nil {
			return ap, false
		}
	default:
		return ap, false
	}
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port()), true
}
