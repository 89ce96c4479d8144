package security

import (
	"errors"
	"net/netip"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Errors CheckTFTP returns. The TFTP server answers each with error 2,
// "Access violation", and logs the reason.
var (
	ErrNotAllowed          = errors.New("address not in the allowlist")
	ErrBanned              = errors.New("source banned for MAC scanning or failed authentication")
	ErrCredentialsRequired = errors.New("sensitive file needs credentials, which TFTP cannot carry")
)

// CheckTFTP decides a TFTP read request from remote for filename (as the
// client sent it). routeFound says whether a route matched; sensitive
// whether the route is sensitive (ask Guard.Sensitive after rendering).
// It returns nil to serve the file:
//
//   - an address outside tftp_allow gets ErrNotAllowed for every name;
//   - a name that matches no route but carries a MAC no phone has is
//     counted against the source; once it is banned, ErrBanned;
//   - a sensitive route is refused to a banned source (ErrBanned), and,
//     when TFTP does not serve sensitive routes (tftp_sensitive),
//     refused to everyone (ErrCredentialsRequired); otherwise it is
//     logged for audit.
func (g *Guard) CheckTFTP(remote netip.Addr, filename string, routeFound, sensitive bool) error {
	remote = remote.Unmap().WithZone("")
	if !g.r().tftpAllow.admits(remote) {
		g.counters.refusedAllowlist.Add(1)
		g.log.Debug("TFTP request refused: address not in tftp_allow", "remote", remote.String())
		return ErrNotAllowed
	}
	var snap *phoneprov.Snapshot
	if g.r().cfg.Snapshots != nil {
		snap = g.r().cfg.Snapshots.Snapshot()
	}
	if !routeFound {
		mac, ok := family.MACFromPath(filename)
		if !ok || g.phoneByMAC(snap, mac) != nil {
			return nil
		}
		if g.countUnknownMAC(remote, mac, "tftp") {
			g.counters.refusedBanned.Add(1)
			return ErrBanned
		}
		return nil
	}
	if !sensitive {
		return nil
	}
	if g.isBanned(remote) {
		g.counters.refusedBanned.Add(1)
		return ErrBanned
	}
	uri := strings.TrimPrefix(filename, "/")
	mac := ""
	if snap != nil {
		if route := snap.Route(uri); route != nil {
			_, mac = g.routePhone(snap, route)
		}
	}
	if mac == "" {
		mac, _ = family.MACFromPath(uri)
	}
	if !g.tftpServesSensitive() {
		g.log.Info("sensitive file refused over TFTP: HTTP asks for credentials (tftp_sensitive)", "remote", remote.String(), "route", uri, "mac", mac)
		return ErrCredentialsRequired
	}
	g.audit("tftp", "RRQ", mac, uri, remote, "", MethodNone)
	return nil
}
