package store

import (
	"encoding/json"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/transport"
)

// TestNewFromHTTPClient: a Store built from an *http.Client and a base URL with no trailing slash,
// as people write it, works.
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

// TestNewChecksItsOptions: New refuses options it cannot send a request with, before any request.
func TestNewChecksItsOptions(t *testing.T) {
	for _, o := range []Options{
		{Owner: "o", Repo: "r"}, // no HTTPClient
		{Owner: "o", Repo: "r", HTTPClient: http.DefaultClient, BaseURL: "localhost:8080"},
		{Owner: "o", Repo: "r", HTTPClient: http.DefaultClient, BaseURL: "/api/v3"},
		{Owner: "o", Repo: "r", HTTPClient: http.DefaultClient, BaseURL: "http://"},
		{Owner: "", Repo: "r", HTTPClient: http.DefaultClient},
		{Owner: "o", Repo: "a/b", HTTPClient: http.DefaultClient},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) made a Store", o)
		}
	}
	s, err := newImpl(Options{Owner: "o", Repo: "r", HTTPClient: http.DefaultClient})
	if err != nil || s.gh.server() != DefaultBaseURL {
		t.Fatalf("default base URL: %v %v", s, err)
	}
}
