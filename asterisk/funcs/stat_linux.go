package funcs

import (
	"io/fs"
	"syscall"
)

// statOf extracts STAT's fields from a FileInfo, using the system's
// struct stat where it has one.
func statOf(fi fs.FileInfo) fileStat {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fileStat{
			size:  st.Size,
			mode:  st.Mode,
			mtime: st.Mtim.Sec,
			ctime: st.Ctim.Sec,
		}
	}
	return portableStat(fi)
}
