package settings

import (
	"errors"
	"net"
	"strconv"
	"time"
)

// AMI is the [ami] section: how to reach Asterisk's manager interface.
// Its presence enables AMI.
type AMI struct {
	Enabled  bool
	Host     string
	Port     int
	Username string
	Secret   string
	// Timeout bounds each action.
	Timeout time.Duration
	// Refresh re-reads every endpoint this often as a safety net.
	Refresh time.Duration
}

func (a *AMI) defaults() {
	a.Host, a.Port, a.Timeout, a.Refresh = "127.0.0.1", 5038, 10*time.Second, 5*time.Minute
}

// Addr is host:port.
func (a *AMI) Addr() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

func (a *AMI) parser() parser {
	return parser{
		"host":     str(&a.Host),
		"port":     port(&a.Port),
		"username": str(&a.Username),
		"secret":   str(&a.Secret),
		"timeout":  duration(&a.Timeout),
		"refresh":  duration(&a.Refresh),
	}
}

func (a *AMI) validate() error {
	if a.Enabled && (a.Username == "" || a.Secret == "") {
		return errors.New("[ami] needs username and secret")
	}
	return nil
}

// ARI is the [ari] section: Asterisk's REST interface. Its presence
// enables ARI.
type ARI struct {
	Enabled     bool
	URL         string
	Username    string
	Password    string
	Application string
	Timeout     time.Duration
}

func (a *ARI) defaults() {
	a.URL, a.Application, a.Timeout = "http://127.0.0.1:8088/ari", "phoneprovd", 10*time.Second
}

func (a *ARI) parser() parser {
	return parser{
		"url":         str(&a.URL),
		"username":    str(&a.Username),
		"password":    str(&a.Password),
		"application": str(&a.Application),
		"timeout":     duration(&a.Timeout),
	}
}

func (a *ARI) validate() error {
	if a.Enabled && (a.Username == "" || a.Password == "") {
		return errors.New("[ari] needs username and password")
	}
	return nil
}

func port(p *int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return errors.New("not a port number")
		}
		*p = n
		return nil
	}
}
