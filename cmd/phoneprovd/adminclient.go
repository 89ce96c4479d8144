package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"

	"github.com/phoneprovd/phoneprovd/console"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// adminClient is how the commands reach the daemon's admin listener:
// https when it serves HTTPS, with [admin]'s credentials.
type adminClient struct {
	base   string // scheme://host:port
	client *http.Client
}

// adminFlags adds -config-dir and -admin to fs and returns how to dial
// the listener they name once fs is parsed.
func adminFlags(fs *flag.FlagSet) (dial func() (*adminClient, error)) {
	configDir := fs.String("config-dir", "/etc/asterisk", "config directory (for phoneprovd.conf's admin address)")
	addr := fs.String("admin", "", "the daemon's admin listener (default: [general] admin of phoneprovd.conf)")
	return func() (*adminClient, error) { return dialAdmin(*configDir, *addr) }
}

// dialAdmin returns the client of the admin listener at addr (by default
// phoneprovd.conf's [general] admin), with the credentials and the
// certificate of phoneprovd.conf in configDir. addr may be a URL
// (https://pbx.example.com:8081) when the certificate names a host.
func dialAdmin(configDir, addr string) (*adminClient, error) {
	s, err := settings.Load(configDir)
	if err != nil {
		if addr == "" {
			return nil, err
		}
		s = settings.Defaults() // the address was given: no settings needed
	}
	if addr == "" {
		addr = s.General.Admin
	}
	cert, _ := console.AdminTLSFiles(s)
	scheme := "http"
	if cert != "" {
		scheme = "https"
	}
	if u, ok := strings.CutPrefix(addr, "https://"); ok {
		scheme, addr = "https", u
	} else if u, ok := strings.CutPrefix(addr, "http://"); ok {
		scheme, addr = "http", u
	}
	addr = strings.TrimSuffix(addr, "/")
	// A wildcard listener is reached on this host.
	if host, port, err := net.SplitHostPort(addr); err == nil {
		if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
	}
	tc, err := adminClientTLS(cert)
	if err != nil {
		return nil, err
	}
	rt := &basicAuth{next: &http.Transport{TLSClientConfig: tc, Proxy: nil}, user: s.Admin.User, password: s.Admin.Password}
	return &adminClient{base: scheme + "://" + addr, client: &http.Client{Transport: rt}}, nil
}

func (a *adminClient) url(path string) string { return a.base + path }

// adminClientTLS trusts the system's CAs, and the certificate the daemon
// is configured with as it is, whatever name it was reached by: this
// host's own certificate, often self-signed or for a name, not 127.0.0.1.
func adminClientTLS(certFile string) (*tls.Config, error) {
	if certFile == "" {
		return nil, nil
	}
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("the admin certificate: %w", err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, fmt.Errorf("the admin certificate %s holds no PEM certificate", certFile)
	}
	pinned := block.Bytes
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified below, with the pinned certificate
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the admin listener sent no certificate")
			}
			if bytes.Equal(cs.PeerCertificates[0].Raw, pinned) {
				return nil
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter})
			return err
		},
	}, nil
}

// basicAuth adds the admin credentials to every request.
type basicAuth struct {
	next           http.RoundTripper
	user, password string
}

func (b *basicAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.user != "" {
		r = r.Clone(r.Context())
		r.SetBasicAuth(b.user, b.password)
	}
	return b.next.RoundTrip(r)
}

// adminError is a refusal of the admin API: its HTTP status and what it
// said (its JSON "error", else the body).
type adminError struct {
	status int
	msg    string
}

func (e *adminError) Error() string { return e.msg }

// call sends body (as JSON, unless nil) to the admin API and returns the
// answer's body; a status of 300 or more is an *adminError.
func (a *adminClient) call(ctx context.Context, method, path string, body any) ([]byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.url(path), r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("is phoneprovd running? %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode >= 300 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			return raw, &adminError{resp.StatusCode, e.Error}
		}
		return raw, &adminError{resp.StatusCode, resp.Status + ": " + strings.TrimSpace(string(raw))}
	}
	return raw, nil
}

// adminStatus is the HTTP status of an admin API refusal, 0 for any other
// error.
func adminStatus(err error) int {
	var ae *adminError
	if errors.As(err, &ae) {
		return ae.status
	}
	return 0
}
