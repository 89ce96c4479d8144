// Package testtool stops tests that need a tool this machine lacks: a
// failure under CI=true, a skip with a message elsewhere.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Missing stops a test that needs something this machine lacks: under
// CI=true (where .ci/run installs everything the tests drive) it fails,
// elsewhere it skips, saying what is missing.
func Missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (CI=true: a missing tool is a failure)", what)
	}
	t.Skipf("%s is missing: skipped outside CI", what)
}

// NeedPython makes sure python3 and the given modules can be imported
// (Debian: python3, python3-jinja2), else calls Missing.
func NeedPython(t testing.TB, modules ...string) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		Missing(t, "python3")
	}
	for _, m := range modules {
		if err := exec.Command("python3", "-c", "import "+m).Run(); err != nil {
			Missing(t, "the Python module "+m)
		}
	}
}

// Need returns the path of the program name (Debian package pkg), looked
// up in PATH and in the sbin and bin directories (a non-root PATH lacks
// /usr/sbin, where dnsmasq and dhcpd live); when it is missing it calls
// Missing.
func Need(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin", "/bin"} {
		p := dir + "/" + name
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	Missing(t, name+" (Debian package "+pkg+")")
	return ""
}
