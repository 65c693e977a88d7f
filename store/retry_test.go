package store

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
)

// dropFirst makes the server apply the first request matching method and path suffix, then lose
// its answer (an ambiguous write).
func dropFirst(e *env, method, suffix string) {
	var mu sync.Mutex
	dropped := false
	e.srv.SetFault(func(c localgh.Call) localgh.Fault {
		mu.Lock()
		defer mu.Unlock()
		if !dropped && c.Method == method && strings.HasSuffix(c.Path, suffix) {
			dropped = true
			return localgh.Fault{DropAnswer: true}
		}
		return localgh.Fault{}
	})
	e.t.Cleanup(func() {
		e.srv.SetFault(nil)
		mu.Lock()
		defer mu.Unlock()
		if !dropped {
			e.t.Errorf("no %s …%s was sent: the fault never fired", method, suffix)
		}
	})
}

func allIssues(t *testing.T, e *env) []*github.Issue {
	t.Helper()
	is, _, err := e.client("acme").Issues.ListByRepo(e.ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", ListOptions: github.ListOptions{PerPage: 100}})
	check(t, err)
	return is
}

func TestAmbiguousIssueCreateIsAdopted(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme")
	dropFirst(e, "POST", "/repos/acme/data/issues")
	obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	if is := allIssues(t, e); len(is) != 1 || obj.Issue != is[0].GetNumber() {
		t.Fatalf("%d issues after a lost create answer\n%s", len(is), e.requestLog())
	}
	got, err := e.store("carol").Get(e.ctx, "a")
	check(t, err)
	if string(got.Data) != `{"x":1}` || got.Version != 1 {
		t.Fatalf("read %+v", got)
	}
}

func TestAmbiguousCommentIsAdopted(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	dropFirst(e, "POST", "/comments")
	got, err := s.Update(e.ctx, "a", json.RawMessage(`{"y":2}`))
	check(t, err)
	if string(got.Data) != `{"x":1,"y":2}` {
		t.Fatalf("data %s", got.Data)
	}
	h, err := s.History(e.ctx, "a")
	check(t, err)
	if len(h) != 2 {
		t.Fatalf("%d log rows after a lost comment answer, want 2", len(h))
	}
	// A lost answer to the initial-state comment.
	dropFirst(e, "POST", "/comments")
	_, err = s.Create(e.ctx, "b", json.RawMessage(`{"x":1}`))
	check(t, err)
	if h, _ := s.History(e.ctx, "b"); len(h) != 1 {
		t.Fatalf("%d initial states", len(h))
	}
	_ = obj
}

func TestAmbiguousPatchAndReactionAreRetried(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	dropFirst(e, "PATCH", "/issues/1")
	_, err = s.Update(e.ctx, "a", json.RawMessage(`{"y":2}`))
	check(t, err)
	dropFirst(e, "POST", "/reactions")
	got, err := s.Update(e.ctx, "a", json.RawMessage(`{"z":3}`))
	check(t, err)
	cs, _, err := e.client("acme").Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	check(t, err)
	if len(cs) != 3 || cs[2].GetReactions().GetPlusOne() != 1 || string(got.Data) != `{"x":1,"y":2,"z":3}` {
		t.Fatalf("%d comments, +1 %d, data %s", len(cs), cs[2].GetReactions().GetPlusOne(), got.Data)
	}
	dropFirst(e, "PATCH", "/issues/1")
	check(t, s.Delete(e.ctx, "a"))
	if is := allIssues(t, e); is[0].GetState() != "closed" || len(is[0].Labels) != 3 {
		t.Fatalf("delete after a lost answer: %v", labelNames(is[0]))
	}
}

// TestLostCommentNotTakenForAnOlderTwin: a → 1, a → 2, then a → 1 again on a clock that does not
// move, and the last comment's POST is reset before it is applied. The retry must not take the first
// {"a":1} comment for the lost one (envelopes carry a per-Store unique timestamp): the update
// lands, once, and reads back as a = 1.
func TestLostCommentNotTakenForAnOlderTwin(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme", Clock: clock.NewFake(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))}) // a clock that stands still
	_, err := s.Create(e.ctx, "twin", json.RawMessage(`{"a":0}`))
	check(t, err)
	for _, p := range []string{`{"a":1}`, `{"a":2}`} {
		_, err := s.Update(e.ctx, "twin", json.RawMessage(p))
		check(t, err)
	}
	var mu sync.Mutex
	reset := false
	e.srv.SetFault(func(c localgh.Call) localgh.Fault {
		mu.Lock()
		defer mu.Unlock()
		if !reset && c.Method == "POST" && strings.HasSuffix(c.Path, "/comments") {
			reset = true
			return localgh.Fault{Reset: true}
		}
		return localgh.Fault{}
	})
	got, err := s.Update(e.ctx, "twin", json.RawMessage(`{"a":1}`))
	e.srv.SetFault(nil)
	if !reset {
		t.Fatal("the fault never fired")
	}
	check(t, err)
	if string(got.Data) != `{"a":1}` {
		t.Fatalf("Update a → 1 answered %s\n%s", got.Data, e.requestLog())
	}
	read, err := e.store("carol").Get(e.ctx, "twin")
	check(t, err)
	if string(read.Data) != `{"a":1}` {
		t.Fatalf("read back %s", read.Data)
	}
	if h, _ := s.History(e.ctx, "twin"); len(h) != 4 {
		t.Fatalf("%d log rows, want 4 (initial, a→1, a→2, a→1)", len(h))
	}
}

// TestUpdateRepairsABodyLeftBehind: an update whose PATCH is refused after its comment was posted
// (the token revoked from then on) leaves the closed issue's body behind its log. The next Update
// of the same change finds nothing to change in the log, and must still settle the body, so that
// what it reports is what every reader reads.
func TestUpdateRepairsABodyLeftBehind(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	_, err := s.Create(e.ctx, "r", json.RawMessage(`{"a":0}`))
	check(t, err)
	var mu sync.Mutex
	commented := false
	e.srv.SetFault(func(c localgh.Call) localgh.Fault {
		mu.Lock()
		defer mu.Unlock()
		if c.Method == "POST" && strings.HasSuffix(c.Path, "/comments") {
			commented = true
			return localgh.Fault{}
		}
		if commented {
			return localgh.Fault{Status: 401}
		}
		return localgh.Fault{}
	})
	if _, err := s.Update(e.ctx, "r", json.RawMessage(`{"a":1}`)); !errors.Is(err, ErrUnsettled) || !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("an update refused after its comment: %v, want ErrUnsettled wrapping ErrBadCredentials", err)
	}
	e.srv.SetFault(nil)
	if got, _ := e.store("carol").Get(e.ctx, "r"); string(got.Data) != `{"a":0}` {
		t.Fatalf("setup: the body was written anyway: %s", got.Data)
	}

	got, err := s.Update(e.ctx, "r", json.RawMessage(`{"a":1}`))
	check(t, err)
	read, err := e.store("carol").Get(e.ctx, "r")
	check(t, err)
	if string(got.Data) != `{"a":1}` || string(read.Data) != `{"a":1}` {
		t.Fatalf("Update answered %s, a reader reads %s; want both {\"a\":1}\n%s", got.Data, read.Data, e.requestLog())
	}
}
