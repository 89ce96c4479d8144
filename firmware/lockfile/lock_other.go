//go:build !unix

package lockfile

import "os"

// lock is a no-op where flock(2) does not exist: phoneprovd runs on Unix.
func lock(*os.File) error { return nil }
