package benchmarks

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/store"
)

// The repository every test and benchmark works on, and its owner's token.
const (
	owner = "acme"
	repo  = "data"
	token = "acme-token"
)

// env is one localgh server with acme/data, served over loopback, and a database/sql handle on it.
type env struct {
	tb     testing.TB
	srv    *localgh.Server
	ts     *httptest.Server
	flight *inflight // counts the requests the server holds at once
	// db and conn are the handle opened by newEnv (the DSN's extra parameters applied).
	db   *sql.DB
	conn *driver.Connector
}

// serverOptions is localgh without any rate limit: the cost tests count requests, and pacing has
// its own test (pacing_test.go).
func serverOptions() localgh.Options {
	return localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1}
}

// newEnv starts a server with opts (serverOptions() when zero-valued is not wanted, pass it) and
// opens a *sql.DB on it with params (DSN key=value pairs, e.g. "apply=async") added.
func newEnv(tb testing.TB, opts localgh.Options, params ...string) *env {
	tb.Helper()
	srv, err := localgh.Open(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	must(tb, srv.AddUser(owner, token))
	must(tb, srv.CreateRepo(owner, repo, false))
	e := &env{tb: tb, srv: srv, flight: &inflight{next: srv}}
	e.ts = httptest.NewServer(e.flight)
	tb.Cleanup(e.ts.Close)
	e.db, e.conn = e.open(params...)
	return e
}

// dsn is the DSN of acme/data on this server: no client-side pacing (the server has no secondary
// limit either) but writes one at a time, as every Connector sends them, plus params (which
// replace these defaults).
func (e *env) dsn(params ...string) string {
	q := []string{
		"base_url=" + url.QueryEscape(e.ts.URL),
		"token=" + token,
	}
	for _, d := range []string{"writes_per_minute=0", "writes_per_hour=0", "write_interval=0", "read_lag=0"} {
		key, _, _ := strings.Cut(d, "=")
		if !slices.ContainsFunc(params, func(p string) bool { return strings.HasPrefix(p, key+"=") }) {
			q = append(q, d)
		}
	}
	return owner + "/" + repo + "?" + strings.Join(append(q, params...), "&")
}

// open opens another *sql.DB, with its own Connector (HTTP client, ETag cache, store), and does
// the Connector's one-time set-up (Ping's GET /repos/{o}/{r} and the GET /user that learns the
// token's login), which DESIGN.md §6 leaves outside the per-operation figures.
func (e *env) open(params ...string) (*sql.DB, *driver.Connector) {
	e.tb.Helper()
	cfg, err := driver.ParseDSN(e.dsn(params...))
	if err != nil {
		e.tb.Fatal(err)
	}
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		e.tb.Fatal(err)
	}
	db := sql.OpenDB(conn)
	e.tb.Cleanup(func() { db.Close() })
	ctx := context.Background()
	must(e.tb, db.PingContext(ctx))
	if _, err := conn.Store().Login(ctx); err != nil {
		e.tb.Fatal(err)
	}
	return db, conn
}

// store is the Store of the env's Connector.
func (e *env) store() *store.Store { return e.conn.Store() }

// cost is what one or more operations sent, from localgh's request log.
type cost struct {
	Requests int // every request, 304s included
	Creating int // content-creating: POST, PATCH, PUT, DELETE
	Counted  int // charged by GitHub: all but 304s
	Log      []localgh.Request
}

// costOf tallies a request log.
func costOf(log []localgh.Request) cost {
	c := cost{Log: log}
	for _, r := range log {
		c.Requests++
		if r.Creating {
			c.Creating++
		}
		if r.Counted {
			c.Counted++
		}
	}
	return c
}

// measure runs fn on an empty request log and returns what it sent.
func (e *env) measure(fn func()) cost {
	e.tb.Helper()
	e.srv.ResetRequests()
	fn()
	return costOf(e.srv.Requests())
}

func (c cost) String() string {
	return fmt.Sprintf("%d requests, %d content-creating, %d counted", c.Requests, c.Creating, c.Counted)
}

// logLines is the request log, one line a request, for failure messages.
func (c cost) logLines() string {
	var b strings.Builder
	for _, r := range c.Log {
		path := r.Path
		if r.Query != "" {
			path += "?" + r.Query
		}
		flags := ""
		if r.Conditional {
			flags += " conditional"
		}
		if !r.Counted {
			flags += " not-counted"
		}
		fmt.Fprintf(&b, "\n\t#%d %s %s → %d%s", r.Seq, r.Method, path, r.Status, flags)
	}
	return b.String()
}

// forbidden reports the requests answered 403 or 429 (a rate limit tripped).
func (c cost) forbidden() []localgh.Request {
	var out []localgh.Request
	for _, r := range c.Log {
		if r.Status == http.StatusForbidden || r.Status == http.StatusTooManyRequests {
			out = append(out, r)
		}
	}
	return out
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
