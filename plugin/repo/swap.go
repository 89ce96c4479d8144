package repo

import (
	"fmt"
	"os"
)

// swapByRenames moves final to old, then fresh to final, and moves the
// old plugin back if the second rename fails. For an instant final does
// not exist.
func swapByRenames(fresh, final, old string) error {
	if err := os.Rename(final, old); err != nil {
		return err
	}
	if err := os.Rename(fresh, final); err != nil {
		if rerr := os.Rename(old, final); rerr != nil {
			return fmt.Errorf("%w; and putting the old plugin back failed: %v (it is in %s)", err, rerr, old)
		}
		return err
	}
	return nil
}
