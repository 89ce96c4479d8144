package ari

import (
	"net/url"
	"strings"
)

// redacted replaces secret values in logs and String output.
const redacted = "[redacted]"

// isSecretAttribute reports whether a dynamic configuration attribute
// carries a credential: an auth's password, md5_cred (the MD5 of
// user:realm:password, password-equivalent for digest), password_digest,
// oauth_secret and refresh_token, and a transport's password (it unlocks
// the TLS private key).
func isSecretAttribute(name string) bool {
	switch strings.ToLower(name) {
	case "password", "md5_cred", "password_digest", "oauth_secret", "refresh_token":
		return true
	}
	return false
}

// redactedValue returns value, or the redaction marker when name is a
// secret attribute and the value is not empty.
func redactedValue(name, value string) string {
	if value != "" && isSecretAttribute(name) {
		return redacted
	}
	return value
}

// redactFields returns a copy of fields with the secret values redacted.
func redactFields(fields map[string]string) map[string]string {
	if fields == nil {
		return nil
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = redactedValue(k, v)
	}
	return out
}

// redactURL removes user information from a URL for logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	return u.String()
}
