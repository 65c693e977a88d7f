package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

const secretToken = "ghp_SECRETsecretSECRET1234567890"

func TestAuthHeaderSent(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	tr := New(Options{Base: srv.Client().Transport, Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken}), Clock: fakeClock()})
	if _, _, err := get(t, tr, context.Background(), srv.URL+"/user"); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer "+secretToken {
		t.Fatalf("Authorization = %q, want the bearer token", got)
	}
}

func TestAnonymousSendsNoAuthorization(t *testing.T) {
	b := &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})}
	tr := New(Options{Base: b, Clock: fakeClock()})
	if _, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x"); err != nil {
		t.Fatal(err)
	}
	if h := b.requests()[0].Header.Get("Authorization"); h != "" {
		t.Fatalf("anonymous request carried Authorization %q", h)
	}
}

func TestConnectionErrorDoesNotLeakToken(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	tr := New(Options{Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken}), Clock: fakeClock(), Jitter: noJitter, MaxRetries: 2})
	client := &http.Client{Transport: tr}
	req, _ := http.NewRequest(http.MethodGet, url+"/repos/o/r", nil)
	_, err := client.Do(req)
	if err == nil {
		t.Fatal("request to a closed server succeeded")
	}
	if strings.Contains(err.Error(), secretToken) || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("error shows the token: %v", err)
	}
	if s := tr.Stats(); s.Requests != 3 || s.Retried != 2 {
		t.Fatalf("stats = %+v, want 3 requests, 2 retried", s)
	}
}

func TestErrorsNeverShowTheToken(t *testing.T) {
	// A base whose error repeats what it was sent (a badly behaved proxy, say).
	base := funcBase(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("proxy refused request with " + r.Header.Get("Authorization"))
	})
	tr := New(Options{Base: base, Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken}), Clock: fakeClock(), MaxRetries: -1})
	_, _, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	if err == nil || strings.Contains(err.Error(), secretToken) {
		t.Fatalf("error = %v, want one without the token", err)
	}
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("error = %v, want the token marked redacted", err)
	}
	if errors.Unwrap(err) != nil {
		t.Fatalf("a redacted error unwraps to its cause, which shows the token")
	}

	// Context errors stay recognisable through redaction.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	base = funcBase(func(r *http.Request) (*http.Response, error) {
		return nil, errors.Join(context.Canceled, errors.New(r.Header.Get("Authorization")))
	})
	tr = New(Options{Base: base, Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken}), Clock: fakeClock()})
	_, _, err = get(t, tr, ctx, "https://api.github.invalid/x")
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), secretToken) {
		t.Fatalf("error = %v, want context.Canceled without the token", err)
	}
}

func TestRateLimitErrorHasNoToken(t *testing.T) {
	e := &RateLimitError{Secondary: true, Reset: epoch, Status: 403}
	if strings.Contains(e.Error(), secretToken) || !strings.Contains(e.Error(), "secondary") {
		t.Fatalf("Error() = %q", e.Error())
	}
}
