// Package dhcpe2e holds the end-to-end test of phoneprovd's DHCP
// integration: real dnsmasq, serving the configuration `phoneprovd dhcp
// config` writes, and a real DHCP client (busybox udhcpc), in network
// namespaces the test creates, with phoneprovd's daemon receiving the
// leases from dnsmasq's dhcp-script. It has no code of its own.
package dhcpe2e
