// Package docs holds phoneprovd's reference pages: asterisk.md, the
// behaviours of Asterisk the code reproduces, and vendors.md, the facts
// about phones it relies on. Comments cite a section as
// docs/<page>.md#<section>; this package's test checks that every such
// citation in the repository resolves, and that no comment cites a
// document outside it.
package docs
