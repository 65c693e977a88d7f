package transport

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// redirectingBase answers in memory: /redirect/CODE?to=URL redirects there with CODE; anything
// else answers 200 {}. It remembers every request (headers as sent).
func redirectingBase() *handlerBase {
	return &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if code, ok := strings.CutPrefix(r.URL.Path, "/redirect/"); ok {
			n, _ := strconv.Atoi(code)
			http.Redirect(w, r, r.URL.Query().Get("to"), n)
			return
		}
		w.Write([]byte(`{}`))
	})}
}

// followVia sends method to from (which redirects to to with code) through an http.Client on tr
// that follows redirects (with checkRedirect, when not nil), and returns the error.
func followVia(t *testing.T, tr http.RoundTripper, checkRedirect func(*http.Request, []*http.Request) error, method, from string, code int, to string) error {
	t.Helper()
	client := &http.Client{Transport: tr, CheckRedirect: checkRedirect}
	u := from + "/redirect/" + strconv.Itoa(code) + "?to=" + url.QueryEscape(to)
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader(`{"x":1}`)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return err
}

// authByHost maps each host the base saw to the Authorization values it was sent.
func authByHost(b *handlerBase) map[string][]string {
	m := map[string][]string{}
	for _, r := range b.requests() {
		m[r.URL.Scheme+"://"+r.URL.Host] = append(m[r.URL.Scheme+"://"+r.URL.Host], r.Header.Get("Authorization"))
	}
	return m
}

var redirectCodes = []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}

// TestTokenNeverFollowsARedirectToAnotherHost: whatever the method and redirect code, with or
// without TokenHosts, a redirect to another host (name or port) or from https:// to http://
// reaches it without the token, while the API's own host gets it.
func TestTokenNeverFollowsARedirectToAnotherHost(t *testing.T) {
	const api = "https://api.github.test"
	for _, hosts := range [][]string{nil, {"api.github.test"}, {"API.github.test:443"}} {
		for _, target := range []string{
			"https://evil.test/x",            // another host name
			"https://api.github.test:8443/x", // another port
			"https://api.github.test.evil.test/x",
			"http://api.github.test/x", // TLS dropped
		} {
			for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPatch} {
				for _, code := range redirectCodes {
					b := redirectingBase()
					tr := New(Options{Base: b, Token: tokenSource(secretToken), TokenHosts: hosts, Clock: fakeClock(), MaxRetries: -1})
					if err := followVia(t, tr, nil, method, api, code, target); err != nil {
						t.Fatalf("%s %d → %s: %v", method, code, target, err)
					}
					seen := authByHost(b)
					if got := seen[api]; len(got) != 1 || got[0] != "Bearer "+secretToken {
						t.Errorf("hosts %q, %s %d: the API host was sent %q, want the token once", hosts, method, code, got)
					}
					u, _ := url.Parse(target)
					got := seen[u.Scheme+"://"+u.Host]
					if len(got) != 1 {
						t.Fatalf("hosts %q, %s %d → %s: the redirect was not followed (%v)", hosts, method, code, target, seen)
					}
					if got[0] != "" {
						t.Errorf("hosts %q, %s %d → %s: the other host was sent Authorization %q", hosts, method, code, target, got[0])
					}
				}
			}
		}
	}
}

// TestTokenFollowsARedirectWithinItsHost: a redirect to another path of the same host (GitHub
// answers a renamed repository so) keeps the token, so the request still works.
func TestTokenFollowsARedirectWithinItsHost(t *testing.T) {
	for _, hosts := range [][]string{nil, {"api.github.test"}} {
		for _, code := range redirectCodes {
			b := redirectingBase()
			tr := New(Options{Base: b, Token: tokenSource(secretToken), TokenHosts: hosts, Clock: fakeClock()})
			if err := followVia(t, tr, SameHostRedirects(hosts), http.MethodGet, "https://api.github.test", code, "https://api.github.test:443/repositories/1"); err != nil {
				t.Fatal(err)
			}
			reqs := b.requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			for _, r := range reqs {
				if r.Header.Get("Authorization") != "Bearer "+secretToken {
					t.Errorf("hosts %q, %d: %s was sent Authorization %q, want the token", hosts, code, r.URL, r.Header.Get("Authorization"))
				}
			}
		}
	}
}

// TestTokenHostsPinsTheToken: with TokenHosts set, a request the caller itself sends to another
// host goes without the token, and the ETag cache keys it as anonymous.
func TestTokenHostsPinsTheToken(t *testing.T) {
	b := redirectingBase()
	tr := New(Options{Base: b, Token: tokenSource(secretToken), TokenHosts: []string{"127.0.0.1:8080"}, Clock: fakeClock()})
	for _, u := range []string{"http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a", "http://localhost:8080/a", "http://127.0.0.1/a"} {
		if _, _, err := get(t, tr, context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	seen := authByHost(b)
	if got := seen["http://127.0.0.1:8080"]; len(got) != 1 || got[0] != "Bearer "+secretToken {
		t.Errorf("the listed host was sent %q, want the token", got)
	}
	for _, h := range []string{"http://127.0.0.1:8081", "http://localhost:8080", "http://127.0.0.1"} {
		if got := seen[h]; len(got) != 1 || got[0] != "" {
			t.Errorf("%s, not listed, was sent %q, want no Authorization", h, got)
		}
	}
	policy := tokenPolicy{hosts: []string{"127.0.0.1:8080"}}
	listed, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8080/a", nil)
	other, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8081/a", nil)
	if who, _ := identityOf(tokenSource(secretToken), policy)(other); who != "anonymous" {
		t.Errorf("a request sent without the token is cached as %q, want anonymous", who)
	}
	if who, _ := identityOf(tokenSource(secretToken), policy)(listed); who == "anonymous" {
		t.Errorf("a request sent with the token is cached as anonymous")
	}
}

// TestSameHostRedirectsRefusesOtherHosts: as a CheckRedirect, it stops a redirect to another
// host or down to http:// before anything is sent there, with an error that names the host.
func TestSameHostRedirectsRefusesOtherHosts(t *testing.T) {
	for _, hosts := range [][]string{nil, {"api.github.test"}} {
		for _, target := range []string{"https://evil.test/x?secret=1", "https://api.github.test:8443/x", "http://api.github.test/x"} {
			b := redirectingBase()
			tr := New(Options{Base: b, Token: tokenSource(secretToken), TokenHosts: hosts, Clock: fakeClock(), MaxRetries: -1})
			err := followVia(t, tr, SameHostRedirects(hosts), http.MethodPost, "https://api.github.test", http.StatusTemporaryRedirect, target)
			if err == nil || !strings.Contains(err.Error(), "refusing to follow a redirect") {
				t.Fatalf("hosts %q → %s: err %v, want the redirect refused", hosts, target, err)
			}
			if n := len(b.requests()); n != 1 {
				t.Errorf("hosts %q → %s: %d requests sent, want only the first", hosts, target, n)
			}
			u, _ := url.Parse(target)
			if !strings.Contains(err.Error(), u.Host) {
				t.Errorf("error %q does not name the host %s", err, u.Host)
			}
		}
	}
}
