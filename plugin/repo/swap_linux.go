package repo

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange puts the directory fresh at final and the old final at old.
// On Linux the two directories are swapped by one renameat2
// RENAME_EXCHANGE: final never stops existing, and a watcher sees one
// rename. Where the file system cannot, it falls back to two renames.
func exchange(fresh, final, old string) error {
	err := unix.Renameat2(unix.AT_FDCWD, fresh, unix.AT_FDCWD, final, unix.RENAME_EXCHANGE)
	if err == nil {
		return os.Rename(fresh, old) // fresh now holds the old plugin
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP) {
		return &os.LinkError{Op: "renameat2", Old: fresh, New: final, Err: err}
	}
	return swapByRenames(fresh, final, old)
}
