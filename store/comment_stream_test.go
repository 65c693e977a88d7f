package store

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/clock"
)

// TestCommentStream: the repository-wide comment stream lists the comments of every issue in
// one request, in order of creation, with what a log entry reads; since narrows it to what
// changed, in one request however many issues changed; more than 100 comments page.
func TestCommentStream(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	e := newEnvAt(t, clk.Now)
	w := e.store("acme", Options{Login: "acme", Clock: clk})
	issue := map[string]int{}
	for _, id := range []string{"a", "b", "c"} {
		o, err := w.Create(e.ctx, id, json.RawMessage(`{"v":0}`))
		check(t, err)
		issue[id] = o.Issue
	}
	clk.Advance(time.Minute)
	changedSince := clk.Now()
	as := e.store("acme", Options{Login: "acme", Async: true, Clock: clk})
	for i, id := range []string{"a", "c", "a"} {
		_, err := as.Update(e.ctx, id, json.RawMessage(fmt.Sprintf(`{"v":%d}`, i+1)))
		check(t, err)
	}
	text := "nice data"
	stranger, _, err := e.client("mallory").Issues.CreateComment(e.ctx, "acme", "data", issue["b"], &github.IssueComment{Body: &text})
	check(t, err)
	_, _, err = e.client("acme").Reactions.CreateIssueCommentReaction(e.ctx, "acme", "data", stranger.GetID(), "+1")
	check(t, err)

	s := e.store("carol", Options{Login: "carol"}).impl
	read := func(since time.Time) (all []ghComment, c cost) {
		c = e.measure(func() {
			check(t, s.commentStream(e.ctx, since, func(page []ghComment) (bool, error) {
				all = append(all, page...)
				return true, nil
			}))
		})
		return all, c
	}

	all, c := read(time.Time{})
	if len(all) != 3+3+1 || c.requests != 1 {
		t.Fatalf("the whole stream: %d comments in %+v, want 7 in 1 request", len(all), c)
	}
	wantIssues := []int{issue["a"], issue["b"], issue["c"], issue["a"], issue["c"], issue["a"], issue["b"]}
	for i, sc := range all {
		if sc.issue != wantIssues[i] {
			t.Fatalf("comment %d is on #%d, want #%d (creation order)", i, sc.issue, wantIssues[i])
		}
		if i > 0 && sc.id <= all[i-1].id {
			t.Fatalf("comment %d (id %d) after id %d: not in order of creation", i, sc.id, all[i-1].id)
		}
	}
	first := newLogEntry(&all[0], true)
	if !first.isEntry || first.parsed.kind != KindInitial || first.author != "acme" || first.createdAt.IsZero() {
		t.Fatalf("the first comment as a log entry: %+v", first)
	}
	last := all[6]
	if last.login != "mallory" || last.assoc != "NONE" || last.body != text ||
		last.plusOne != 1 {
		t.Fatalf("the stranger's comment: %+v", last)
	}

	changed, c := read(changedSince)
	if len(changed) != 4 || c.requests != 1 {
		t.Fatalf("since the updates began: %d comments in %+v, want the 4 new ones in 1 request", len(changed), c)
	}

	// Past 100 comments, it pages (and the page boundary neither skips nor repeats).
	for i := range 120 {
		body := fmt.Sprintf(`{"n":%d}`, i)
		_, _, err := e.client("acme").Issues.CreateComment(e.ctx, "acme", "data", issue["c"], &github.IssueComment{Body: &body})
		check(t, err)
	}
	all, c = read(time.Time{})
	if len(all) != 127 || c.requests != 2 {
		t.Fatalf("127 comments: got %d in %+v, want 2 pages", len(all), c)
	}
	ids := map[int64]bool{}
	for _, sc := range all {
		if ids[sc.id] {
			t.Fatalf("comment %d listed twice", sc.id)
		}
		ids[sc.id] = true
	}
}

func TestDecodeCommentPage(t *testing.T) {
	for _, bad := range []string{``, `{}`, `[1]`, `[{"id":1}]`, `[{"id":0,"issue_url":"x/issues/3"}]`, `[{"id":1,"issue_url":"x/issues/3","created_at":"soon"}]`} {
		if _, err := decodeCommentPage(bad); err == nil {
			t.Errorf("decodeCommentPage(%q) succeeded", bad)
		}
	}
	got, err := decodeCommentPage(`[{"id":9,"issue_url":"http://h/repos/o/r/issues/12","user":null,"body":"x","reactions":{"+1":2}}]`)
	check(t, err)
	if len(got) != 1 || got[0].issue != 12 || got[0].id != 9 || got[0].plusOne != 2 {
		t.Fatalf("%+v", got)
	}
}
