// Package security protects the SIP secrets phoneprovd serves.
//
// A provisioning server hands a phone's SIP password to whoever names its
// MAC address, and MACs are guessable: one vendor OUI leaves 2^24
// addresses, handed out in dense runs. Asterisk's res_phoneprov has no
// protection at all (docs/asterisk.md#responses). A Guard adds,
// in process:
//
//   - network allowlists for HTTP and TFTP;
//   - MAC-scan protection: per source, distinct unknown MACs and failed
//     authentications are counted, and a source over the threshold is
//     banned from sensitive routes and from further probing;
//   - HTTP Digest authentication (RFC 7616, SHA-256 and MD5, qop=auth,
//     expiring server nonces, nonce-count replay protection) and Basic
//     authentication over TLS, with per-phone or global credentials;
//   - an HTTPS configuration whose certificate is re-read when its files
//     change, and client certificates whose MAC must be the MAC of the
//     phone whose file is asked for;
//   - a User-Agent check: a phone naming its MAC in the User-Agent may not
//     fetch another phone's sensitive files;
//   - an audit log line for every sensitive file served.
//
// Only sensitive routes are guarded beyond the allowlist: those whose
// rendered content depends on SECRET (phoneprov.Rendered.Sensitive), holds
// a secret of the phone, or matches a configured glob. Firmware and shared
// files are served as Asterisk serves them.
//
// A Guard implements httpserver.Guard; CheckTFTP is the equivalent for the
// TFTP server. ConnLimit caps the connections a listener holds. Nothing in
// this package logs a secret, a password or a credential.
package security
