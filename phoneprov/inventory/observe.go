package inventory

import (
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// ObserveHTTP records a request a phone made over HTTP.
func (inv *Inventory) ObserveHTTP(s httpserver.Served) {
	req := Request{Proto: "http", UserAgent: s.Request.UserAgent(), Path: s.URI,
		Status: httpserver.StatusLabel(s.Status), Bytes: s.Bytes, RemoteIP: httpserver.RemoteAddr(s.Request), At: s.At}
	if s.Route != nil {
		// The same bytes as s.URI; the inventory keeps the route's string
		// instead of one allocated per request.
		req.Path = s.Route.URI
		if p := s.Route.Owner(); p != nil {
			req.PhoneMAC, req.Phone = p.NormalMAC(), p
		}
	}
	inv.Observe(req)
}

// ObserveTFTP records a TFTP transfer.
func (inv *Inventory) ObserveTFTP(s tftpserver.Served) {
	req := Request{Proto: "tftp", Path: s.Filename, RemoteIP: s.Remote.Addr(),
		Status: s.Outcome.String(), Bytes: s.Bytes}
	if s.Route != nil {
		if p := s.Route.Owner(); p != nil {
			req.PhoneMAC, req.Phone = p.NormalMAC(), p
		}
	}
	inv.Observe(req)
}
