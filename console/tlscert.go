package console

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// TLSConfig returns the admin listener's HTTPS configuration for a
// certificate and key in PEM files. The files are looked at again, at most
// every few seconds, by the handshakes that follow a change: a renewed
// certificate is served without a restart, and one that does not load is
// logged and the previous one kept.
func TLSConfig(certFile, keyFile string, log *slog.Logger) (*tls.Config, error) {
	c, err := loadCertFiles(certFile, keyFile, log)
	if err != nil {
		return nil, err
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.get}, nil
}

func loadCertFiles(certFile, keyFile string, log *slog.Logger) (*certFiles, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &certFiles{cert: certFile, key: keyFile, log: log}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("admin TLS certificate: %w", err)
	}
	c.pair, c.stamp, c.checked = &pair, c.stat(), time.Now()
	return c, nil
}

// recheck is how often the files are looked at, at most.
const recheck = 5 * time.Second

type certFiles struct {
	cert, key string
	log       *slog.Logger

	mu      sync.Mutex
	pair    *tls.Certificate
	stamp   string // of the files last tried
	checked time.Time
}

// stat describes both files by size and modification time.
func (c *certFiles) stat() string {
	s := ""
	for _, f := range []string{c.cert, c.key} {
		if fi, err := os.Stat(f); err == nil {
			s += fmt.Sprintf("%d/%d;", fi.Size(), fi.ModTime().UnixNano())
		} else {
			s += "-;"
		}
	}
	return s
}

func (c *certFiles) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := time.Now(); now.Sub(c.checked) >= recheck {
		c.checked = now
		if st := c.stat(); st != c.stamp {
			c.stamp = st
			pair, err := tls.LoadX509KeyPair(c.cert, c.key)
			if err != nil {
				c.log.Warn("the admin TLS certificate changed but does not load; keeping the previous one", "cert", c.cert, "error", err)
			} else {
				c.pair = &pair
				c.log.Info("admin TLS certificate reloaded", "cert", c.cert)
			}
		}
	}
	return c.pair, nil
}
