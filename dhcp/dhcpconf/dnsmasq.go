package dhcpconf

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Dnsmasq writes the configuration for dnsmasq: a tag per group, set by
// dhcp-mac (the OUI) and dhcp-vendorclass (option 60; dnsmasq matches it
// as a substring anywhere in the client's class, so a prefix or suffix
// class is looser than in the other formats), the options sent with
// dhcp-option-force (whether or not the phone listed them in its request),
// and dhcp-script for the lease events. `dnsmasq --test` accepts it.
func Dnsmasq(w io.Writer, o Options) error {
	groups, err := plan(o)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# phoneprovd: point each supported phone family at %s\n", o.URL)
	fmt.Fprintln(bw, "# Written by `phoneprovd dhcp config -format dnsmasq`. Include it from dnsmasq's")
	fmt.Fprintln(bw, "# configuration (conf-file=FILE, or a file in /etc/dnsmasq.d/).")
	if o.Hook != "" {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "# Every lease is reported to phoneprovd (dnsmasq runs one dhcp-script:")
		fmt.Fprintln(bw, "# if you already have one, call the hook from it with the same arguments).")
		fmt.Fprintf(bw, "dhcp-script=%s\n", o.Hook)
	}
	for _, g := range groups {
		fmt.Fprintf(bw, "\n# %s\n", g.title)
		for _, n := range g.notes {
			fmt.Fprintf(bw, "# %s\n", n)
		}
		if len(g.options) == 0 {
			continue
		}
		for _, oui := range g.ouis {
			fmt.Fprintf(bw, "dhcp-mac=set:%s,%s:*:*:*\n", g.tag, hexColon(oui[:]))
		}
		for _, c := range g.classes {
			v := strings.TrimRight(c.Value, "\x00") // a substring match: the NUL is not needed
			if v == "" || !safeText(v) {
				fmt.Fprintf(bw, "# vendor class %q cannot be written for dnsmasq\n", c.Value)
				continue
			}
			fmt.Fprintf(bw, "dhcp-vendorclass=set:%s,\"%s\"\n", g.tag, v)
		}
		for _, opt := range g.options {
			fmt.Fprintf(bw, "dhcp-option-force=tag:%s,%d,%s\n", g.tag, opt.code, dnsmasqValue(opt))
		}
	}
	return bw.Flush()
}

// dnsmasqValue writes an option's value: a quoted string, an IPv4
// address, or hex bytes for a sub-option of 43.
func dnsmasqValue(o option) string {
	switch {
	case o.sub != 0:
		return hexColon(o.value())
	case o.ip.IsValid():
		return o.ip.String()
	}
	return `"` + o.text + `"`
}
