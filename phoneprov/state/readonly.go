package state

import (
	"errors"
	"syscall"
)

// isReadOnly reports a read-only file system.
func isReadOnly(err error) bool {
	return errors.Is(err, syscall.EROFS)
}
