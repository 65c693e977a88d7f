package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
	"github.com/tidwall/gjson"
)

// ghStoreProcess is a model of gh-store 0.10.3's processor (its IssueHandler and CommentHandler,
// as read in its source; see ../shared/gh-store-wire/3-processed for what it leaves): list the
// issue's comments, skip those that are not JSON, are the initial state (by `type`), or carry a
// +1 from anyone; apply the rest in order onto the body (a deep merge; `update_mode` "replace"
// replaces); write the body, close the issue, +1 each comment applied. It checks authors itself
// in the real thing; here only the owner writes.
func ghStoreProcess(t *testing.T, e *env, issue int) {
	t.Helper()
	gh := e.client("acme")
	iss, _, err := gh.Issues.Get(e.ctx, "acme", "data", issue)
	check(t, err)
	state, ok := parseObject([]byte(iss.GetBody()))
	if !ok {
		t.Fatalf("gh-store cannot read the body of #%d: %s", issue, iss.GetBody())
	}
	cs, _, err := gh.Issues.ListComments(e.ctx, "acme", "data", issue, &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
	check(t, err)
	var applied []int64
	for _, c := range cs {
		r := gjson.Parse(c.GetBody())
		if !gjson.Valid(c.GetBody()) || !r.IsObject() || r.Get("type").String() == KindInitial || c.GetReactions().GetPlusOne() > 0 {
			continue
		}
		data := r.Get("_data")
		if !data.Exists() {
			data = r
		}
		patch, _ := parseObject([]byte(data.Raw))
		if r.Get("_meta.update_mode").String() == "replace" {
			state = patch
		} else {
			state = deepMerge(state, patch)
		}
		applied = append(applied, c.GetID())
	}
	body, closed := string(state.indented()), "closed"
	_, _, err = gh.Issues.Edit(e.ctx, "acme", "data", issue, &github.IssueRequest{Body: &body, State: &closed})
	check(t, err)
	for _, id := range applied {
		_, _, err := gh.Reactions.CreateIssueCommentReaction(e.ctx, "acme", "data", id, "+1")
		check(t, err)
	}
}

// TestGhStoreProcessesCheckpointedObjects: an object ghstore has written with checkpoints and a
// superseded update is still one gh-store's processor reads and processes right: it skips the
// checkpoints and the superseded comment (both carry ghstore's +1), applies a pending gh-store
// update onto the body, and ends where ghstore's fold does.
func TestGhStoreProcessesCheckpointedObjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.store("acme")
	obj, err := s.Create(e.ctx, "shared", json.RawMessage(`{"n":0,"keep":{"a":1}}`))
	check(t, err)
	for i := 1; i <= 60; i++ { // past checkpointEvery: one checkpoint
		_, err := s.Update(e.ctx, "shared", json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)))
		check(t, err)
	}
	// A superseded update: its base is a state long gone. The next ghstore write settles it
	// (it follows the body's witness) and gives it its +1.
	stale, _ := digestJSON([]byte(`{"n":0,"keep":{"a":1}}`))
	body := string(baseEnvelope([]byte(`{"n":-1,"lost":true}`), "append", obj.Issue, testTime, stale))
	_, _, err = e.client("acme").Issues.CreateComment(e.ctx, "acme", "data", obj.Issue, &github.IssueComment{Body: &body})
	check(t, err)
	_, err = s.Update(e.ctx, "shared", json.RawMessage(`{"n":61}`))
	check(t, err)

	cs, _, err := e.client("acme").Issues.ListComments(e.ctx, "acme", "data", obj.Issue, &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
	check(t, err)
	checkpoints := 0
	for _, c := range cs {
		switch {
		case strings.Contains(c.GetBody(), `"type": "checkpoint"`):
			checkpoints++
			if c.GetReactions().GetPlusOne() == 0 {
				t.Errorf("checkpoint comment %d has no +1: gh-store's processor would apply it", c.GetID())
			}
		case strings.Contains(c.GetBody(), `"lost": true`):
			if c.GetReactions().GetPlusOne() == 0 {
				t.Errorf("superseded comment %d has no +1: gh-store's processor would apply it", c.GetID())
			}
		}
	}
	if checkpoints == 0 {
		t.Fatal("61 updates wrote no checkpoint")
	}

	// gh-store's Actions model: an update comment (no base), the issue reopened; its processor runs.
	pending := string(envelope([]byte(`{"keep":{"b":2}}`), "append", obj.Issue, testTime, false))
	_, _, err = e.client("acme").Issues.CreateComment(e.ctx, "acme", "data", obj.Issue, &github.IssueComment{Body: &pending})
	check(t, err)
	open := "open"
	_, _, err = e.client("acme").Issues.Edit(e.ctx, "acme", "data", obj.Issue, &github.IssueRequest{State: &open})
	check(t, err)
	want := `{"n":61,"keep":{"a":1,"b":2}}`
	folded, err := e.store("carol").Get(e.ctx, "shared")
	check(t, err)
	if !jsonEqual(folded.Data, []byte(want)) {
		t.Fatalf("ghstore folds %s, want %s", folded.Data, want)
	}
	ghStoreProcess(t, e, obj.Issue)
	after, err := e.store("carol").Get(e.ctx, "shared")
	check(t, err)
	if !jsonEqual(after.Data, []byte(want)) || after.Pending != 0 {
		t.Fatalf("after gh-store's processor ghstore reads %s (%d pending), want %s", after.Data, after.Pending, want)
	}
}
