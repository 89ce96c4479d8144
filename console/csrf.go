package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
)

// Cross-site request forgery is refused twice over. A browser says where
// a request comes from (Sec-Fetch-Site, Origin): net/http's
// CrossOriginProtection refuses a state-changing request from another
// origin — another port of the same host included. And every form
// carries a token bound to the browser's session cookie, which a page of
// another origin can neither read nor guess.

// sessionCookie names the cookie that holds a browser's session id.
const sessionCookie = "phoneprovd_console"

// tokenField is the form field that carries the token.
const tokenField = "csrf"

// csrf makes and checks the tokens of one console: a token is the HMAC
// of the session id under a key that lives as long as the process.
type csrf struct {
	key    [32]byte
	origin *http.CrossOriginProtection
}

func newCSRF() *csrf {
	c := &csrf{origin: http.NewCrossOriginProtection()}
	rand.Read(c.key[:])
	return c
}

// session returns the request's session id, setting a new cookie on w
// when the request has none (or one that was not made here).
func (c *csrf) session(w http.ResponseWriter, r *http.Request) string {
	if id := sessionID(r); id != "" {
		return id
	}
	var raw [18]byte
	rand.Read(raw[:])
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    id,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	return id
}

// sessionID is the session id of the request's cookie, "" without one.
func sessionID(r *http.Request) string {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || len(ck.Value) != 24 {
		return ""
	}
	if _, err := base64.RawURLEncoding.DecodeString(ck.Value); err != nil {
		return ""
	}
	return ck.Value
}

// token returns the form token of session id.
func (c *csrf) token(id string) string {
	m := hmac.New(sha256.New, c.key[:])
	m.Write([]byte("console form token\x00"))
	m.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Errors of check, shown to whoever posted.
var (
	errCrossOrigin = errors.New("cross-origin request refused: this form must be sent from the console's own pages")
	errNoSession   = errors.New("no console session: open the page again and retry")
	errBadToken    = errors.New("the form's token does not match this session (was phoneprovd restarted?): open the page again and retry")
)

// check refuses a state-changing request that does not come from the
// console's own page in the same browser session. The form must be
// parsed (r.ParseForm) first.
func (c *csrf) check(r *http.Request) error {
	if err := c.origin.Check(r); err != nil {
		return errCrossOrigin
	}
	id := sessionID(r)
	if id == "" {
		return errNoSession
	}
	want := c.token(id)
	if !hmac.Equal([]byte(r.PostFormValue(tokenField)), []byte(want)) {
		return errBadToken
	}
	return nil
}
