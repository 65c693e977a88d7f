package store

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestUnverifiedCommentLeavesTheIssueOpen: an update comment whose answer is lost, and whose
// check (listing the comments) fails too, may or may not be on GitHub. The write fails, but it
// leaves the issue open, so that readers fold the log, which is the truth either way, instead of
// trusting a closed body that would lack the update if it was written; the next write settles it.
func TestUnverifiedCommentLeavesTheIssueOpen(t *testing.T) {
	for _, mode := range []string{"inline", "async"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t)
			s := e.store("acme", Options{Login: "acme", Async: mode == "async"})
			obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
			check(t, err)

			var mu sync.Mutex
			dropped := false
			e.srv.SetFault(func(c localgh.Call) localgh.Fault {
				mu.Lock()
				defer mu.Unlock()
				switch {
				case !dropped && c.Method == "POST" && strings.HasSuffix(c.Path, "/comments"):
					dropped = true
					return localgh.Fault{DropAnswer: true} // written, answer lost
				case dropped && c.Method == "GET" && strings.HasSuffix(c.Path, "/comments"):
					return localgh.Fault{Status: http.StatusServiceUnavailable} // the check fails
				}
				return localgh.Fault{}
			})
			_, err = s.Update(e.ctx, "a", json.RawMessage(`{"y":2}`))
			e.srv.SetFault(nil)
			if err == nil {
				t.Fatal("the update succeeded though its comment could not be checked")
			}
			if iss := issueOf(t, e, obj.Issue); iss.GetState() != "open" || iss.GetComments() != 2 {
				t.Fatalf("after an unverified comment the issue is %s with %d comments, want open with 2 (%v)", iss.GetState(), iss.GetComments(), err)
			}
			got, err := e.store("carol").Get(e.ctx, "a")
			check(t, err)
			if !jsonEqual(got.Data, []byte(`{"x":1,"y":2}`)) {
				t.Fatalf("a reader sees %s, want the log's {x:1,y:2}", got.Data)
			}
			// The next write settles both updates, each once.
			_, err = e.store("acme").Update(e.ctx, "a", json.RawMessage(`{"z":3}`))
			check(t, err)
			if _, err := e.store("acme").ProcessAll(e.ctx); err != nil {
				t.Fatal(err)
			}
			h, err := e.store("carol").History(e.ctx, "a")
			check(t, err)
			if len(h) != 3 {
				t.Fatalf("%d log rows, want 3 (an update duplicated or lost)", len(h))
			}
			got, err = e.store("carol").Get(e.ctx, "a")
			check(t, err)
			if !jsonEqual(got.Data, []byte(`{"x":1,"y":2,"z":3}`)) {
				t.Fatalf("after the next write: %s", got.Data)
			}
		})
	}
}

// issueOf reads issue n as the owner sees it.
func issueOf(t *testing.T, e *env, n int) *github.Issue {
	t.Helper()
	iss, _, err := e.client("acme").Issues.Get(e.ctx, "acme", "data", n)
	check(t, err)
	return iss
}

// TestCanceledCommentLeavesTheIssueOpen: a caller that gives up while its update comment is on
// its way cannot know whether it arrived; the issue is left open for readers to fold, as above.
// One that gave up before anything was sent leaves the issue as it was.
func TestCanceledCommentLeavesTheIssueOpen(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)

	ctx, cancel := context.WithCancel(e.ctx)
	e.srv.SetFault(func(c localgh.Call) localgh.Fault {
		if c.Method == "POST" && strings.HasSuffix(c.Path, "/comments") {
			cancel() // the caller gives up while the comment is on its way
			return localgh.Fault{Hang: true}
		}
		return localgh.Fault{}
	})
	_, err = s.Update(ctx, "a", json.RawMessage(`{"y":2}`))
	e.srv.SetFault(nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled update: %v", err)
	}
	if iss := issueOf(t, e, obj.Issue); iss.GetState() != "open" {
		t.Fatalf("after a canceled comment the issue is %s, want open", iss.GetState())
	}

	// Canceled before anything was sent: no request, the issue as it was.
	_, err = e.store("acme").Process(e.ctx, obj.Issue)
	check(t, err)
	done, stop := context.WithCancel(e.ctx)
	stop()
	c := e.measure(func() { _, err = s.Update(done, "a", json.RawMessage(`{"z":3}`)) })
	if err == nil || c.creating != 0 {
		t.Fatalf("update with a canceled context: %v, %+v", err, c)
	}
	if iss := issueOf(t, e, obj.Issue); iss.GetState() != "closed" {
		t.Fatalf("an update canceled before sending left the issue %s", iss.GetState())
	}
}
