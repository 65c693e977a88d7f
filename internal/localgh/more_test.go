package localgh

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-github/v66/github"
)

// TestIssueReactionsAndStateReason: issue reactions list/create/delete (only one's own), and an
// explicit state_reason.
func TestIssueReactionsAndStateReason(t *testing.T) {
	f := newFixture(t, "socket", Options{})
	acme, carol := f.client(tokAcme), f.client(tokCarol)
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	must(t, err)
	r, resp, err := carol.Reactions.CreateIssueReaction(ctx, "acme", "data", 1, "heart")
	must(t, err)
	if resp.StatusCode != 201 || r.GetUser().GetLogin() != "carol" || r.GetContent() != "heart" {
		t.Fatalf("reaction %d %+v", resp.StatusCode, r)
	}
	if _, err := acme.Reactions.DeleteIssueReaction(ctx, "acme", "data", 1, r.GetID()); ghStatus(err) != 403 {
		t.Fatalf("deleting another's reaction: %v", err)
	}
	_, _, err = acme.Reactions.ListIssueCommentReactions(ctx, "acme", "data", 1, nil)
	if ghStatus(err) != 404 { // comment 1 does not exist: ids are global, not issue numbers
		t.Fatalf("reactions of a missing comment: %v", err)
	}
	rs, _, err := acme.Reactions.ListIssueReactions(ctx, "acme", "data", 1, nil)
	must(t, err)
	if len(rs) != 1 {
		t.Fatalf("list: %d", len(rs))
	}
	_, err = carol.Reactions.DeleteIssueReaction(ctx, "acme", "data", 1, r.GetID())
	must(t, err)
	is, _, err := acme.Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if is.Reactions.GetTotalCount() != 0 {
		t.Fatalf("after delete: %+v", is.Reactions)
	}
	if _, err := carol.Reactions.DeleteIssueReaction(ctx, "acme", "data", 1, r.GetID()); ghStatus(err) != 404 {
		t.Fatalf("deleting a gone reaction: %v", err)
	}
	ed, _, err := acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{State: github.String("closed"), StateReason: github.String("not_planned")})
	must(t, err)
	if ed.GetStateReason() != "not_planned" || ed.GetClosedBy().GetLogin() != "acme" {
		t.Fatalf("not_planned: %q closed by %q", ed.GetStateReason(), ed.GetClosedBy().GetLogin())
	}
}

// TestConcurrentWrites: concurrent comments all land, with distinct growing ids, and the issue's
// comments count sees every one (run under -race).
func TestConcurrentWrites(t *testing.T) {
	f := newFixture(t, "socket", Options{Dir: t.TempDir(), WritesPerMinute: -1, WritesPerHour: -1})
	acme := f.client(tokAcme)
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	must(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := acme.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String(fmt.Sprint(i))})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	is, _, err := acme.Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	cs, _, err := acme.Issues.ListComments(ctx, "acme", "data", 1, &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
	must(t, err)
	if is.GetComments() != 40 || len(cs) != 40 {
		t.Fatalf("comments %d listed %d", is.GetComments(), len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if cs[i].GetID() <= cs[i-1].GetID() {
			t.Fatal("comment ids not ascending")
		}
	}
}

// TestClosed: a closed Server answers nothing.
func TestClosed(t *testing.T) {
	srv, err := Open(Options{})
	must(t, err)
	must(t, srv.CreateRepo("acme", "data", false))
	must(t, srv.Close())
	req, _ := http.NewRequest("GET", "https://api.github.com/repos/acme/data", nil)
	if _, err := srv.Transport().RoundTrip(req); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}
