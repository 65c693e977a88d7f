package transport

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Which requests carry the token.
//
// The auth layer sits under the http.Client that follows redirects, so every request net/http
// makes to follow a 301/302/303/307/308 passes through it again. net/http drops a sensitive
// header on a redirect to another host only when the caller set it on the request, not when a
// RoundTripper adds it, so this layer decides by itself, for each request, whether the token may
// go with it (tokenPolicy.allows):
//
//   - With Options.TokenHosts set (the driver sets the host of base_url, or api.github.com), the
//     token goes only to a request whose URL names one of those hosts, and never with a request
//     made to follow a redirect from https:// down to http://.
//   - With TokenHosts empty, the token goes with each request the caller sends to the host that
//     request names, and never with a request net/http makes to follow a redirect to another
//     host (or from https:// to http://) — the rule net/http applies to headers the caller sets.
//     No host is ever learned from earlier traffic.
//
// A request the token may not go with is sent without it (anonymously), as net/http itself sends a
// cross-host redirect. SameHostRedirects is the matching http.Client.CheckRedirect, a second line
// that refuses such redirects outright.

// tokenPolicy decides whether a request may carry the token.
type tokenPolicy struct {
	hosts []string // Options.TokenHosts; empty: the request's own chain decides
}

// allows reports whether r may carry the token.
func (p tokenPolicy) allows(r *http.Request) bool {
	if r.URL == nil {
		return false
	}
	first := firstOfChain(r)
	if r != first && first.URL != nil && downgrades(first.URL, r.URL) {
		return false
	}
	if len(p.hosts) > 0 {
		return hostListed(p.hosts, r.URL)
	}
	if r == first {
		return true
	}
	return first.URL != nil && sameHost(first.URL, r.URL)
}

// firstOfChain returns the request the caller sent that led, through redirects, to r (r itself
// when net/http did not make r to follow a redirect). net/http sets Request.Response on every
// request it makes to follow one, and Response.Request is the request redirected.
func firstOfChain(r *http.Request) *http.Request {
	for i := 0; r.Response != nil && r.Response.Request != nil && i < 100; i++ {
		r = r.Response.Request
	}
	return r
}

// downgrades reports whether going from one URL to the other drops TLS.
func downgrades(from, to *url.URL) bool {
	return strings.EqualFold(from.Scheme, "https") && !strings.EqualFold(to.Scheme, "https")
}

// defaultPort is the port a URL of scheme means when it names none.
func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// hostPort is u's host name, lower-cased, and its port (the scheme's default when u names none).
func hostPort(u *url.URL) (string, string) {
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	return strings.ToLower(u.Hostname()), port
}

// sameHost reports whether a and b name the same host and port.
func sameHost(a, b *url.URL) bool {
	ah, ap := hostPort(a)
	bh, bp := hostPort(b)
	return ah == bh && ap == bp
}

// hostListed reports whether u names one of hosts ("host" or "host:port" as in a URL's Host; a
// host without a port stands for the default port of u's scheme).
func hostListed(hosts []string, u *url.URL) bool {
	for _, h := range hosts {
		if sameHost(&url.URL{Scheme: u.Scheme, Host: h}, u) {
			return true
		}
	}
	return false
}

// SameHostRedirects returns an http.Client CheckRedirect that follows a redirect only to one of
// hosts (as Options.TokenHosts names them) and never from https:// down to http://; it refuses any
// other with an error naming the host it would have gone to (never the full URL), so that a
// misbehaving or hostile server cannot send ghstore's requests elsewhere. It stops after 10
// redirects, as net/http's default does. With hosts empty it follows a redirect only to the host
// of the request the caller sent.
func SameHostRedirects(hosts []string) func(req *http.Request, via []*http.Request) error {
	hosts = append([]string(nil), hosts...)
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return fmt.Errorf("transport: stopped after 10 redirects")
		}
		first := via[0]
		ok := !downgrades(first.URL, req.URL)
		if ok && len(hosts) > 0 {
			ok = hostListed(hosts, req.URL)
		} else if ok {
			ok = sameHost(first.URL, req.URL)
		}
		if !ok {
			return fmt.Errorf("transport: refusing to follow a redirect to %s://%s: requests (and the token) go only to the API's own host",
				strings.ToLower(req.URL.Scheme), req.URL.Host)
		}
		return nil
	}
}

// authenticator is the auth layer: it adds the token source's Authorization header (GitHub
// accepts "Bearer X") to each request the policy allows, on a clone, leaving the caller's request
// untouched.
type authenticator struct {
	next   http.RoundTripper
	token  oauth2.TokenSource
	policy tokenPolicy
}

func (a *authenticator) RoundTrip(r *http.Request) (*http.Response, error) {
	if !a.policy.allows(r) {
		return a.next.RoundTrip(r)
	}
	t, err := a.token.Token()
	if err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	out := r.Clone(r.Context())
	t.SetAuthHeader(out)
	return a.next.RoundTrip(out)
}

// authenticate wraps next so that the requests policy allows carry the token; with no source,
// requests go out as they are.
func authenticate(next http.RoundTripper, token oauth2.TokenSource, policy tokenPolicy) http.RoundTripper {
	if token == nil {
		return next
	}
	return &authenticator{next: next, token: token, policy: policy}
}

// identityFunc names who a request is sent as, for the ETag cache's key. It returns a hash,
// never the credential itself.
type identityFunc func(r *http.Request) (string, error)

// identityOf returns the identity of requests sent with token where policy allows it (or, when
// token is nil, with whatever Authorization header the caller put on the request). A request the
// token does not go with is anonymous.
func identityOf(token oauth2.TokenSource, policy tokenPolicy) identityFunc {
	return func(r *http.Request) (string, error) {
		if token == nil {
			return hashCredential(r.Header.Get("Authorization")), nil
		}
		if !policy.allows(r) {
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
