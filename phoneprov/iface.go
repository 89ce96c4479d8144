package phoneprov

import (
	"fmt"
	"net"
)

// interfaceIPv4 resolves phoneprov.conf serveriface to the interface's IPv4
// address, once per load, as res_phoneprov's lookup_iface does. On failure
// Asterisk logs a warning and uses 0.0.0.0; so does phoneprovd.
func (o *Options) interfaceIPv4(name string, d *diags) string {
	lookup := o.InterfaceAddr
	if lookup == nil {
		lookup = hostInterfaceIPv4
	}
	addr, err := lookup(name)
	if err != nil {
		d.warnf(Pos{File: "phoneprov.conf"}, "serveriface %s: %v; SERVER is 0.0.0.0", name, err)
		return "0.0.0.0"
	}
	return addr
}

func hostInterfaceIPv4(name string) (string, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return "", err
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return "", err
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			return n.IP.To4().String(), nil
		}
	}
	return "", fmt.Errorf("interface %s has no IPv4 address", name)
}
