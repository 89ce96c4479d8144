package funcs

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// func_env.c stat_read: C is st_ctime, which only the system's struct
// stat carries.
func TestStatCtime(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(file, &st); err != nil {
		t.Fatal(err)
	}
	runCases(t, Config{DataDir: dir}, []tcase{
		{in: "${STAT(C," + file + ")}", want: strconv.FormatInt(st.Ctim.Sec, 10)},
	})
}
