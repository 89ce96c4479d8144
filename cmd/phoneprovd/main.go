// Command phoneprovd provisions SIP desk phones for an Asterisk PBX.
//
// It reads Asterisk's own phoneprov.conf, users.conf and pjsip.conf and
// serves every phone its rendered configuration files over HTTP (and TFTP),
// byte for byte as Asterisk's res_phoneprov would.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin *os.File, stdout, stderr *os.File) int {
	fmt.Fprintln(stderr, "phoneprovd: no subcommands yet")
	return 2
}
