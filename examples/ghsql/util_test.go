package main

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/ghstore/ghstore/internal/localgh"
)

func mustParseURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// servedRepo serves a fresh localgh holding acme/<repo> (owner acme, token tok-acme, no rate
// limits) over loopback, and returns the server and its base URL (without a trailing slash).
func servedRepo(t *testing.T, repo string) (*localgh.Server, string) {
	t.Helper()
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.AddUser("acme", "tok-acme"); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateRepo("acme", repo, false); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

// unpacedDSN is acme/data on a served localgh at base, with the token, no retries and no
// client-side pacing or lag bound (the server has neither limits nor lag).
func unpacedDSN(base string) string {
	return "acme/data?base_url=" + base + "/&token=tok-acme&max_retries=0&writes_per_minute=0&writes_per_hour=0&write_interval=0&read_lag=0"
}
