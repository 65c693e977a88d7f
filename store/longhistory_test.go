package store

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-github/v66/github"
)

// seedComments posts n gh-store-format update comments {"n": i} (no base, no reactions) on issue
// as login, straight through the API: a long history, fast.
func (e *env) seedComments(login string, issue, from, n int) {
	e.t.Helper()
	gh := e.client(login)
	for i := from; i < from+n; i++ {
		body := string(envelope([]byte(fmt.Sprintf(`{"n":%d}`, i)), "append", issue, testTime, false))
		_, _, err := gh.Issues.CreateComment(e.ctx, "acme", "data", issue, &github.IssueComment{Body: &body})
		check(e.t, err)
	}
}

// closeWithBody sets issue's body to data and closes it, as a processor that has applied
// everything (gh-store's leaves no +1 missing; this one does, on purpose).
func (e *env) closeWithBody(issue int, data string) {
	e.t.Helper()
	body, closed := string(indentJSON([]byte(data), "")), "closed"
	_, _, err := e.client("acme").Issues.Edit(e.ctx, "acme", "data", issue, &github.IssueRequest{Body: &body, State: &closed})
	check(e.t, err)
}

// TestUpdateCostIndependentOfHistory (DESIGN.md §3b): an update costs 5 requests, 3 of them
// content-creating, on an object with 10 comments and on one with 2,000, except an update that
// writes a checkpoint (2 more content-creating), which happens about once in 50. A gh-store
// object whose 2,000 processed comments lack their +1s is updated with a bounded number of
// writes: the update's own, a checkpoint and their +1s, never a +1 for each old comment.
func TestUpdateCostIndependentOfHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.store("acme")
	short, err := s.Create(e.ctx, "short", json.RawMessage(`{"n":0}`))
	check(t, err)
	long, err := s.Create(e.ctx, "long", json.RawMessage(`{"n":0}`))
	check(t, err)
	e.seedComments("acme", short.Issue, 1, 9)
	e.closeWithBody(short.Issue, `{"n":9}`)
	const c = 2000
	e.seedComments("acme", long.Issue, 1, c)
	e.closeWithBody(long.Issue, fmt.Sprintf(`{"n":%d}`, c))

	// The first update of the long object (read, then written from what was read, as the
	// driver's UPDATE does) reads its whole log once (no checkpoint yet) and writes one; what it
	// writes is bounded whatever the history.
	got := e.measure(func() {
		read, err := s.Get(e.ctx, "long")
		check(t, err)
		_, _, err = s.Put(e.ctx, read, json.RawMessage(fmt.Sprintf(`{"n":%d,"x":0}`, c)))
		check(t, err)
	})
	if got.creating > 5 {
		t.Fatalf("first update of a %d-comment object: %d content-creating requests, want ≤ 5 (comment, PATCH, +1, checkpoint, +1)\n%s", c, got.creating, e.requestLog())
	}

	for _, id := range []string{"short", "long"} {
		checkpoints := 0
		for i := 1; i <= 60; i++ {
			got := e.measure(func() {
				_, err := s.Update(e.ctx, id, json.RawMessage(fmt.Sprintf(`{"x":%d}`, i)))
				check(t, err)
			})
			switch {
			case got.requests == 5 && got.creating == 3:
			case got.requests == 7 && got.creating == 5:
				checkpoints++
			default:
				t.Fatalf("%s, update %d: %d requests, %d content-creating; want 5 / 3 (7 / 5 with a checkpoint)\n%s", id, i, got.requests, got.creating, e.requestLog())
			}
		}
		if checkpoints > 2 {
			t.Errorf("%s: %d of 60 updates wrote a checkpoint, want about one in %d", id, checkpoints, checkpointEvery)
		}
		obj, err := s.Get(e.ctx, id)
		check(t, err)
		if !jsonEqual(obj.Data, []byte(fmt.Sprintf(`{"n":%d,"x":60}`, map[string]int{"short": 9, "long": c}[id]))) {
			t.Fatalf("%s reads %s", id, obj.Data)
		}
	}

	// A point read of the open long object, and its processing, read only the log's tail.
	open := "open"
	_, _, err = e.client("acme").Issues.Edit(e.ctx, "acme", "data", long.Issue, &github.IssueRequest{State: &open})
	check(t, err)
	e.seedComments("acme", long.Issue, c+1, 1) // a pending gh-store update {"n": c+1}
	fresh := e.store("carol")
	got = e.measure(func() {
		obj, err := fresh.Get(e.ctx, "long")
		check(t, err)
		if obj.Pending != 1 || !jsonEqual(obj.Data, []byte(fmt.Sprintf(`{"n":%d,"x":60}`, c+1))) {
			t.Fatalf("open long object reads %s with %d pending", obj.Data, obj.Pending)
		}
	})
	if got.requests > 3 {
		t.Fatalf("point read of an open object with %d comments: %d requests, want ≤ 3 (the lookup and ≤ 2 pages)\n%s", c, got.requests, e.requestLog())
	}
	got = e.measure(func() {
		_, err := fresh.Process(e.ctx, long.Issue)
		check(t, err)
	})
	if got.requests > 2+2+1 || got.creating != 2 {
		t.Fatalf("processing 1 pending of %d comments: %d requests (%d content-creating), want ≤ 5 (2)\n%s", c, got.requests, got.creating, e.requestLog())
	}
}

// TestSupersededCommentIsNotApplied: an update comment whose base is not the state before it
// changes nothing, is not counted in version, and shows in history with applied false.
func TestSupersededCommentIsNotApplied(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.store("acme")
	obj, err := s.Create(e.ctx, "cas", json.RawMessage(`{"n":1}`))
	check(t, err)
	stale, _ := digestJSON([]byte(`{"n":0}`))
	fresh, _ := digestJSON([]byte(`{"n": 1.0}`))
	for _, c := range []struct{ data, base string }{{`{"n":5}`, stale}, {`{"n":2}`, fresh}, {`{"n":7}`, fresh}} {
		body := string(baseEnvelope([]byte(c.data), "append", obj.Issue, testTime, c.base))
		_, _, err := e.client("acme").Issues.CreateComment(e.ctx, "acme", "data", obj.Issue, &github.IssueComment{Body: &body})
		check(t, err)
	}
	open := "open"
	_, _, err = e.client("acme").Issues.Edit(e.ctx, "acme", "data", obj.Issue, &github.IssueRequest{State: &open})
	check(t, err)
	got, err := s.Get(e.ctx, "cas")
	check(t, err)
	// {"n":5} names a stale base; {"n":2} names {"n":1} (spelt 1.0) and applies; {"n":7} names
	// {"n":1} too, but the state is {"n":2} by then.
	if !jsonEqual(got.Data, []byte(`{"n":2}`)) || got.Version != 2 || got.Pending != 1 {
		t.Fatalf("object reads %s version %d pending %d, want {\"n\":2} version 2 pending 1", got.Data, got.Version, got.Pending)
	}
	h, err := s.History(e.ctx, "cas")
	check(t, err)
	var applied []bool
	for _, r := range h {
		applied = append(applied, r.Applied)
	}
	if fmt.Sprint(applied) != "[true false true false]" {
		t.Fatalf("history applied = %v, want [true false true false]", applied)
	}
	// Processing +1s both the applied and the superseded comments, so gh-store's processor
	// skips all of them.
	_, err = s.Process(e.ctx, obj.Issue)
	check(t, err)
	cs, _, err := e.client("acme").Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	check(t, err)
	for _, c := range cs[1:] {
		if c.GetReactions().GetPlusOne() != 1 {
			t.Errorf("comment %d has %d +1s after processing, want 1", c.GetID(), c.GetReactions().GetPlusOne())
		}
	}
}
