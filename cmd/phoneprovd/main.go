// Command phoneprovd provisions SIP desk phones for an Asterisk PBX.
//
// It reads Asterisk's own phoneprov.conf, users.conf (or
// phoneprov_users.conf) and pjsip.conf and serves every phone its rendered
// configuration files over HTTP, byte for byte as Asterisk's res_phoneprov
// would.
//
// Usage:
//
//	phoneprovd serve  [-config-dir DIR] [-data-dir DIR] [-http ADDR] [-admin ADDR]
//	phoneprovd routes [-config-dir DIR] [-data-dir DIR]
//	phoneprovd render [-config-dir DIR] [-data-dir DIR] [-server ADDR] URI
//	phoneprovd check  [-config-dir DIR] [-data-dir DIR]
//	phoneprovd subst  [-var NAME=VALUE]... [FILE]
//	phoneprovd resync [-admin ADDR] MAC... | all
//	phoneprovd phones [-admin ADDR] [-vendor V] [-model M] [-unseen]
//	phoneprovd unban  [-admin ADDR] ADDR | PREFIX | all
//	phoneprovd plugin render -plugins-dir DIR -plugin NAME -device DEVICE.json -config RAW.json -out OUTDIR
//	phoneprovd plugins update|list|install|upgrade|remove [-server URL] [PLUGIN...]
//	phoneprovd pkgs list|install|upgrade|remove PLUGIN [PACKAGE...]
//	phoneprovd firmware rollout|status|pause|resume|abort [-admin ADDR] ...
//	phoneprovd dhcp config -format dnsmasq|kea|isc [-url URL]
//	phoneprovd dhcp event [-admin ADDR] HOOK-ARGUMENTS... (also run as phoneprovd-dhcp-event)
//	phoneprovd version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a subcommand reads and writes.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "serve phones over HTTP (the daemon)", runServe},
		{"routes", "print the route table like `phoneprov show routes`", runRoutes},
		{"render", "print the body a phone would get for a URI", runRender},
		{"check", "validate every file; non-zero exit on errors", runCheck},
		{"subst", "substitute ${...} in FILE (or stdin) against -var values", runSubst},
		{"resync", "ask the running daemon to re-sync phones (MAC... or all)", runResync},
		{"phones", "list the phones and devices the running daemon has seen", runPhones},
		{"unban", "ask the running daemon to lift a ban (ADDR, PREFIX or all)", runUnban},
		{"plugin", "plugin authors' tools: render a device's files with a Wazo plugin", runPlugin},
		{"plugins", "update, list, install, upgrade or remove provd-style plugins", runPlugins},
		{"pkgs", "list, install, upgrade or remove a plugin's firmware packages", runPkgs},
		{"firmware", "firmware rollouts in waves: rollout, status, pause, resume, abort", runFirmware},
		{"dhcp", "DHCP servers: print their configuration, report a lease (config, event)", runDHCP},
		{"samples", "write the sample configuration and every family's templates", runSamples},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, hookArgs(os.Args[0], os.Args[1:])))
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		return 0
	}
	fmt.Fprintf(e.stderr, "phoneprovd: unknown command %q\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: phoneprovd <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'phoneprovd <command> -h' for a command's flags.")
}

func runVersion(_ context.Context, e *env, _ []string) int {
	fmt.Fprintln(e.stdout, "phoneprovd", version)
	return 0
}
