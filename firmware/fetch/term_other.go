//go:build !linux

package fetch

import "os"

// isTerminal guesses from the file mode where the Linux ioctl is not
// available: a character device is taken for a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
