//go:build !linux

package repo

// exchange puts the directory fresh at final and the old final at old, by
// two renames.
func exchange(fresh, final, old string) error { return swapByRenames(fresh, final, old) }
