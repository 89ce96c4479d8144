package httpserver

import (
	"net"
	"net/http"
	"net/netip"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// reached is where request r reached phoneprovd: the local address
// (SERVER), its port (PROV_PORT) and the scheme (PROV_SCHEME).
func reached(r *http.Request) phoneprov.Reached {
	at := phoneprov.Reached{Server: localAddress(r), Scheme: "http"}
	if r.TLS != nil {
		at.Scheme = "https"
	}
	switch a := r.Context().Value(http.LocalAddrContextKey).(type) {
	case *net.TCPAddr:
		at.Port = a.Port
	case net.Addr:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			at.Port = int(ap.Port())
		}
	}
	return at
}
