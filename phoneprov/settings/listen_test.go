package settings

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

func TestCheckListenAddress(t *testing.T) {
	for _, good := range []string{":8080", "0.0.0.0:80", "127.0.0.1:0", "[::]:8080", "[::1]:69", "[fe80::1%eth0]:8080", "[fe80::1%2]:80", "localhost:http", "pbx.example.com:8080", ":65535"} {
		if err := CheckListenAddress(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
	for _, tt := range []struct{ addr, want string }{
		{"notanaddr", `"notanaddr" is not a listen address (host:port, e.g. :8080, 127.0.0.1:8080 or [::]:8080): no port`},
		{"127.0.0.1:99999", `"127.0.0.1:99999": port 99999 is not from 0 to 65535`},
		{"127.0.0.1:", `"127.0.0.1:" has no port`},
		{"::1:8080", "an IPv6 address must be in brackets"},
		{"[pbx]:80", `"pbx" in brackets is not an IPv6 address`},
		{"bad host!:80", `"bad host!" is neither an IP address nor a host name`},
		{":80/tcp", `port "80/tcp" is neither a number nor a service name`},
		{"", "no port"},
		{"[::% 0000]:0", `zone " 0000" is not an interface name or index`},
		{"[fe80::1%eth0/1]:80", `zone "eth0/1"`},
	} {
		err := CheckListenAddress(tt.addr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.addr, err, tt.want)
		}
	}
}

// TestListenSettings checks that a bad listen address is an error with the
// file and line when the settings load, for every listener.
func TestListenSettings(t *testing.T) {
	tests := []struct{ text, want string }{
		{"[general]\nhttp = notanaddr\n", `phoneprovd.conf:2: http: "notanaddr" is not a listen address`},
		{"[general]\n\nhttps = 10.0.0.1:99999\n", `phoneprovd.conf:3: https: "10.0.0.1:99999": port 99999 is not from 0 to 65535`},
		{"[general]\nadmin = ::1:8081\n", "phoneprovd.conf:2: admin:"},
		{"[tftp]\nlisten = 127.0.0.1:99999\n", `phoneprovd.conf:2: listen: "127.0.0.1:99999": port 99999 is not from 0 to 65535`},
		{"[tftp]\nlisten = 0.0.0.0:69, [::]:69, nope\n", `phoneprovd.conf:2: listen: "nope" is not a listen address`},
	}
	for _, tt := range tests {
		_, err := load(t, tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.text, err, tt.want)
		}
	}
}

// TestEveryErrorAtOnce checks that Load reports every bad setting, not only
// the first, and keeps the good ones.
func TestEveryErrorAtOnce(t *testing.T) {
	s, err := load(t, `[general]
http = notanaddr
admin = 127.0.0.1:9091
debounce = soon
[nope]
x = 1
[tftp]
listen = 127.0.0.1:99999
[security]
auth_user = site
`)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`phoneprovd.conf:2: http: "notanaddr"`,
		"phoneprovd.conf:4: debounce:",
		"phoneprovd.conf:5: unknown section [nope]",
		`phoneprovd.conf:8: listen: "127.0.0.1:99999"`,
		"phoneprovd.conf:9: [security] auth_user and auth_password go together",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if s == nil || s.General.Admin != "127.0.0.1:9091" || s.General.HTTP != ":8080" {
		t.Errorf("settings kept: %+v", s)
	}
	if got := s.Where("tftp", "listen"); got != s.File+":8" && !strings.HasSuffix(got, "phoneprovd.conf:8") {
		t.Errorf("Where(tftp, listen) = %q", got)
	}
	if got := s.Where("security", "auth"); !strings.HasSuffix(got, "phoneprovd.conf:9") {
		t.Errorf("Where(security, auth) = %q, want the section's line", got)
	}
}

func FuzzCheckListenAddress(f *testing.F) {
	for _, s := range []string{":8080", "[::1]:69", "notanaddr", "127.0.0.1:99999", "::1:80", "[fe80::1%eth0]:80", "a.b:http"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		if CheckListenAddress(addr) != nil {
			return
		}
		// What it accepts, the standard library splits, and the host is
		// one net.Listen can resolve or bind: empty, an IP or a name.
		host, port, err := net.SplitHostPort(addr)
		if err != nil || port == "" {
			t.Fatalf("%q accepted, but SplitHostPort: %v", addr, err)
		}
		if n, err := strconv.Atoi(port); err == nil && (n < 0 || n > 65535) {
			t.Fatalf("%q accepted with port %d", addr, n)
		}
		if strings.ContainsAny(host, " \t\n/") {
			t.Fatalf("%q accepted with host %q", addr, host)
		}
	})
}
