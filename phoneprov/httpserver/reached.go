package httpserver

import (
	"net"
	"net/http"
	"strconv"

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
		at.Port = strconv.Itoa(a.Port)
	case net.Addr:
		if _, port, err := net.SplitHostPort(a.String()); err == nil {
			at.Port = port
		}
	}
	return at
}
