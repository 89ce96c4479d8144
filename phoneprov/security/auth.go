package security

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Authentication methods, as the audit log names them.
const (
	MethodNone   = "none"
	MethodDigest = "digest"
	MethodBasic  = "basic"
	MethodMTLS   = "mtls"
)

// credential is a user name and password a phone must present.
type credential struct {
	user, password string
	perPhone       bool
}

// credentialFor returns the credential for a phone's sensitive files: the
// PROV_USER and PROV_PASSWORD of its first line when both are set, else
// the global pair. ok is false when there is neither.
func (g *Guard) credentialFor(phone *phoneprov.Phone) (credential, bool) {
	if phone != nil && len(phone.Lines) > 0 {
		vars := phone.Lines[0].Vars
		user, _ := vars.Find("PROV_USER")
		password, _ := vars.Find("PROV_PASSWORD")
		if user != "" && password != "" {
			return credential{user: user, password: password, perPhone: true}, true
		}
	}
	if g.r().cfg.User != "" {
		return credential{user: g.r().cfg.User, password: g.r().cfg.Password}, true
	}
	return credential{}, false
}

// authenticate decides a sensitive request for the phone with MAC mac
// (both may be unknown) and returns the method that let it through, or
// the refusal.
func (g *Guard) authenticate(q request, phone *phoneprov.Phone, mac, route string) (string, *refusal) {
	pc := g.peerCertificate(q.r.TLS)
	switch {
	case pc.verified && len(pc.macs) == 0:
		// A trusted certificate that identifies no phone (Yealink's
		// generic one): it proves nothing about this file.
		g.log.Debug("client certificate names no MAC", "remote", q.remote.String(), "route", route)
	case pc.verified && (mac == "" || len(pc.macs) == 1 && pc.macs[0] == mac):
		return MethodMTLS, nil
	case pc.verified:
		g.counters.refusedCert.Add(1)
		g.log.Warn("client certificate names another phone", "remote", q.remote.String(), "route", route, "mac", mac, "certificate_macs", strings.Join(pc.macs, ","))
		g.countFailure(q.remote, q.proto)
		return "", forbidden()
	case pc.presented && g.r().cas != nil:
		g.log.Debug("client certificate not trusted by any client CA", "remote", q.remote.String(), "route", route)
	}
	if g.r().cfg.Auth == AuthNone {
		if g.r().cas != nil {
			g.counters.refusedCert.Add(1)
			g.log.Info("sensitive file refused: a client certificate is required", "remote", q.remote.String(), "route", route, "proto", q.proto)
			return "", forbidden()
		}
		return MethodNone, nil
	}
	cred, ok := g.credentialFor(phone)
	if !ok {
		g.log.Warn("sensitive file refused: no credentials are configured for it (set PROV_USER and PROV_PASSWORD, or auth_user and auth_password)", "route", route, "mac", mac)
		return "", forbidden()
	}
	scheme, rest := authScheme(q.r.Header.Get("Authorization"))
	switch {
	case strings.EqualFold(scheme, "Digest"):
		return g.authenticateDigest(q, rest, cred, route)
	case strings.EqualFold(scheme, "Basic"):
		return g.authenticateBasic(q, rest, cred, route)
	}
	return "", g.challenge(q, false)
}

// authenticateDigest checks Digest credentials.
func (g *Guard) authenticateDigest(q request, rest string, cred credential, route string) (string, *refusal) {
	params, err := parseAuthParams(rest)
	if err != nil {
		g.log.Debug("malformed digest authorization", "remote", q.remote.String(), "route", route, "error", err)
		return "", g.challenge(q, false)
	}
	now := g.now()
	switch res := g.checkDigest(q.r, params, cred, now); res {
	case digestOK:
		return MethodDigest, nil
	case digestStale:
		return "", g.challenge(q, true)
	case digestWrong:
		g.log.Warn("authentication failed", "remote", q.remote.String(), "route", route, "method", MethodDigest)
		if g.countFailure(q.remote, q.proto) {
			return "", forbidden()
		}
		return "", g.challenge(q, false)
	case digestReplayed:
		g.log.Info("digest nonce count replayed", "remote", q.remote.String(), "route", route)
		return "", g.challenge(q, false)
	default:
		g.log.Debug("digest authorization not usable", "remote", q.remote.String(), "route", route, "result", res.String())
		return "", g.challenge(q, false)
	}
}

// authenticateBasic checks Basic credentials, over TLS only.
func (g *Guard) authenticateBasic(q request, rest string, cred credential, route string) (string, *refusal) {
	if q.r.TLS == nil {
		g.log.Warn("Basic credentials refused over plain HTTP", "remote", q.remote.String(), "route", route)
		return "", g.challenge(q, false)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	user, password, found := strings.Cut(string(raw), ":")
	if err != nil || !found {
		g.log.Debug("malformed basic authorization", "remote", q.remote.String(), "route", route)
		return "", g.challenge(q, false)
	}
	userOK := equalSecret(user, cred.user)
	passOK := equalSecret(password, cred.password)
	if userOK && passOK {
		return MethodBasic, nil
	}
	g.log.Warn("authentication failed", "remote", q.remote.String(), "route", route, "method", MethodBasic)
	if g.countFailure(q.remote, q.proto) {
		return "", forbidden()
	}
	return "", g.challenge(q, false)
}

// challenge is a 401 offering what the request may answer with: Basic
// first when auth = basic over TLS, then Digest with each algorithm, one
// nonce for all.
func (g *Guard) challenge(q request, stale bool) *refusal {
	g.counters.challenges.Add(1)
	h := http.Header{}
	if g.r().cfg.Auth == AuthBasic && q.r.TLS != nil {
		h.Add("WWW-Authenticate", `Basic realm="`+g.r().cfg.Realm+`", charset="UTF-8"`)
	}
	nonce := g.nonces.mint(g.now())
	for _, a := range g.r().cfg.DigestAlgorithms {
		h.Add("WWW-Authenticate", g.digestChallenge(a, nonce, stale))
	}
	return &refusal{Status: http.StatusUnauthorized, Header: h}
}
