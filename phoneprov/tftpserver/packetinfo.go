package tftpserver

import (
	"net"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// enablePacketInfo asks the kernel to report, for every datagram on conn,
// the address and interface it arrived on, as github.com/pin/tftp does
// when it starts serving. The engine needs both: the address becomes
// SERVER, the interface's MTU bounds blksize. A datagram queued before the
// option is set carries the address but no interface, and the engine then
// falls back to 512-byte blocks; setting the option here, before the
// engine starts, keeps that window as small as possible. Failure is
// harmless: the engine then works without the information.
func enablePacketInfo(conn net.PacketConn) {
	c, ok := conn.(*net.UDPConn)
	if !ok {
		return
	}
	la, ok := c.LocalAddr().(*net.UDPAddr)
	if !ok {
		return
	}
	if la.IP.To4() != nil {
		ipv4.NewPacketConn(c).SetControlMessage(ipv4.FlagDst|ipv4.FlagInterface, true)
		return
	}
	ipv6.NewPacketConn(c).SetControlMessage(ipv6.FlagDst|ipv6.FlagInterface, true)
}
