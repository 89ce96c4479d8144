package security

import (
	"os"
	"time"
)

// fileStamp identifies one version of a file: which file (inode) and its
// modification time and size. Renaming a new file into place (as certbot
// and most deployment tools do) and rewriting it in place both change it.
type fileStamp struct {
	info os.FileInfo // nil when the file could not be read
}

// stampOf stats path, following symbolic links.
func stampOf(path string) fileStamp {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{info: info}
}

// same reports whether s and o are the same version of a file.
func (s fileStamp) same(o fileStamp) bool {
	if s.info == nil || o.info == nil {
		return s.info == nil && o.info == nil
	}
	return os.SameFile(s.info, o.info) && s.info.ModTime().Equal(o.info.ModTime()) && s.info.Size() == o.info.Size()
}

// stamps are the stamps of a list of files.
type stamps []fileStamp

func stampsOf(paths []string) stamps {
	out := make(stamps, len(paths))
	for i, p := range paths {
		out[i] = stampOf(p)
	}
	return out
}

func (s stamps) same(o stamps) bool {
	if len(s) != len(o) {
		return false
	}
	for i := range s {
		if !s[i].same(o[i]) {
			return false
		}
	}
	return true
}

// minRecheck is how often, at most, a watched file is stat'ed: a busy
// HTTPS listener does not stat its certificate on every handshake.
const minRecheck = 250 * time.Millisecond
