package reliability

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// The repository every test works on, and its users. secretToken is the owner's token: tests that
// scan output look for it (and for secretMarker, a piece of it).
const (
	repoOwner    = "acme"
	repoName     = "data"
	secretToken  = "ghp_SECRETSECRET1234"
	secretMarker = "SECRETSECRET"
	carolToken   = "ghp_carolCAROL5678" // a collaborator
	malloryToken = "ghp_malloryEVIL999" // a stranger on the public repository
	auditorToken = "ghp_auditorAUDIT42" // reads for the oracle; never faulted
)

// loginOf names the user of each token.
var loginOf = map[string]string{
	secretToken:  "acme",
	carolToken:   "carol",
	malloryToken: "mallory",
	auditorToken: "auditor",
}

// world is one localgh server holding acme/data (public), its users, a fake clock that the server,
// the transports and the stores share, and a fault injector.
type world struct {
	t      testing.TB
	srv    *localgh.Server
	clock  *clock.Fake
	faults *injector
	ctx    context.Context
	lag    time.Duration // the server's read lag (0: none), which the stores know as ReadLag
}

// settle lets the server's read lag pass on the fake clock, so that every reader (the oracle
// too, which knows nothing of what anyone wrote) sees every write.
func (w *world) settle() {
	if w.lag > 0 {
		_ = w.clock.Sleep(w.ctx, w.lag)
	}
}

// worldStart is where fake time begins.
var worldStart = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// newWorld opens a server without rate limits (tests that want limits inject them as faults).
func newWorld(t testing.TB) *world {
	t.Helper()
	return newWorldAt(t, worldStart)
}

// newWorldAt is newWorld with fake time starting at start.
func newWorldAt(t testing.TB, start time.Time) *world {
	t.Helper()
	return newWorldWith(t, start, 0)
}

// newLaggingWorld is newWorld on a server whose reads lag its writes by lag of fake time
// (localgh.Realism.Lag); its stores know the bound (store.Options.ReadLag).
func newLaggingWorld(t testing.TB, lag time.Duration) *world {
	t.Helper()
	return newWorldWith(t, worldStart, lag)
}

func newWorldWith(t testing.TB, start time.Time, lag time.Duration) *world {
	t.Helper()
	fc := clock.NewFake(start)
	srv, err := localgh.Open(localgh.Options{
		Now:       fc.Now,
		Sleep:     fc.Sleep,
		RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1,
		Realism: localgh.Realism{Lag: lag},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for token, login := range loginOf {
		must(t, srv.AddUser(login, token))
	}
	must(t, srv.CreateRepo(repoOwner, repoName, false))
	must(t, srv.SetRole(repoOwner, repoName, "carol", localgh.Collaborator))
	w := &world{t: t, srv: srv, clock: fc, faults: newInjector(), ctx: context.Background(), lag: lag}
	srv.SetFault(w.faults.hook)
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// transport is ghstore's transport for token over the in-process server, waiting on the fake
// clock, with jitter fixed at half the backoff.
func (w *world) transport(token string) *transport.Transport {
	return transport.New(transport.Options{
		Base:   w.srv.Transport(),
		Token:  oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}),
		Clock:  w.clock,
		Jitter: func() float64 { return 0.5 },
	})
}

// rawClient is a go-github client for token straight onto the server: no retries, no cache. The
// oracle and the tests' own "hostile user" writes use it.
func (w *world) rawClient(token string) *github.Client {
	rt := &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}), Base: w.srv.Transport()}
	gh := github.NewClient(&http.Client{Transport: rt})
	gh.BaseURL, _ = url.Parse("http://localgh.test/")
	return gh
}

// store is a Store of the user of token, in-process, on the fake clock.
func (w *world) store(token string, opts ...func(*store.Options)) *store.Store {
	w.t.Helper()
	o := store.Options{Owner: repoOwner, Repo: repoName, HTTPClient: &http.Client{Transport: w.transport(token)},
		BaseURL: "http://localgh.test/", Clock: w.clock, Concurrency: 1, ReadLag: w.lag}
	for _, f := range opts {
		f(&o)
	}
	s, err := store.New(o)
	must(w.t, err)
	return s
}

// serve serves the world over loopback and returns its base URL (ending in "/").
func (w *world) serve() string {
	ts := httptest.NewServer(w.srv)
	w.t.Cleanup(ts.Close)
	return ts.URL + "/"
}
