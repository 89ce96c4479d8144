package dhcpconf

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// iscStdNames are the options ISC dhcpd defines itself that the families
// use; the others are declared by the configuration.
var iscStdNames = map[int]string{
	66: "tftp-server-name",
	43: "vendor-encapsulated-options",
}

// ISC writes a configuration ISC dhcpd accepts (dhcpd -t): the option
// codes dhcpd does not know declared, a class per group that matches the
// OUI (substring(hardware, 1, 3)) or option 60 (whole, by prefix with
// substring, by suffix with suffix) and sets the options, and the on
// commit / release / expiry statements that execute the hook with the
// arguments package dhcp's ParseISC reads. The statements belong at the
// top level: dhcpd runs only the innermost "on commit" of a scope, so a
// configuration with its own must call the hook from there.
func ISC(w io.Writer, o Options) error {
	groups, err := plan(o)
	if err != nil {
		return err
	}
	for _, part := range o.Command {
		if !safeText(part) {
			return fmt.Errorf("hook command %q: quotes, backslashes and control characters are not allowed", part)
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# phoneprovd: point each supported phone family at %s\n", o.URL)
	fmt.Fprintln(bw, "# Written by `phoneprovd dhcp config -format isc`. Include it from dhcpd.conf")
	fmt.Fprintln(bw, "# (include \"/etc/dhcp/phoneprovd.conf\";) before your subnets.")
	declared := map[int]bool{}
	for _, g := range groups {
		for _, opt := range g.options {
			if iscStdNames[opt.code] != "" || declared[opt.code] {
				continue
			}
			if len(declared) == 0 {
				fmt.Fprintln(bw)
			}
			declared[opt.code] = true
			typ := "text"
			if opt.ip.IsValid() {
				typ = "array of ip-address"
			}
			fmt.Fprintf(bw, "option phoneprovd-%d code %d = %s;\n", opt.code, opt.code, typ)
		}
	}
	for _, g := range groups {
		fmt.Fprintf(bw, "\n# %s\n", g.title)
		for _, n := range g.notes {
			fmt.Fprintf(bw, "# %s\n", n)
		}
		if len(g.options) == 0 {
			continue
		}
		fmt.Fprintf(bw, "class \"%s\" {\n", g.tag)
		var tests []string
		for _, oui := range g.ouis {
			tests = append(tests, "substring(hardware, 1, 3) = "+hexColon(oui[:]))
		}
		for _, vc := range g.classes {
			tests = append(tests, iscClassTest(vc))
		}
		fmt.Fprintf(bw, "    match if %s;\n", strings.Join(tests, "\n        or "))
		for _, opt := range g.options {
			name := iscStdNames[opt.code]
			if name == "" {
				name = fmt.Sprintf("phoneprovd-%d", opt.code)
			}
			fmt.Fprintf(bw, "    option %s %s;\n", name, iscValue(opt))
		}
		fmt.Fprintln(bw, "}")
	}
	if len(o.Command) > 0 {
		cmd := make([]string, len(o.Command))
		for i, part := range o.Command {
			cmd[i] = strconv.Quote(part)
		}
		prog := strings.Join(cmd, ", ")
		const (
			ip  = `binary-to-ascii(10, 8, ".", leased-address)`
			mac = `binary-to-ascii(16, 8, ":", substring(hardware, 1, 6))`
		)
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "# Every lease is reported to phoneprovd. dhcpd runs the innermost \"on\" of a")
		fmt.Fprintln(bw, "# scope: if a subnet or pool has its own, add these execute() calls there.")
		fmt.Fprintf(bw, "on commit {\n    execute(%s, \"commit\",\n        %s,\n        %s,\n"+
			"        pick-first-value(binary-to-ascii(16, 8, \".\", option vendor-class-identifier), \"\"),\n"+
			"        pick-first-value(binary-to-ascii(10, 32, \"\", encode-int(lease-time, 32)), \"\"),\n"+
			"        pick-first-value(option host-name, \"\"));\n}\n", prog, ip, mac)
		for _, action := range []string{"release", "expiry"} {
			fmt.Fprintf(bw, "on %s {\n    execute(%s, %q, %s, %s);\n}\n", action, prog, action, ip, mac)
		}
	}
	return bw.Flush()
}

// iscClassTest compares option 60 with a vendor class.
func iscClassTest(vc family.VendorClass) string {
	lit := hexColon([]byte(vc.Value))
	if safeText(vc.Value) {
		lit = `"` + vc.Value + `"`
	}
	switch vc.Match {
	case family.Prefix:
		return fmt.Sprintf("substring(option vendor-class-identifier, 0, %d) = %s", len(vc.Value), lit)
	case family.Suffix:
		return fmt.Sprintf("suffix(option vendor-class-identifier, %d) = %s", len(vc.Value), lit)
	}
	return "option vendor-class-identifier = " + lit
}

// iscValue writes an option's value.
func iscValue(o option) string {
	switch {
	case o.sub != 0:
		return hexColon(o.value())
	case o.ip.IsValid():
		return o.ip.String()
	}
	return `"` + o.text + `"`
}
