package security

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// ErrNoCertificate is returned by TLSConfig when no certificate is
// configured.
var ErrNoCertificate = errors.New("security: no TLS certificate configured (tls_cert, tls_key)")

// TLSConfig returns the configuration of the HTTPS listener: the
// certificate and key re-read whenever their files change (a new
// certificate is picked up by the next handshake, without a restart; one
// that does not load is logged and the previous one kept), the configured
// minimum version, and, when client CAs are configured, a request for the
// phone's certificate. The certificate is checked later, per request, so
// that a phone whose certificate is not trusted still gets firmware and
// other non-sensitive files. Each handshake follows the configuration in
// force (Reconfigure): other files, another minimum version, client CAs
// added or removed.
func (g *Guard) TLSConfig() (*tls.Config, error) {
	if g.r().certs == nil {
		return nil, ErrNoCertificate
	}
	return &tls.Config{
		GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
			r := g.r()
			if r.tls == nil {
				return nil, ErrNoCertificate
			}
			return r.tls, nil
		},
	}, nil
}

// tlsConfig is the configuration of handshakes under r's rules.
func (r *rules) tlsConfig() *tls.Config {
	tc := &tls.Config{
		MinVersion:     r.cfg.TLSMinVersion,
		GetCertificate: r.certs.get,
		NextProtos:     []string{"http/1.1"}, // phones do not speak HTTP/2
	}
	if r.cas != nil {
		tc.ClientAuth = tls.RequestClientCert
	}
	return tc
}

// certReloader holds the server certificate and reloads it when its files
// change.
type certReloader struct {
	certFile, keyFile string
	log               *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	loaded  stamps    // of the files cert came from
	tried   stamps    // of the files last tried, loaded or not
	checked time.Time // when the files were last stat'ed
	at      time.Time // when cert was loaded
}

func newCertReloader(certFile, keyFile string, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log}
	st := stampsOf([]string{certFile, keyFile})
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("security: TLS certificate: %w", err)
	}
	r.cert, r.loaded, r.tried, r.at = &cert, st, st, time.Now()
	return r, nil
}

// get is tls.Config.GetCertificate.
func (r *certReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := time.Now(); now.Sub(r.checked) >= minRecheck {
		r.checked = now
		r.reload()
	}
	return r.cert, nil
}

// reload loads the files again if they changed since the last try.
// Caller holds mu.
func (r *certReloader) reload() {
	st := stampsOf([]string{r.certFile, r.keyFile})
	if st.same(r.tried) {
		return
	}
	r.tried = st
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		// Often a half-written pair: the next change retries.
		r.log.Error("cannot reload the TLS certificate; keeping the previous one", "cert", r.certFile, "key", r.keyFile, "error", err)
		return
	}
	r.cert, r.loaded, r.at = &cert, st, time.Now()
	r.log.Info("TLS certificate reloaded", "cert", r.certFile)
}

// loadedAt is when the certificate in use was loaded.
func (r *certReloader) loadedAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at
}

// caPool holds the trusted client CAs and reloads them when their files
// change.
type caPool struct {
	files []string
	log   *slog.Logger

	mu      sync.Mutex
	pool    *x509.CertPool
	tried   stamps
	checked time.Time
}

func newCAPool(files []string, log *slog.Logger) (*caPool, error) {
	p := &caPool{files: files, log: log, tried: stampsOf(files)}
	pool, err := loadCAs(files)
	if err != nil {
		return nil, err
	}
	p.pool = pool
	return p, nil
}

// get returns the pool, reloaded if a file changed.
func (p *caPool) get() *x509.CertPool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.checked) >= minRecheck {
		p.checked = now
		if st := stampsOf(p.files); !st.same(p.tried) {
			p.tried = st
			if pool, err := loadCAs(p.files); err != nil {
				p.log.Error("cannot reload the client CAs; keeping the previous ones", "error", err)
			} else {
				p.pool = pool
				p.log.Info("client CAs reloaded")
			}
		}
	}
	return p.pool
}

// loadCAs reads PEM bundles into a pool; each file must hold at least one
// certificate.
func loadCAs(files []string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("security: client CA: %w", err)
		}
		if !pool.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("security: client CA %s: no PEM certificate in it", f)
		}
	}
	return pool, nil
}
