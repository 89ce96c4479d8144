// Package family describes phone families: one value per vendor (or product
// line) that holds everything phoneprovd knows about its phones —
// identification (HTTP User-Agent, file names, OUIs, DHCP vendor class),
// the DHCP options that point them at a provisioning server, the SIP NOTIFY
// that makes them re-sync, and, for the families Wazo has a provd plugin
// for, the plugin's behaviour (see family/provd).
//
// Each family lives in its own directory (family/yealink, family/digium,
// …) with its README, its tests and its User-Agent corpus; family/families
// lists them, in one explicit list, and identifies requests against that
// list. This package holds what the families share: the Family type, the
// Device and Request of identification, the identification driver and MAC
// parsing.
//
// Identify runs on every request, so it is bounded: inputs are cut to 1 KiB
// before matching, every family's matchers run isolated from the others,
// and what comes out is validated (MACs are 12 lower-case hex digits, other
// fields are short printable ASCII). A User-Agent and a path can both carry
// a MAC. Identify reports the User-Agent's and leaves the comparison to the
// caller (Device.MACMismatch), because a mismatch is an enumeration signal
// that the caller decides how to act on.
//
// The formats recognised are the ones documented in docs/vendors.md
// (per-vendor boot files, User-Agent formats and MAC conventions); none of
// them is copied from another project's code.
package family
