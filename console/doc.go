// Package console is phoneprovd's web console: server-rendered pages on
// the admin listener that show the fleet at a glance — every phone and
// unknown device with what identification made of it, one phone's lines,
// files (previews with every secret masked), fetch and re-sync history,
// the configuration being served and the edit that was refused, the
// security guard's bans — and the few actions an administrator takes
// there (re-sync a phone, lift a ban, pause a firmware rollout), each a
// POST protected against cross-site requests.
//
// Pages are rendered with html/template from templates embedded in the
// binary, with a stylesheet and a few hundred bytes of JavaScript that
// only enhance them: every page and action works without JavaScript, and
// nothing is fetched from the network.
//
// The console reads what other parts already keep, through small
// interfaces (Inventory, Resync, Security, and the optional Firmware and
// DHCP): a part that is not given hides its page or section.
//
// Protect and CheckExposure guard the whole admin listener: credentials
// (HTTP Basic, over HTTPS) whenever it is reachable from other hosts, and
// no state-changing request from another origin.
package console
