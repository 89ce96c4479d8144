package security

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"time"
)

// digestResult is what checking a Digest Authorization header found.
type digestResult int

const (
	digestOK        digestResult = iota
	digestMalformed              // unusable: syntax, realm, qop, algorithm, uri, opaque
	digestUnknown                // a nonce this Guard did not mint (e.g. before a restart)
	digestStale                  // right credentials, expired nonce: RFC 7616 stale=true
	digestReplayed               // right credentials, nonce count already used
	digestWrong                  // wrong user name or password: a failed authentication
)

var digestResultNames = [...]string{
	digestOK:        "ok",
	digestMalformed: "malformed",
	digestUnknown:   "unknown nonce",
	digestStale:     "stale nonce",
	digestReplayed:  "replayed nonce count",
	digestWrong:     "wrong credentials",
}

func (d digestResult) String() string { return digestResultNames[d] }

// digestChallenge returns the WWW-Authenticate value offering algorithm
// with nonce (RFC 7616 §3.3).
func (g *Guard) digestChallenge(algorithm, nonce string, stale bool) string {
	var b strings.Builder
	b.WriteString(`Digest realm="`)
	b.WriteString(g.r().cfg.Realm)
	b.WriteString(`", qop="auth", algorithm=`)
	b.WriteString(algorithm)
	b.WriteString(`, nonce="`)
	b.WriteString(nonce)
	b.WriteString(`", opaque="`)
	b.WriteString(g.opaque)
	b.WriteString(`"`)
	if stale {
		b.WriteString(", stale=true")
	}
	return b.String()
}

// checkDigest checks the parameters of a Digest Authorization header
// against cred for request r (RFC 7616 §3.4.1, qop=auth). It records the
// nonce count only when the credentials are right.
func (g *Guard) checkDigest(r *http.Request, p map[string]string, cred credential, now time.Time) digestResult {
	algorithm, ok := g.offeredAlgorithm(p["algorithm"])
	if !ok || p["realm"] != g.r().cfg.Realm || !strings.EqualFold(p["qop"], "auth") ||
		p["cnonce"] == "" || p["username"] == "" || p["response"] == "" ||
		strings.EqualFold(p["userhash"], "true") || !uriMatches(p["uri"], r.RequestURI) {
		return digestMalformed
	}
	if opaque, sent := p["opaque"]; sent && opaque != g.opaque {
		return digestMalformed
	}
	nc, ok := parseNC(p["nc"])
	if !ok {
		return digestMalformed
	}
	state, issued := g.nonces.check(p["nonce"], now)
	if state == nonceUnknown {
		return digestUnknown
	}
	want := digestResponse(algorithm, digestInput{
		user: cred.user, realm: g.r().cfg.Realm, password: cred.password,
		method: r.Method, uri: p["uri"],
		nonce: p["nonce"], nc: p["nc"], cnonce: p["cnonce"], qop: p["qop"],
	})
	userOK := equalSecret(p["username"], cred.user)
	respOK := subtle.ConstantTimeCompare([]byte(strings.ToLower(p["response"])), []byte(want)) == 1
	if !userOK || !respOK {
		return digestWrong
	}
	if state == nonceStale {
		return digestStale
	}
	switch g.nonces.accept(p["nonce"], issued, nc, now) {
	case countReplayed:
		return digestReplayed
	case countForgotten:
		return digestStale
	}
	return digestOK
}

// digestInput is what a digest response is computed from.
type digestInput struct {
	user, realm, password string
	method, uri           string
	nonce, nc, cnonce     string
	qop                   string
}

// digestResponse is the response a client that knows the password sends
// (RFC 7616 §3.4.1, qop=auth, algorithm without -sess): H(H(A1):nonce:nc:
// cnonce:qop:H(A2)) in lower-case hex, A1 = user:realm:password, A2 =
// method:uri.
func digestResponse(algorithm string, in digestInput) string {
	h := newDigestHash(algorithm)
	ha1 := hexHash(h, in.user, ":", in.realm, ":", in.password)
	ha2 := hexHash(h, in.method, ":", in.uri)
	return hexHash(h, ha1, ":", in.nonce, ":", in.nc, ":", in.cnonce, ":", in.qop, ":", ha2)
}

// offeredAlgorithm returns the canonical name of a client's algorithm
// parameter (MD5 when absent, RFC 7616 §3.3) if it is one offered.
func (g *Guard) offeredAlgorithm(a string) (string, bool) {
	if a == "" {
		a = AlgorithmMD5
	}
	for _, o := range g.r().cfg.DigestAlgorithms {
		if strings.EqualFold(a, o) {
			return o, true
		}
	}
	return "", false
}

// uriMatches reports whether a digest-uri names the request target: the
// same bytes, or the same path when a client leaves the query out.
func uriMatches(digestURI, target string) bool {
	if digestURI == target {
		return true
	}
	path, _, hasQuery := strings.Cut(target, "?")
	return hasQuery && digestURI == path
}

func newDigestHash(algorithm string) hash.Hash {
	if algorithm == AlgorithmSHA256 {
		return sha256.New()
	}
	return md5.New()
}

// hexHash is the lower-case hex digest of the concatenated parts.
func hexHash(h hash.Hash, parts ...string) string {
	h.Reset()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// equalSecret compares two strings in constant time, lengths included.
func equalSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
