package funcs

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// This file holds func_env.c's ENV and STAT and func_global.c's GLOBAL.

// readEnv is ENV(name) (env_read): the variable Config.LookupEnv reports,
// or "".
func (l *library) readEnv(_ *subst.Call, data string) (string, error) {
	if l.cfg.LookupEnv == nil {
		return "", nil
	}
	v, _ := l.cfg.LookupEnv(cString(data))
	return v, nil
}

// readGlobal is GLOBAL(name) (global_read): the dialplan global, or "".
func (l *library) readGlobal(_ *subst.Call, data string) (string, error) {
	if l.cfg.Globals == nil {
		return "", nil
	}
	v, _ := l.cfg.Globals.Lookup(cString(data))
	return v, nil
}

// readStat is STAT(flag,filename) (stat_read): the text up to the first
// comma is the flag (only its first byte counts), everything after it the
// file name, with no quote or escape processing. "0" when the file cannot
// be stat'ed (or there is no comma); otherwise e: 1, s: size (as a C
// unsigned int), f: 1 for a regular file, d: 1 for a directory, M and A:
// mtime, C: ctime (as C ints), m: st_mode in octal; any other flag "0".
//
// phoneprovd confines STAT to Config.DataDir: relative names are resolved
// against it, symbolic links are followed, and a file whose resolved path
// lies outside it is missing.
func (l *library) readStat(_ *subst.Call, data string) (string, error) {
	flag, name, found := strings.Cut(cString(data), ",")
	if !found {
		return "0", nil
	}
	st, ok := l.statConfined(name)
	if !ok {
		return "0", nil
	}
	var action byte
	if flag != "" {
		action = flag[0]
	}
	switch action {
	case 'e':
		return "1", nil
	case 's':
		return strconv.FormatUint(uint64(uint32(st.size)), 10), nil
	case 'f':
		return strconv.Itoa(b2i(st.mode&sIFMT == sIFREG)), nil
	case 'd':
		return strconv.Itoa(b2i(st.mode&sIFMT == sIFDIR)), nil
	case 'M', 'A':
		return strconv.Itoa(int(int32(st.mtime))), nil
	case 'C':
		return strconv.Itoa(int(int32(st.ctime))), nil
	case 'm':
		return strconv.FormatUint(uint64(st.mode), 8), nil
	}
	return "0", nil
}

// File type bits of st_mode.
const (
	sIFMT  = 0o170000
	sIFREG = 0o100000
	sIFDIR = 0o040000
)

// fileStat is the part of a struct stat STAT reports.
type fileStat struct {
	size         int64
	mode         uint32
	mtime, ctime int64
}

// statConfined stats name, following symbolic links, if and only if the
// file it resolves to lies inside the data directory.
func (l *library) statConfined(name string) (fileStat, bool) {
	if l.cfg.DataDir == "" || name == "" {
		return fileStat{}, false
	}
	root, err := filepath.EvalSymlinks(l.cfg.DataDir)
	if err != nil {
		return fileStat{}, false
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return fileStat{}, false
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(root, name)
	}
	resolved, err := filepath.EvalSymlinks(name)
	if err != nil {
		return fileStat{}, false
	}
	rel, err := filepath.Rel(root, resolved)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return fileStat{}, false
	}
	// Stat through a root handle, so a link swapped in after the check
	// still cannot lead outside.
	r, err := os.OpenRoot(root)
	if err != nil {
		return fileStat{}, false
	}
	defer r.Close()
	fi, err := r.Stat(rel)
	if err != nil {
		return fileStat{}, false
	}
	return statOf(fi), true
}

// portableStat builds STAT's fields from what fs.FileInfo offers, with the
// mode translated to st_mode bits.
func portableStat(fi fs.FileInfo) fileStat {
	m := fi.Mode()
	mode := uint32(m.Perm())
	switch {
	case m.IsRegular():
		mode |= sIFREG
	case m.IsDir():
		mode |= sIFDIR
	case m&fs.ModeSymlink != 0:
		mode |= 0o120000
	case m&fs.ModeNamedPipe != 0:
		mode |= 0o010000
	case m&fs.ModeSocket != 0:
		mode |= 0o140000
	case m&fs.ModeCharDevice != 0:
		mode |= 0o020000
	case m&fs.ModeDevice != 0:
		mode |= 0o060000
	}
	if m&fs.ModeSetuid != 0 {
		mode |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		mode |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	t := fi.ModTime().Unix()
	return fileStat{size: fi.Size(), mode: mode, mtime: t, ctime: t}
}
