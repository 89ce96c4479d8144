package snom

import (
	"embed"
	"io/fs"
)

// profileFiles is the res_phoneprov profile this family ships
// (family.Family.Profile).
//
//go:embed profile
var profileFiles embed.FS

// profile returns the profile, its directory as the root.
func profile() fs.FS {
	sub, err := fs.Sub(profileFiles, "profile")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}
