package dhcpe2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// netns is a network namespace the test created; Close removes it, and
// with it the veth end inside.
type netns struct{ name string }

// unavailable stops a test that cannot build its network: under CI=true,
// where .ci/run installs everything as root, it fails; elsewhere it skips
// with the reason.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: this test must run)", msg)
	}
	t.Skipf("%s: skipped outside CI", msg)
}

// ip runs iproute2's ip and fails the test on error.
func ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// newNetns creates a namespace with its loopback up, removed at cleanup.
func newNetns(t *testing.T, name string) *netns {
	t.Helper()
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		unavailable(t, "cannot create a network namespace (ip netns add %s: %v: %s)", name, err, strings.TrimSpace(string(out)))
	}
	n := &netns{name: name}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("removing namespace %s: %v\n%s", name, err, out)
		}
	})
	ip(t, "-n", name, "link", "set", "lo", "up")
	return n
}

// command returns cmd to run inside the namespace.
func (n *netns) command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.name, name}, args...)...)
}

// veth links two namespaces with a veth pair: aName in a, bName in b.
func veth(t *testing.T, a *netns, aName string, b *netns, bName string) {
	t.Helper()
	ip(t, "-n", a.name, "link", "add", aName, "type", "veth", "peer", "name", bName, "netns", b.name)
}
