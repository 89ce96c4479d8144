package provider

import (
	"fmt"
	"net"
)

// ServerIface resolves phoneprov.conf serveriface to the interface's IPv4
// address, as res_phoneprov's lookup_iface does once per load. On failure
// Asterisk logs a warning and uses 0.0.0.0; so does phoneprovd, and err
// says why.
func (c *Config) ServerIface(name string) (addr string, err error) {
	lookup := c.InterfaceAddr
	if lookup == nil {
		lookup = hostInterfaceIPv4
	}
	addr, err = lookup(name)
	if err != nil {
		return "0.0.0.0", err
	}
	return addr, nil
}

// serverIface is ServerIface reporting a failure as a warning.
func (c *Config) serverIface(name string, probs *Problems) string {
	addr, err := c.ServerIface(name)
	if err != nil {
		probs.warnf(Pos{File: "phoneprov.conf"}, "serveriface %s: %v; SERVER is 0.0.0.0", name, err)
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
