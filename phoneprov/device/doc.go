// Package device recognises which desk phone sent a provisioning request.
//
// Identify looks at an HTTP request (User-Agent, path) or a TFTP request
// (file name) and reports the vendor, family, model, firmware version and MAC
// address it can establish. The vendor comes, in order of preference, from
// the User-Agent, from a vendor's provisioning file-name convention in the
// path, or from the OUI of a MAC address found in the path. The formats
// recognised are the ones documented in VENDORS.md §1 (per-vendor boot files,
// User-Agent formats and MAC conventions); none of them is copied from
// another project's code.
//
// A User-Agent and a path can both carry a MAC. Identify reports the
// User-Agent's and leaves the comparison to the caller (Device.MACMismatch),
// because a mismatch is an enumeration signal that the caller decides how to
// act on.
//
// Identify runs on every request, so it is bounded: inputs are cut to 1 KiB
// before matching, every vendor matcher runs isolated from the others, and
// what comes out is validated (MACs are 12 lower-case hex digits, other
// fields are short printable ASCII).
package device
