package localgh

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 12, 1, 13, 7, 8, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a server with acme (owner of acme/data), carol (collaborator) and mallory (stranger).
type fixture struct {
	t     *testing.T
	srv   *Server
	clock *fakeClock
	// base is the httptest URL when served over a socket, "" in-process.
	base string
	mode string
}

const (
	tokAcme    = "t1"
	tokCarol   = "t2"
	tokMallory = "t3"
)

func newFixture(t *testing.T, mode string, opts Options) *fixture {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	srv, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.AddUser("carol", tokCarol))
	must(t, srv.AddUser("mallory", tokMallory))
	must(t, srv.CreateRepo("acme", "data", false))
	must(t, srv.SetRole("acme", "data", "carol", Collaborator))
	f := &fixture{t: t, srv: srv, clock: clock, mode: mode}
	if mode == "socket" || mode == "enterprise" {
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		f.base = hs.URL
	}
	return f
}

// modes are the ways a test reaches the server.
var modes = []string{"inprocess", "socket", "enterprise"}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// tokenTransport adds `Authorization: token X`.
type tokenTransport struct {
	token string
	base  http.RoundTripper
}

func (tt *tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if tt.token != "" {
		r.Header.Set("Authorization", "token "+tt.token)
	}
	return tt.base.RoundTrip(r)
}

// client is a go-github client acting with token ("" anonymous).
func (f *fixture) client(token string) *github.Client {
	f.t.Helper()
	var base http.RoundTripper = http.DefaultTransport
	if f.base == "" {
		base = f.srv.Transport()
	}
	hc := &http.Client{Transport: &tokenTransport{token: token, base: base}}
	c := github.NewClient(hc)
	switch f.mode {
	case "inprocess":
		c.BaseURL, _ = url.Parse("https://api.github.com/")
	case "socket":
		c.BaseURL, _ = url.Parse(f.base + "/")
	case "enterprise":
		var err error
		c, err = c.WithEnterpriseURLs(f.base, f.base)
		must(f.t, err)
	}
	return c
}

// raw sends one request through the server the fixture uses and returns the answer.
func (f *fixture) raw(method, path, token string, header http.Header, body string) *http.Response {
	f.t.Helper()
	var base http.RoundTripper = http.DefaultTransport
	u := f.base + path
	if f.base == "" {
		base = f.srv.Transport()
		u = "https://api.github.com" + path
	}
	if f.mode == "enterprise" {
		u = f.base + "/api/v3" + path
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, nil)
	must(f.t, err)
	if body != "" {
		req, err = http.NewRequestWithContext(context.Background(), method, u, stringsReader(body))
		must(f.t, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "token "+token)
	}
	resp, err := (&http.Client{Transport: base}).Do(req)
	must(f.t, err)
	return resp
}

var ctx = context.Background()
