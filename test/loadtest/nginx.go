package loadtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// nginxBin is where Debian's nginx-light (or nginx) package installs nginx.
const nginxBin = "/usr/sbin/nginx"

// nginxConfig returns an nginx.conf serving the files under root on addr
// as a static server is usually set up for speed: workers worker
// processes, sendfile, keep-alive with no cap on requests per connection,
// no access log, the headers phoneprovd sends (Cache-Control and the
// fleet's MIME types). Everything nginx writes — its pid file, error log
// and temporary files — goes under dir. As root nginx would serve as
// nobody, who cannot read a private temporary directory, so runAsRoot
// keeps its workers root.
func nginxConfig(dir, root, addr string, workers int, runAsRoot bool) string {
	var b strings.Builder
	if runAsRoot {
		b.WriteString("user root;\n")
	}
	fmt.Fprintf(&b, `daemon off;
master_process on;
worker_processes %d;
pid %s;
error_log %s warn;

events {
    worker_connections 4096;
}

http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 60s;
    keepalive_requests 1000000;
    client_body_temp_path %s;
    proxy_temp_path %s;
    fastcgi_temp_path %s;
    uwsgi_temp_path %s;
    scgi_temp_path %s;
    types {
        text/xml cfg;
        application/octet-stream ld;
    }
    default_type text/plain;

    server {
        listen %s;
        root %s;
        add_header Cache-Control "no-cache, no-store";
    }
}
`, workers, filepath.Join(dir, "nginx.pid"), filepath.Join(dir, "error.log"),
		filepath.Join(dir, "client_body"), filepath.Join(dir, "proxy"), filepath.Join(dir, "fastcgi"),
		filepath.Join(dir, "uwsgi"), filepath.Join(dir, "scgi"), addr, root)
	return b.String()
}

// nginxArgs writes the configuration for serving root on addr into dir
// and returns the arguments that run nginx with it, in the foreground.
// -e sends the errors nginx logs before it reads its configuration to
// dir too.
func nginxArgs(dir, root, addr string, workers int) ([]string, error) {
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConfig(dir, root, addr, workers, os.Geteuid() == 0)), 0o644); err != nil {
		return nil, fmt.Errorf("nginx configuration: %w", err)
	}
	return []string{"-p", dir + "/", "-c", conf, "-e", filepath.Join(dir, "error.log")}, nil
}
