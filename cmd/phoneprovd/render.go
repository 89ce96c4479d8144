package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
)

const renderUsage = `[-config-dir DIR] [-data-dir DIR] [-server ADDR] [-port PORT] URI

URI is a route as phoneprovd routes lists it (0004f2a1b2c3.cfg), the path a
phone requests (/phoneprov/0004f2a1b2c3.cfg) or a whole URL
(http://192.0.2.10:8080/phoneprov/0004f2a1b2c3.cfg). Flags may come after it.`

func runRender(_ context.Context, e *env, args []string) int {
	var d dirFlags
	fs := newFlagSet(e, "render", renderUsage)
	d.register(fs)
	server := fs.String("server", "", "the address the phone reached: SERVER unless phoneprov.conf sets it (default: the URL's host, else the http listener's address, else this host's first address)")
	port := fs.Int("port", 0, "the port the phone reached: PROV_PORT (default: the URL's, else the http listener's)")
	args, err := parseFlags(fs, args)
	if err != nil {
		return 2
	}
	if len(args) != 1 {
		fmt.Fprintf(e.stderr, "phoneprovd render: want one URI, got %d (%s)\n", len(args), strings.Join(quoteAll(args), " "))
		fs.Usage()
		return 2
	}
	snap, s, err := loadOnce(d, e.stderr)
	if err != nil {
		return fail(e, err)
	}
	req, err := parseRenderURI(args[0], s.General.Prefix)
	if err != nil {
		return fail(e, err)
	}
	route := snap.Route(req.route)
	if route == nil {
		return fail(e, fmt.Errorf("no route %q (see phoneprovd routes)", req.route))
	}
	if route.Static() {
		return copyStatic(e, snap, route)
	}
	at := phoneprov.Reached{Server: *server, Port: *port, Scheme: req.scheme}
	var said []string
	if at.Server == "" {
		at.Server = req.host
	}
	if at.Server == "" && !route.Phone.Lines[0].Vars.Has("SERVER") {
		var why string
		at.Server, why = defaultServer(s.General.HTTP)
		said = append(said, fmt.Sprintf("SERVER = %s (%s; -server to choose)", at.Server, why))
	}
	if at.Port == 0 {
		at.Port = req.port
	}
	if at.Port == 0 {
		if at.Port = listenPort(s.General.HTTP); at.Port != 0 {
			said = append(said, fmt.Sprintf("PROV_PORT = %d (the http listener's; -port to choose)", at.Port))
		}
	}
	if len(said) > 0 {
		fmt.Fprintf(e.stderr, "phoneprovd render: %s\n", strings.Join(said, ", "))
	}
	body, err := snap.RenderReached(route, at)
	if err != nil {
		return fail(e, err)
	}
	if _, err := body.WriteTo(e.stdout); err != nil {
		return fail(e, err)
	}
	return 0
}

// renderRequest is what the render command's URI says.
type renderRequest struct {
	route  string
	host   string // from a URL; "" otherwise
	port   int    // from a URL; 0 otherwise
	scheme string
}

// parseRenderURI reads the render command's URI: a route as is, a request
// path under /<prefix>/phoneprov/ (decoded as the HTTP server decodes it),
// or an http or https URL.
func parseRenderURI(arg, prefix string) (renderRequest, error) {
	req := renderRequest{route: arg, scheme: "http"}
	target := ""
	switch {
	case strings.Contains(arg, "://"):
		u, err := url.Parse(arg)
		if err != nil {
			return req, fmt.Errorf("%q is not a URL: %w", arg, err)
		}
		switch u.Scheme {
		case "http", "https":
		default:
			return req, fmt.Errorf("%q: phones fetch over http or https, not %s", arg, u.Scheme)
		}
		req.scheme, req.host = u.Scheme, u.Hostname()
		switch p := u.Port(); {
		case p == "":
			req.port = map[string]int{"http": 80, "https": 443}[u.Scheme]
		default:
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return req, fmt.Errorf("%q: port %q is not from 1 to 65535", arg, p)
			}
			req.port = n
		}
		target = u.EscapedPath()
		if target == "" {
			target = "/"
		}
	case strings.HasPrefix(arg, "/"):
		target = arg
	default:
		return req, nil // a route, as phoneprovd routes lists it
	}
	route, ok := httpserver.RoutePath(target, prefix)
	if !ok {
		under := "/phoneprov/"
		if prefix != "" {
			under = "/" + strings.Trim(prefix, "/") + under
		}
		return req, fmt.Errorf("%q is not under %s, where phones fetch their files", target, under)
	}
	req.route = route
	return req, nil
}

// defaultServer picks the address a render pretends the phone reached:
// the http listener's when it names one, else this host's first global
// address (IPv4 first), else 127.0.0.1; why says which.
func defaultServer(listen string) (addr, why string) {
	if host, _, err := net.SplitHostPort(listen); err == nil {
		if a, err := netip.ParseAddr(host); err == nil && !a.IsUnspecified() {
			return a.WithZone("").String(), "the http listener's address"
		}
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		var v6 string
		for _, ia := range addrs {
			p, err := netip.ParsePrefix(ia.String())
			if err != nil || !p.Addr().IsGlobalUnicast() {
				continue
			}
			if a := p.Addr().Unmap(); a.Is4() {
				return a.String(), "this host's first address"
			} else if v6 == "" {
				v6 = a.String()
			}
		}
		if v6 != "" {
			return v6, "this host's first address"
		}
	}
	return "127.0.0.1", "this host has no other address"
}

// copyStatic writes a static route's file.
func copyStatic(e *env, snap *phoneprov.Snapshot, route *phoneprov.Route) int {
	path, err := snap.StaticPath(route)
	if err != nil {
		return fail(e, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(e, err)
	}
	defer f.Close()
	if _, err := io.Copy(e.stdout, f); err != nil {
		return fail(e, err)
	}
	return 0
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = fmt.Sprintf("%q", a)
	}
	return out
}
