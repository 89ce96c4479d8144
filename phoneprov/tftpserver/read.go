package tftpserver

import (
	"bytes"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/pin/tftp/v3"
)

// handleRead answers a read request (the engine's read handler).
func (s *Server) handleRead(filename string, rf io.ReaderFrom) error {
	t := s.newTransfer(filename, rf, false)
	defer t.finish()
	release, r := s.begin()
	if r != nil {
		return t.refuse(r, nil)
	}
	defer release()

	snap := s.src.Snapshot()
	if snap == nil {
		return t.refuse(errNotLoaded, nil)
	}
	uri, route := resolve(snap, filename)
	t.served.URI = uri
	if route == nil {
		if err := s.check(t, filename, false, nil, nil); err != nil {
			return t.refuse(errDenied, err)
		}
		// A plugin may serve a phone that waits to be identified, or an
		// unknown phone of its family (autoprov).
		route, body, err := snap.Unrouted(uri, "", phoneprov.Reached{Server: serverAddress(t.local)})
		switch {
		case err != nil:
			s.log.Warn("cannot render a plugin's file", "file", filename, "error", err)
			return t.refuse(errInternal, err)
		case route == nil:
			return t.refuse(errNotFound, nil)
		}
		t.served.Route = route
		return s.sendBody(t, rf, route, body)
	}
	t.served.Route = route
	if route.Static() {
		if err := s.check(t, filename, true, route, nil); err != nil {
			return t.refuse(errDenied, err)
		}
		return s.sendStatic(t, rf, snap, route)
	}
	return s.sendDynamic(t, rf, snap, route)
}

// check asks Config.Check (the security guard) whether the request may be
// served; body is the rendered body of a dynamic route.
func (s *Server) check(t *transfer, filename string, found bool, route *phoneprov.Route, body *phoneprov.Rendered) error {
	if s.cfg.Check == nil {
		return nil
	}
	sensitive := false
	if found && s.cfg.Sensitive != nil {
		sensitive = s.cfg.Sensitive(route, body)
	}
	err := s.cfg.Check(t.served.Remote.Addr(), filename, found, sensitive)
	if err != nil {
		s.log.Info("tftp request denied", "file", filename, "remote", t.served.Remote, "reason", err)
	}
	return err
}

// resolve finds the route a TFTP file name asks for. The name is the route
// URI as HTTP has it after /phoneprov/ (docs/asterisk.md#request-paths),
// except that one leading
// "/" is ignored, since TFTP clients often send one, and that nothing is
// URL-decoded: TFTP names are not URLs.
func resolve(snap *phoneprov.Snapshot, filename string) (string, *phoneprov.Route) {
	uri := strings.TrimPrefix(filename, "/")
	return uri, snap.Route(uri)
}

// sendStatic sends a static route's file: from the snapshot's copy when it
// is small, else streamed from disk.
func (s *Server) sendStatic(t *transfer, rf io.ReaderFrom, snap *phoneprov.Snapshot, route *phoneprov.Route) error {
	sf, err := snap.Static(route)
	if err == nil && sf.Data != nil {
		return t.send(rf, bytes.NewReader(sf.Data), sf.Size)
	}
	var f *os.File
	if err == nil {
		f, err = os.Open(sf.Path)
	}
	if err != nil {
		// Missing, unreadable or outside the data directory: to the phone
		// it does not exist; the log says why.
		s.log.Warn("cannot open static file", "route", route.URI, "file", route.File.Template, "error", err)
		return t.refuse(errNotFound, err)
	}
	defer f.Close()
	return t.send(rf, f, sf.Size)
}

// sendDynamic renders a dynamic route for the address the request reached
// and sends it.
func (s *Server) sendDynamic(t *transfer, rf io.ReaderFrom, snap *phoneprov.Snapshot, route *phoneprov.Route) error {
	body, err := snap.Render(route, serverAddress(t.local))
	if err != nil {
		s.log.Warn("cannot render template", "route", route.URI, "template", route.File.Template, "error", err)
		return t.refuse(errInternal, err)
	}
	return s.sendBody(t, rf, route, body)
}

// sendBody sends a rendered body, once the guard lets it through.
func (s *Server) sendBody(t *transfer, rf io.ReaderFrom, route *phoneprov.Route, body *phoneprov.Rendered) error {
	if err := s.check(t, t.served.Filename, true, route, body); err != nil {
		return t.refuse(errDenied, err)
	}
	t.served.Body = body
	return t.send(rf, body.NewReader(), int64(body.Len()))
}

// send transfers size bytes from r, announcing size when the client asked
// for tsize (RFC 2349). The engine reads one block at a time, so a file is
// streamed, never loaded whole.
func (t *transfer) send(rf io.ReaderFrom, r io.Reader, size int64) error {
	if ot, ok := rf.(tftp.OutgoingTransfer); ok {
		ot.SetSize(size)
	}
	n, err := rf.ReadFrom(stoppableReader{r: r, stopped: &t.s.stopped})
	t.served.Bytes = n
	if err != nil {
		// The engine has already sent the client an error.
		t.served.Outcome = Aborted
		t.served.Err = err
		return nil
	}
	t.served.Outcome = Completed
	return nil
}

// serverAddress formats the local address a request reached as SERVER,
// the way the HTTP side does: IPv4 dotted, IPv6 without brackets or zone,
// IPv4-mapped addresses unmapped; "" when unknown.
func serverAddress(ip net.IP) string {
	a, ok := netip.AddrFromSlice(ip)
	if a = a.Unmap(); !ok || a.IsUnspecified() {
		return ""
	}
	return a.WithZone("").String()
}
