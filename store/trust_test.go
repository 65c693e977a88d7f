package store

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-github/v66/github"
)

// Three users: acme owns the repository, carol collaborates, mallory is a stranger. Nothing mallory
// writes (comments as envelopes or bare JSON, issues carrying an object's labels, +1 reactions)
// changes any object or hides an update.
func TestStrangerChangesNothing(t *testing.T) {
	e := newEnv(t)
	acme := e.store("acme") // no Login: learns it with GET /user when it must
	obj, err := acme.Create(e.ctx, "t", json.RawMessage(`{"score":1}`))
	check(t, err)
	mal := e.client("mallory")
	for _, body := range []string{
		string(envelope([]byte(`{"score":666}`), "append", obj.Issue, testTime, false)),
		string(envelope([]byte(`{"pwned":true}`), "replace", obj.Issue, testTime, false)),
		string(envelope([]byte(`{"evil":1}`), "append", obj.Issue, testTime, true)),
		`{"score": 777}`,
	} {
		b := body
		_, _, err := mal.Issues.CreateComment(e.ctx, "acme", "data", obj.Issue, &github.IssueComment{Body: &b})
		check(t, err)
	}
	// carol's update is pending (async); mallory gives it a +1.
	_, err = e.store("carol", Options{Async: true}).Update(e.ctx, "t", json.RawMessage(`{"by":"carol"}`))
	check(t, err)
	cs, _, err := mal.Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	check(t, err)
	carolsComment := cs[len(cs)-1]
	_, _, err = mal.Reactions.CreateIssueCommentReaction(e.ctx, "acme", "data", carolsComment.GetID(), "+1")
	check(t, err)

	// (mallory's own Store trusts its token's login, by design: it is not a reader here.)
	for _, reader := range []*Store{e.store("carol"), acme} {
		got, err := reader.Get(e.ctx, "t")
		check(t, err)
		if string(got.Data) != `{"score":1,"by":"carol"}` || got.Pending != 1 || got.Version != 2 {
			t.Fatalf("read %s pending %d version %d", got.Data, got.Pending, got.Version)
		}
	}
	h, err := acme.History(e.ctx, "t")
	check(t, err)
	untrusted := 0
	for _, row := range h {
		if !row.Trusted {
			untrusted++
			if row.Processed || row.Author != "mallory" {
				t.Fatalf("untrusted row %+v", row)
			}
		}
	}
	if len(h) != 6 || untrusted != 4 || h[0].Kind != KindInitial || h[5].Author != "carol" || h[5].Processed {
		t.Fatalf("history %+v", h)
	}
	got, err := acme.Process(e.ctx, obj.Issue)
	check(t, err)
	if string(got.Data) != `{"score":1,"by":"carol"}` {
		t.Fatalf("processed %s", got.Data)
	}
	// Listing mallory as trusted makes her updates count.
	trusting := e.store("carol", Options{Trusted: []string{"Mallory"}})
	h, err = trusting.History(e.ctx, "t")
	check(t, err)
	if !h[1].Trusted {
		t.Fatalf("Options.Trusted ignored: %+v", h[1])
	}
}

func TestStrangerIssueIsNoObject(t *testing.T) {
	e := newEnv(t)
	mal := e.client("mallory")
	title, body := "Stored Object: s", `{"owned":true}`
	iss, _, err := mal.Issues.Create(e.ctx, "acme", "data", &github.IssueRequest{Title: &title, Body: &body})
	check(t, err)
	// A stranger cannot set labels; give the issue an object's labels as a maintainer might by mistake.
	_, _, err = e.client("acme").Issues.AddLabelsToIssue(e.ctx, "acme", "data", iss.GetNumber(), liveLabels("s"))
	check(t, err)
	acme := e.store("acme")
	if _, err := acme.Get(e.ctx, "s"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a stranger's issue read as an object: %v", err)
	}
	obj, err := acme.Create(e.ctx, "s", json.RawMessage(`{"real":true}`))
	check(t, err) // not a duplicate of the stranger's older issue
	got, err := e.store("carol").Get(e.ctx, "s")
	check(t, err)
	if got.Issue != obj.Issue || string(got.Data) != `{"real":true}` {
		t.Fatalf("read %+v", got)
	}
	n := 0
	for o, err := range acme.List(e.ctx, ListOptions{}) {
		check(t, err)
		if o.Issue == iss.GetNumber() {
			t.Fatal("listed a stranger's issue")
		}
		n++
	}
	if n != 1 {
		t.Fatalf("listed %d", n)
	}
}
