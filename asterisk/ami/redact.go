package ami

import "strings"

// redacted replaces secret values in logs and String output.
const redacted = "[redacted]"

// isSecretKey reports whether a field carries a credential: the Login
// Secret and Key (md5 of challenge and secret), and the password fields of
// PJSIP objects (AuthDetail and AuthList carry Password in plain text,
// Md5Cred and PasswordDigest are password-equivalent hashes, OauthSecret and
// RefreshToken are OAuth credentials, TransportDetail Password unlocks a
// TLS key). chan_sip never sends secrets, only *SecretExist flags.
func isSecretKey(key string) bool {
	switch strings.ToLower(key) {
	case "secret", "key", "password", "md5cred", "passworddigest",
		"oauthsecret", "refreshtoken", "remotesecret", "md5secret":
		return true
	}
	return false
}

// redactedValue returns value, or the redaction marker when key names a
// secret and the value is not empty.
func redactedValue(key, value string) string {
	if value != "" && isSecretKey(key) {
		return redacted
	}
	return value
}
