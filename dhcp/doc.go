// Package dhcp connects phoneprovd to the DHCP servers people run: it
// learns every lease a phone takes — its MAC, its address and the vendor
// class (option 60) it sent — so that a phone is known, identified and
// located before its first request, and a phone that leased an address but
// never fetched a file (a wrong option, a blocked port) shows up as such.
//
// # Lease events
//
// Each DHCP server tells phoneprovd about leases in its own way; each way
// ends up as an Event posted to the running daemon's admin listener:
//
//   - dnsmasq runs its dhcp-script with "add|old|del MAC IP [HOSTNAME]" and
//     DNSMASQ_* variables (ParseDnsmasq);
//   - ISC dhcpd runs execute() in "on commit/release/expiry" with the
//     arguments "commit IP MAC VENDOR-CLASS-HEX LEASE-SECONDS HOSTNAME",
//     "release IP MAC" and "expiry IP MAC" (ParseISC);
//   - Kea's run_script hook runs its script with the hook point's name and
//     LEASE4_* / LEASES4_AT<n>_* variables (ParseKea): address and MAC, no
//     vendor class;
//   - Wazo's relays POST provd's own {"dhcp_info": {...}} to
//     /dev_mgr/dhcpinfo (ParseDHCPInfo).
//
// ParseHook tells the first three apart by their first argument; the
// `phoneprovd dhcp event` command (also run as phoneprovd-dhcp-event, for
// the servers that take a program and no arguments) parses them and Sends
// the events to POST /dhcp/leases. Handler serves both endpoints: it
// checks the token when the admin listener is not loopback, validates each
// event and passes it, identified (Identify), to the daemon's Recorder.
//
// # Identification
//
// Identify walks the phone families (family/families): the first family
// whose DHCP vendor classes match option 60 names the vendor and product
// line, and its DHCP extractor (family.DHCP.Extract) the model and firmware;
// without a vendor class, the MAC's OUI names the vendor.
//
// # The last lease of a MAC
//
// What the daemon records — the inventory (phoneprov/inventory) keeps a
// Lease per device and persists it with the device — is what later parts
// read through a LeaseLookup: given a MAC, the last lease seen for it, with
// its address, its vendor class, what identification made of it and whether
// it is still active. The `plugin = auto` selection reads the vendor class
// and identity to choose a plugin for a phone that has never asked for a
// file; re-sync of a phone without a SIP endpoint sends its NOTIFY to
// sip:anonymous@<Lease.IP> while the lease is active. Both accept a lease
// that has ended as a hint, not as a fact.
//
// # Configuration
//
// Package dhcp/dhcpconf writes the DHCP servers' side: the snippet that
// sends each supported family's phones the provisioning URL in the options
// and forms they read, and the hook line that reports leases.
package dhcp
