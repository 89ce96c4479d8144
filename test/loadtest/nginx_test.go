package loadtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// TestNginxConfig has nginx itself check the configuration the benchmark
// runs it with (nginx -t), and checks the settings the comparison relies
// on.
func TestNginxConfig(t *testing.T) {
	for _, asRoot := range []bool{false, true} {
		conf := nginxConfig("/tmp/x", "/srv/www", "127.0.0.1:8080", 2, asRoot)
		for _, want := range []string{"daemon off;", "worker_processes 2;", "sendfile on;", "access_log off;",
			"keepalive_requests 1000000;", "listen 127.0.0.1:8080;", "root /srv/www;", "pid /tmp/x/nginx.pid;"} {
			if !strings.Contains(conf, want) {
				t.Errorf("root %v: configuration lacks %q", asRoot, want)
			}
		}
		if got := strings.HasPrefix(conf, "user root;\n"); got != asRoot {
			t.Errorf("root %v: user root set: %v", asRoot, got)
		}
	}

	if _, err := os.Stat(nginxBin); err != nil {
		testtool.Missing(t, nginxBin+" (Debian package nginx-light)")
	}
	dir := t.TempDir()
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	args, err := nginxArgs(dir, filepath.Join(dir, "www"), addr, 2)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(nginxBin, append(args, "-t")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "test is successful") {
		t.Errorf("nginx -t: %v\n%s", err, out)
	}
}
