package store

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/internal/transport"
)

// env is a localgh server with acme (owner of acme/data), carol (collaborator) and mallory
// (stranger), reached through go-github v66 over ghstore's transport, in-process.
type env struct {
	t   *testing.T
	srv *localgh.Server
	ctx context.Context
}

// tokens are the users' tokens (read only).
func tokenOf(login string) string { return login + "-token" }

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, nil)
}

// newEnvAt is newEnv on a server whose clock is now (nil: the wall clock).
func newEnvAt(t *testing.T, now func() time.Time) *env {
	t.Helper()
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, login := range []string{"acme", "carol", "mallory"} {
		check(t, srv.AddUser(login, tokenOf(login)))
	}
	check(t, srv.CreateRepo("acme", "data", false))
	check(t, srv.SetRole("acme", "data", "carol", localgh.Collaborator))
	return &env{t: t, srv: srv, ctx: context.Background()}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is a go-github client of login, with its own transport (and ETag cache).
func (e *env) client(login string) *github.Client { return e.clientWithToken(tokenOf(login)) }

func (e *env) clientWithToken(token string) *github.Client {
	return e.clientVia(token, e.srv.Transport())
}

// clientVia is a client with token whose requests go through base (which ends at e.srv).
func (e *env) clientVia(token string, base http.RoundTripper) *github.Client {
	gh := github.NewClient(httpVia(token, base))
	gh.BaseURL, _ = url.Parse(testBaseURL)
	return gh
}

// testBaseURL is the API's URL in the tests (localgh's transport answers any host).
const testBaseURL = "http://localgh.test/"

// httpVia is an http.Client with token, with its own transport (and ETag cache), whose requests
// go through base (which ends at e.srv): what a Store is given (Options.HTTPClient).
func httpVia(token string, base http.RoundTripper) *http.Client {
	return &http.Client{Transport: transport.New(transport.Options{
		Base:  base,
		Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}),
		Clock: clock.NewFake(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)),
	})}
}

// via is the Options of a Store with token whose requests go through base, with opts' other fields.
func (e *env) via(token string, base http.RoundTripper, opts Options) Options {
	opts.HTTPClient, opts.BaseURL = httpVia(token, base), testBaseURL
	return opts
}

// labelNames are the names of a go-github issue's labels (the tests read issues with go-github).
func labelNames(iss *github.Issue) []string {
	out := make([]string, 0, len(iss.Labels))
	for _, l := range iss.Labels {
		out = append(out, l.GetName())
	}
	return out
}

// commentsOf are go-github comments as the store reads them.
func commentsOf(cs []*github.IssueComment) []ghComment {
	out := make([]ghComment, len(cs))
	for i, c := range cs {
		out[i] = *commentFromGoGitHub(c)
	}
	return out
}

// store is a Store of login; opts may set more (Owner, Repo, HTTPClient and BaseURL are filled in).
func (e *env) store(login string, opts ...Options) *Store {
	e.t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Owner, o.Repo = "acme", "data"
	o = e.via(tokenOf(login), e.srv.Transport(), o)
	s, err := New(o)
	check(e.t, err)
	return s
}

// cost is what the server logged since the last reset.
type cost struct{ requests, counted, creating, conditional int }

func (e *env) cost() cost {
	var c cost
	for _, r := range e.srv.Requests() {
		c.requests++
		if r.Counted {
			c.counted++
		}
		if r.Creating {
			c.creating++
		}
		if r.Conditional {
			c.conditional++
		}
	}
	return c
}

// measure runs op after resetting the request log and returns what it cost.
func (e *env) measure(op func()) cost {
	e.srv.ResetRequests()
	op()
	return e.cost()
}

func (e *env) requestLog() string {
	var s string
	for _, r := range e.srv.Requests() {
		s += r.Method + " " + r.Path + "?" + r.Query + " " + http.StatusText(r.Status) + "\n"
	}
	return s
}

// testTime stamps envelopes the tests write by hand.
var testTime = time.Date(2026, 12, 1, 13, 7, 8, 0, time.UTC)
