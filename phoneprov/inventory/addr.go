package inventory

import "net/netip"

// maxAddrs bounds the addresses byAddr remembers: past it a new address
// is not remembered (its requests then name their MAC or are not
// attributed), so a scan from many addresses cannot grow it.
const maxAddrs = 1 << 18

// noteAddrLocked records that device mac was seen at ip: the address is
// then its own, unless another device was seen there too.
func (inv *Inventory) noteAddrLocked(ip netip.Addr, mac string) {
	if inv.byAddr == nil {
		inv.byAddr = make(map[netip.Addr]string)
	}
	prev, seen := inv.byAddr[ip]
	switch {
	case !seen && len(inv.byAddr) < maxAddrs:
		inv.byAddr[ip] = mac
	case seen && prev != mac:
		inv.byAddr[ip] = "" // shared: says nothing of who asks
	}
}
