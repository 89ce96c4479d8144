//go:build !linux

package funcs

import "io/fs"

// statOf extracts STAT's fields from a FileInfo; without Linux's struct
// stat the change time is the modification time.
func statOf(fi fs.FileInfo) fileStat {
	return portableStat(fi)
}
