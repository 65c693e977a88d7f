package transport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
	"golang.org/x/oauth2"
)

// TestServerTextIsScrubbed: a server that echoes the Authorization header in its error
// answers (body and headers) cannot make the token reach an error, nor can a token pasted into
// the owner/repo of a request's URL, nor one in the base URL's path.
func TestServerTextIsScrubbed(t *testing.T) {
	const secret = "ghp_s3cr3t-t0ken-value"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"no such thing for `+r.Header.Get("Authorization")+` at `+r.URL.Path+`","documentation_url":"x"}`)
	}))
	defer echo.Close()
	rt := New(Options{Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secret}), NoCache: true, MaxRetries: -1})
	for _, base := range []string{echo.URL + "/", echo.URL + "/" + secret + "/"} {
		c := github.NewClient(&http.Client{Transport: rt})
		c.BaseURL = mustURL(t, base)
		_, _, err := c.Issues.Get(context.Background(), "acme", secret, 1)
		if err == nil {
			t.Fatal("no error from a 404")
		}
		msg := err.Error()
		if er, ok := err.(*github.ErrorResponse); ok {
			msg += er.Response.Header.Get("X-Echo") + er.Response.Request.URL.String()
		}
		if strings.Contains(msg, secret) {
			t.Fatalf("the token reached the error: %s", msg)
		}
		if !strings.Contains(msg, "[REDACTED]") {
			t.Fatalf("nothing was scrubbed: %s", msg)
		}
	}
	if got := rt.Scrub("acme/" + secret); got != "acme/[REDACTED]" {
		t.Fatalf("Scrub: %q", got)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
