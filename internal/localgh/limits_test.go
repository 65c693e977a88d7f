package localgh

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

// TestPrimaryRateLimit: headers on every answer, a spent budget is go-github's RateLimitError,
// /rate_limit is free, and the window resets after an hour of Options.Now.
func TestPrimaryRateLimit(t *testing.T) {
	f := newFixture(t, "socket", Options{RateLimit: 3})
	acme := f.client(tokAcme)
	for i := 0; i < 3; i++ {
		_, resp, err := acme.Repositories.Get(ctx, "acme", "data")
		must(t, err)
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset", "X-RateLimit-Resource"} {
			if resp.Header.Get(h) == "" {
				t.Fatalf("missing %s", h)
			}
		}
		if resp.Rate.Remaining != 2-i || resp.Rate.Limit != 3 {
			t.Fatalf("rate %+v", resp.Rate)
		}
	}
	lim, _, err := acme.RateLimit.Get(ctx)
	must(t, err)
	if lim.Core.Remaining != 0 {
		t.Fatalf("rate_limit %+v", lim.Core)
	}
	_, _, err = f.client(tokAcme).Repositories.Get(ctx, "acme", "data") // a fresh client: go-github refuses once it saw Remaining 0
	var rl *github.RateLimitError
	if !errors.As(err, &rl) || rl.Response.StatusCode != 403 || !strings.HasPrefix(rl.Message, "API rate limit exceeded for user ID") {
		t.Fatalf("want RateLimitError, got %v", err)
	}
	// Another token has its own budget.
	_, _, err = f.client(tokCarol).Repositories.Get(ctx, "acme", "data")
	must(t, err)
	f.clock.Advance(time.Hour)
	_, _, err = f.client(tokAcme).Repositories.Get(ctx, "acme", "data") // fresh client: go-github remembers the reset by the real clock
	must(t, err)
	for _, r := range f.srv.Requests() {
		if r.Path == "/rate_limit" && r.Counted {
			t.Fatal("/rate_limit counted")
		}
	}
}

// TestSecondaryRateLimit: content-creating requests past the per-minute window are go-github's
// AbuseRateLimitError with Retry-After; the window slides on Options.Now.
func TestSecondaryRateLimit(t *testing.T) {
	f := newFixture(t, "inprocess", Options{WritesPerMinute: 2, WritesPerHour: 3})
	create := func(c *github.Client) error {
		_, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
		return err
	}
	must(t, create(f.client(tokAcme)))
	f.clock.Advance(10 * time.Second)
	must(t, create(f.client(tokAcme)))
	err := create(f.client(tokAcme))
	var ab *github.AbuseRateLimitError
	if !errors.As(err, &ab) || ab.RetryAfter == nil || *ab.RetryAfter != 50*time.Second ||
		!strings.HasPrefix(ab.Message, "You have exceeded a secondary rate limit") {
		t.Fatalf("want AbuseRateLimitError retry 50s, got %v", err)
	}
	// Reads are not content-creating.
	_, _, err = f.client(tokAcme).Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	f.clock.Advance(51 * time.Second)
	must(t, create(f.client(tokAcme)))
	f.clock.Advance(2 * time.Minute)
	if err := create(f.client(tokAcme)); !errors.As(err, &ab) { // hourly bound: 3
		t.Fatalf("hourly bound: %v", err)
	}
	var creating int
	for _, r := range f.srv.Requests() {
		if r.Creating {
			creating++
		}
	}
	if creating != 5 {
		t.Fatalf("creating requests logged: %d", creating)
	}
}

// TestFaults drives every Fault through go-github, in-process and over a socket.
func TestFaults(t *testing.T) {
	for _, mode := range []string{"inprocess", "socket"} {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t, mode, Options{})
			acme := f.client(tokAcme)
			count := func() int {
				list, _, err := acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all"})
				must(t, err)
				return len(list)
			}
			create := func(c *github.Client) error {
				_, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
				return err
			}
			once := func(fault Fault) {
				var mu sync.Mutex
				done := false
				f.srv.SetFault(func(c Call) Fault {
					mu.Lock()
					defer mu.Unlock()
					if done || c.Method != "POST" {
						return Fault{}
					}
					done = true
					return fault
				})
			}

			once(Fault{Status: 502})
			if err := create(acme); ghStatus(err) != 502 {
				t.Fatalf("502: %v", err)
			}
			if n := count(); n != 0 {
				t.Fatalf("502 applied: %d", n)
			}

			once(Fault{DropAnswer: true})
			err := create(acme)
			if err == nil || ghStatus(err) != 0 {
				t.Fatalf("DropAnswer: %v", err)
			}
			if mode == "inprocess" && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("DropAnswer in-process error %v does not wrap io.ErrUnexpectedEOF", err)
			}
			if n := count(); n != 1 {
				t.Fatalf("DropAnswer not applied: %d", n)
			}

			once(Fault{Reset: true})
			err = create(acme)
			if err == nil || ghStatus(err) != 0 {
				t.Fatalf("Reset: %v", err)
			}
			if mode == "inprocess" && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("Reset in-process error %v", err)
			}
			if n := count(); n != 1 {
				t.Fatalf("Reset applied: %d", n)
			}

			hctx, cancel := context.WithCancel(ctx)
			f.srv.SetFault(func(c Call) Fault {
				if c.Method == "POST" {
					cancel() // the client gives up while the server hangs
					return Fault{Hang: true}
				}
				return Fault{}
			})
			_, _, err = acme.Issues.Create(hctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Hang: %v", err)
			}
			f.srv.SetFault(nil)
			if n := count(); n != 1 {
				t.Fatalf("Hang applied: %d", n)
			}

			once(Fault{Status: 403, RetryAfter: 7})
			var ab *github.AbuseRateLimitError
			if err := create(f.client(tokAcme)); !errors.As(err, &ab) || *ab.RetryAfter != 7*time.Second {
				t.Fatalf("secondary fault: %v", err)
			}
			once(Fault{Status: 403, RateLimited: true})
			var rl *github.RateLimitError
			if err := create(f.client(tokAcme)); !errors.As(err, &rl) || rl.Rate.Remaining != 0 {
				t.Fatalf("primary fault: %v", err)
			}
			once(Fault{Status: 429, RetryAfter: 3})
			resp := f.raw("POST", "/repos/acme/data/issues", tokAcme, nil, `{"title":"x"}`)
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
				t.Fatalf("429: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			if n := count(); n != 1 {
				t.Fatalf("faults applied: %d", n)
			}
		})
	}
}

// TestLatency: every answer waits SetLatency through Options.Sleep; a Sleep that ends with the
// context leaves the request unapplied.
func TestLatency(t *testing.T) {
	var mu sync.Mutex
	var slept []time.Duration
	f := newFixture(t, "inprocess", Options{Sleep: func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
		return ctx.Err()
	}})
	f.srv.SetLatency(250 * time.Millisecond)
	acme := f.client(tokAcme)
	_, _, err := acme.Repositories.Get(ctx, "acme", "data")
	must(t, err)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err = acme.Issues.Create(cctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	f.srv.SetLatency(0)
	list, _, err := acme.Issues.ListByRepo(ctx, "acme", "data", nil)
	must(t, err)
	if len(slept) != 1 || slept[0] != 250*time.Millisecond || len(list) != 0 {
		t.Fatalf("slept %v, issues %d", slept, len(list))
	}
	// The default Sleep honours the context.
	srv, err := Open(Options{})
	must(t, err)
	defer srv.Close()
	srv.SetLatency(time.Hour)
	req, _ := http.NewRequestWithContext(cctx, "GET", "https://api.github.com/rate_limit", nil)
	if _, err := srv.Transport().RoundTrip(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("default sleep: %v", err)
	}
}

// TestRequestLog: arrival order, login, status, Counted/Creating/Conditional.
func TestRequestLog(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	acme := f.client(tokAcme)
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	must(t, err)
	_, _, err = f.client("").Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	_, _, err = acme.RateLimit.Get(ctx)
	must(t, err)
	got := f.srv.Requests()
	want := []Request{
		{Seq: 1, Method: "POST", Path: "/repos/acme/data/issues", Login: "acme", Status: 201, Counted: true, Creating: true},
		{Seq: 2, Method: "GET", Path: "/repos/acme/data/issues/1", Status: 200, Counted: true},
		{Seq: 3, Method: "GET", Path: "/rate_limit", Login: "acme", Status: 200},
	}
	if len(got) != len(want) {
		t.Fatalf("log %+v", got)
	}
	for i := range want {
		g := got[i]
		g.At, g.Query = time.Time{}, ""
		if g != want[i] {
			t.Fatalf("entry %d: %+v want %+v", i, g, want[i])
		}
	}
	f.srv.ResetRequests()
	if len(f.srv.Requests()) != 0 {
		t.Fatal("ResetRequests")
	}
	// The log entry of a bad token.
	resp := f.raw("GET", "/user", "bogus", nil, "")
	var body map[string]any
	must(t, json.NewDecoder(resp.Body).Decode(&body))
	if r := f.srv.Requests(); len(r) != 1 || r[0].Status != 401 {
		t.Fatalf("bad token log %+v", r)
	}
}
