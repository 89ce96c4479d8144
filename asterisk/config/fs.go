package config

import (
	"io"
	"io/fs"
	"os"
)

// FileSystem is the file access the loader needs. Load uses the operating
// system unless Options.FS names another (a saved copy of the files, or an
// in-memory tree in tests). Names are absolute, cleaned paths.
type FileSystem interface {
	// Stat returns information about the named file, following symlinks.
	Stat(name string) (fs.FileInfo, error)
	// Lstat returns information about the named file itself.
	Lstat(name string) (fs.FileInfo, error)
	// ReadDir returns the entries of the named directory sorted by name.
	ReadDir(name string) ([]fs.DirEntry, error)
	// Open opens the named file for reading.
	Open(name string) (io.ReadCloser, error)
}

// fileSystem is the loader's name for FileSystem.
type fileSystem = FileSystem

// osFileSystem is the operating system's file system.
type osFileSystem struct{}

// Stat calls os.Stat.
func (osFileSystem) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Lstat calls os.Lstat.
func (osFileSystem) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }

// ReadDir calls os.ReadDir.
func (osFileSystem) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// Open calls os.Open.
func (osFileSystem) Open(name string) (io.ReadCloser, error) { return os.Open(name) }
