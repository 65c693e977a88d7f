package store

import (
	"encoding/json"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/transport"
)

// TestNewFromHTTPClient: a Store built from an *http.Client and a base URL (no trailing slash, as
// people write it) works as one built from a go-github client.
func TestNewFromHTTPClient(t *testing.T) {
	e := newEnv(t)
	hc := &http.Client{Transport: transport.New(transport.Options{
		Base:  e.srv.Transport(),
		Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tokenOf("acme")}),
	})}
	s, err := New(Options{Owner: "acme", Repo: "data", HTTPClient: hc, BaseURL: "http://localgh.test/api/v3"})
	check(t, err)
	_, err = s.Create(e.ctx, "h", json.RawMessage(`{"via":"http.Client"}`))
	check(t, err)
	got, err := e.store("carol").Get(e.ctx, "h")
	check(t, err)
	if string(got.Data) != `{"via":"http.Client"}` {
		t.Fatalf("read %s", got.Data)
	}
}

func TestNewClientNeedsAnAbsoluteURL(t *testing.T) {
	for _, u := range []string{"localhost:8080", "/api/v3", "http://"} {
		if _, err := NewClient(http.DefaultClient, u); err == nil {
			t.Errorf("NewClient(%q) made a client", u)
		}
	}
	gh, err := NewClient(http.DefaultClient, "")
	if err != nil || gh.BaseURL.String() != DefaultBaseURL {
		t.Fatalf("default: %v %v", gh, err)
	}
	if _, err := New(Options{Owner: "o", Repo: "r"}); err == nil {
		t.Error("New without a client succeeded")
	}
}
