package settings

import (
	"errors"
	"fmt"
)

// Admin is the [admin] section: who may use the admin listener
// ([general] admin: /status, the API and the web console) and over what.
// The listener's address stays [general] admin.
type Admin struct {
	// User and Password are the credentials the admin listener asks for
	// (HTTP Basic). Both empty: none are asked — allowed only while the
	// listener is on loopback.
	User     string
	Password string
	// TLSCert and TLSKey make the admin listener HTTPS. When the listener
	// is reachable from other hosts and they are not set, [security]'s
	// tls_cert and tls_key are used.
	TLSCert string
	TLSKey  string
	// Console serves the web console on the admin listener (default yes).
	Console bool
}

func (a *Admin) defaults() { a.Console = true }

func (a *Admin) parser() parser {
	return parser{
		"user":     str(&a.User),
		"password": str(&a.Password),
		"tls_cert": str(&a.TLSCert),
		"tls_key":  str(&a.TLSKey),
		"console":  boolean(&a.Console),
	}
}

func (a *Admin) validate() error {
	if (a.User == "") != (a.Password == "") {
		return errors.New("[admin] user and password go together")
	}
	if (a.TLSCert == "") != (a.TLSKey == "") {
		return errors.New("[admin] tls_cert and tls_key go together")
	}
	return nil
}

// String describes the section with the password redacted, so that
// printing the settings never shows it.
func (a Admin) String() string {
	if a.Password != "" {
		a.Password = "[redacted]"
	}
	type plain Admin // no String method: formats field by field
	return fmt.Sprintf("%+v", plain(a))
}
