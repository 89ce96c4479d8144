package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/dhcp/dhcpconf"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// hookName is the name phoneprovd answers to as the lease hook of DHCP
// servers that run a program without arguments of ours (dnsmasq's
// dhcp-script, Kea's run_script): a symbolic link to phoneprovd.
const hookName = "phoneprovd-dhcp-event"

// hookArgs turns an invocation as hookName into `dhcp event ARGS`.
func hookArgs(argv0 string, args []string) []string {
	if filepath.Base(argv0) == hookName {
		return append([]string{"dhcp", "event"}, args...)
	}
	return args
}

// runDHCP: phoneprovd dhcp config | event.
func runDHCP(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "config":
			return runDHCPConfig(e, args[1:])
		case "event":
			return runDHCPEvent(ctx, e, args[1:])
		}
	}
	fmt.Fprintln(e.stderr, "usage: phoneprovd dhcp config -format dnsmasq|kea|isc [-url URL] [flags]")
	fmt.Fprintln(e.stderr, "       phoneprovd dhcp event [-admin ADDR] [-token-file FILE] HOOK-ARGUMENTS...")
	fmt.Fprintln(e.stderr, "  config  print the DHCP server configuration that points phones at phoneprovd")
	fmt.Fprintln(e.stderr, "  event   report a lease to the running daemon (the DHCP servers' hook)")
	return 2
}

// runDHCPConfig prints a DHCP server's configuration.
func runDHCPConfig(e *env, args []string) int {
	fs := newFlagSet(e, "dhcp config", "-format dnsmasq|kea|isc [-url URL] [-config-dir DIR] [-hook PATH] [-command PATH] [-kea-run-script PATH]")
	format := fs.String("format", "", "dnsmasq, kea or isc")
	rawURL := fs.String("url", "", "provisioning URL sent to the phones (default: [dhcp] url, else http://<[general] http>/phoneprov)")
	configDir := fs.String("config-dir", "/etc/asterisk", "config directory (phoneprovd.conf)")
	exe, _ := os.Executable()
	hook := fs.String("hook", filepath.Join(filepath.Dir(exe), hookName), "program dnsmasq and Kea run for each lease (a link to phoneprovd named "+hookName+", or a wrapper)")
	command := fs.String("command", exe, "phoneprovd's path for ISC dhcpd's execute()")
	keaLib := fs.String("kea-run-script", dhcpconf.DefaultKeaRunScript(exists), "Kea's libdhcp_run_script.so")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	url := *rawURL
	if url == "" {
		s, err := settings.Load(*configDir)
		if err != nil {
			return fail(e, err)
		}
		if url, err = provisioningURL(s); err != nil {
			return fail(e, err)
		}
	}
	o := dhcpconf.Options{URL: url, Families: families.List(), Hook: *hook, KeaRunScript: *keaLib,
		Command: []string{*command, "dhcp", "event"}}
	if explicit["config-dir"] {
		o.Command = append(o.Command, "-config-dir", *configDir)
	}
	var err error
	switch *format {
	case "dnsmasq":
		err = dhcpconf.Dnsmasq(e.stdout, o)
	case "kea":
		err = dhcpconf.Kea(e.stdout, o)
	case "isc":
		err = dhcpconf.ISC(e.stdout, o)
	default:
		fmt.Fprintf(e.stderr, "phoneprovd dhcp config: -format must be dnsmasq, kea or isc\n")
		return 2
	}
	if err != nil {
		return fail(e, err)
	}
	if *format != "isc" && !explicit["hook"] && !exists(*hook) {
		fmt.Fprintf(e.stderr, "note: %s does not exist; create it: ln -s %s %s\n", *hook, exe, *hook)
	}
	return 0
}

// provisioningURL is [dhcp] url, else the phone-facing HTTP listener's
// URL when it names an address.
func provisioningURL(s *settings.Settings) (string, error) {
	if s.DHCP.URL != "" {
		return s.DHCP.URL, nil
	}
	host, port, err := net.SplitHostPort(s.General.HTTP)
	if err == nil {
		if a, perr := netip.ParseAddr(host); host == "" || perr == nil && a.IsUnspecified() {
			err = errors.New("it listens on every address")
		}
	}
	if err != nil {
		return "", fmt.Errorf("no provisioning URL: give -url or [dhcp] url (phoneprovd cannot tell which address phones reach from [general] http = %s: %v)", s.General.HTTP, err)
	}
	path := "/phoneprov"
	if p := strings.Trim(s.General.Prefix, "/"); p != "" {
		path = "/" + p + path
	}
	return "http://" + net.JoinHostPort(host, port) + path, nil
}

// runDHCPEvent is the DHCP servers' lease hook: it reads the server's
// arguments and environment and reports the lease to the running daemon,
// within -timeout, so that the server (which may wait for it) is never
// held up for long. An invocation that is not about a lease does nothing.
func runDHCPEvent(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "dhcp event", "[-admin ADDR] [-config-dir DIR] [-token-file FILE] [-timeout D] add|old|del MAC IP [HOSTNAME] | commit|release|expiry IP MAC ... | KEA-HOOK-POINT")
	addr := fs.String("admin", "", "the daemon's admin listener (default: [general] admin of phoneprovd.conf)")
	configDir := fs.String("config-dir", "/etc/asterisk", "config directory (phoneprovd.conf: admin address, [dhcp] token)")
	tokenFile := fs.String("token-file", "", "file holding the token (default: [dhcp] token of phoneprovd.conf)")
	timeout := fs.Duration("timeout", 2*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	events, err := dhcp.ParseHook(fs.Args(), os.Getenv, time.Now())
	if errors.Is(err, dhcp.ErrIgnored) {
		return 0
	}
	if err != nil {
		return fail(e, err)
	}
	token := ""
	if *tokenFile == "" {
		if s, err := settings.Load(*configDir); err == nil {
			token = s.DHCP.Token
		} else if *addr == "" {
			return fail(e, err)
		}
	}
	// The admin listener as the other commands reach it: HTTPS when it
	// serves HTTPS, with [admin]'s credentials.
	ac, err := dialAdmin(*configDir, *addr)
	if err != nil {
		return fail(e, err)
	}
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fail(e, fmt.Errorf("token file: %w", err))
		}
		token = strings.TrimSpace(string(b))
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if _, err := dhcp.Send(ctx, ac.client, ac.base, token, events); err != nil {
		return fail(e, fmt.Errorf("dhcp event %s %s: %w", events[0].Action, events[0].MAC, err))
	}
	return 0
}
