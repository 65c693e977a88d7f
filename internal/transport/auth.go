package transport

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"golang.org/x/oauth2"
)

// authenticate wraps next so that requests carry the token source's Authorization header
// (GitHub accepts "Bearer X"); with no source, requests go out as they are.
func authenticate(next http.RoundTripper, token oauth2.TokenSource) http.RoundTripper {
	if token == nil {
		return next
	}
	return &oauth2.Transport{Source: token, Base: next}
}

// identityFunc names who a request is sent as, for the ETag cache's key. It returns a hash,
// never the credential itself.
type identityFunc func(r *http.Request) (string, error)

// identityOf returns the identity of requests sent with token (or, when token is nil, with
// whatever Authorization header the caller put on the request).
func identityOf(token oauth2.TokenSource) identityFunc {
	return func(r *http.Request) (string, error) {
		if token == nil {
			return hashCredential(r.Header.Get("Authorization")), nil
		}
		t, err := token.Token()
		if err != nil {
			return "", err
		}
		return hashCredential(t.Type() + " " + t.AccessToken), nil
	}
}

// hashCredential turns an Authorization value into a cache identity; "" is anonymous.
func hashCredential(authorization string) string {
	if authorization == "" {
		return "anonymous"
	}
	sum := sha256.Sum256([]byte(authorization))
	return hex.EncodeToString(sum[:16])
}
