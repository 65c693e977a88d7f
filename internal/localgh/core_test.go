package localgh

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func ghStatus(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return er.Response.StatusCode
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return rl.Response.StatusCode
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) {
		return ab.Response.StatusCode
	}
	return 0
}

// TestIssueLifecycle drives create/get/list/patch of issues, comments and reactions through
// go-github, in-process, over a socket and at /api/v3/.
func TestIssueLifecycle(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t, mode, Options{})
			acme := f.client(tokAcme)
			is, resp, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{
				Title: github.String("Stored Object: obj-1"), Body: github.String(`{"a":1}`),
				Labels: &[]string{"gh-store", "stored-object", "UID:obj-1"},
			})
			must(t, err)
			if resp.StatusCode != 201 || resp.Header.Get("Location") == "" {
				t.Fatalf("create: status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			if is.GetNumber() != 1 || is.GetID() <= 1<<32 || is.GetUser().GetLogin() != "acme" ||
				is.GetAuthorAssociation() != "OWNER" || len(is.Labels) != 3 || is.GetComments() != 0 || is.GetState() != "open" {
				t.Fatalf("created issue: %+v", is)
			}
			if is.Reactions == nil || is.Reactions.GetURL() == "" {
				t.Fatalf("no reactions rollup: %+v", is.Reactions)
			}
			f.clock.Advance(time.Minute)
			c, resp, err := acme.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("first")})
			must(t, err)
			if resp.StatusCode != 201 || c.GetID() <= is.GetID() || c.GetAuthorAssociation() != "OWNER" {
				t.Fatalf("comment: %d %+v", resp.StatusCode, c)
			}
			carol := f.client(tokCarol)
			c2, _, err := carol.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("second")})
			must(t, err)
			if c2.GetAuthorAssociation() != "COLLABORATOR" {
				t.Fatalf("carol's association %q", c2.GetAuthorAssociation())
			}
			got, _, err := acme.Issues.Get(ctx, "acme", "data", 1)
			must(t, err)
			if got.GetComments() != 2 || !got.GetUpdatedAt().After(got.GetCreatedAt().Time) {
				t.Fatalf("issue after comments: comments=%d created=%v updated=%v", got.GetComments(), got.GetCreatedAt(), got.GetUpdatedAt())
			}
			r1, resp, err := acme.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c.GetID(), "+1")
			must(t, err)
			if resp.StatusCode != 201 {
				t.Fatalf("reaction: %d", resp.StatusCode)
			}
			r2, resp, err := acme.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c.GetID(), "+1")
			must(t, err)
			if resp.StatusCode != 200 || r2.GetID() != r1.GetID() {
				t.Fatalf("repeat reaction: %d %d vs %d", resp.StatusCode, r2.GetID(), r1.GetID())
			}
			_, _, err = acme.Reactions.CreateIssueReaction(ctx, "acme", "data", 1, "rocket")
			must(t, err)
			cs, _, err := acme.Issues.ListComments(ctx, "acme", "data", 1, nil)
			must(t, err)
			if len(cs) != 2 || cs[0].GetID() != c.GetID() || cs[0].Reactions.GetPlusOne() != 1 || cs[0].Reactions.GetTotalCount() != 1 {
				t.Fatalf("comments: %+v", cs)
			}
			rs, _, err := acme.Reactions.ListIssueCommentReactions(ctx, "acme", "data", c.GetID(), nil)
			must(t, err)
			if len(rs) != 1 || rs[0].GetUser().GetLogin() != "acme" {
				t.Fatalf("reactions: %+v", rs)
			}
			ed, _, err := acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{State: github.String("closed"), Body: github.String(`{"a":2}`)})
			must(t, err)
			if ed.GetState() != "closed" || ed.GetStateReason() != "completed" || ed.ClosedAt == nil || ed.GetComments() != 2 || ed.Reactions.GetRocket() != 1 {
				t.Fatalf("patched: %+v", ed)
			}
			list, _, err := acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", Labels: []string{"STORED-OBJECT", "uid:obj-1"}})
			must(t, err)
			if len(list) != 1 {
				t.Fatalf("list by labels: %d", len(list))
			}
			open, _, err := acme.Issues.ListByRepo(ctx, "acme", "data", nil)
			must(t, err)
			if len(open) != 0 {
				t.Fatalf("default state=open listed %d", len(open))
			}
			re, _, err := acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{State: github.String("open")})
			must(t, err)
			if re.GetStateReason() != "reopened" || re.ClosedAt != nil {
				t.Fatalf("reopened: %+v", re)
			}
			_, err = acme.Issues.DeleteComment(ctx, "acme", "data", c2.GetID())
			must(t, err)
			got, _, err = acme.Issues.Get(ctx, "acme", "data", 1)
			must(t, err)
			if got.GetComments() != 1 {
				t.Fatalf("comments after delete: %d", got.GetComments())
			}
			u, _, err := acme.Users.Get(ctx, "")
			must(t, err)
			if u.GetLogin() != "acme" {
				t.Fatalf("user %q", u.GetLogin())
			}
			repo, _, err := acme.Repositories.Get(ctx, "acme", "data")
			must(t, err)
			if repo.GetFullName() != "acme/data" || !repo.GetHasIssues() || !repo.GetPermissions()["push"] {
				t.Fatalf("repo %+v", repo)
			}
			lim, _, err := acme.RateLimit.Get(ctx)
			must(t, err)
			if lim.Core.Limit != 5000 {
				t.Fatalf("rate limit %+v", lim.Core)
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	f := newFixture(t, "socket", Options{})
	acme := f.client(tokAcme)
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	must(t, err)
	resp := f.raw("GET", "/repos/acme/data/issues/1", tokAcme, nil, "")
	io.Copy(io.Discard, resp.Body)
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || tag == "" || resp.Header.Get("Cache-Control") != "private, max-age=60, s-maxage=60" {
		t.Fatalf("GET: %d etag %q cc %q", resp.StatusCode, tag, resp.Header.Get("Cache-Control"))
	}
	used := resp.Header.Get("X-RateLimit-Used")
	resp = f.raw("GET", "/repos/acme/data/issues/1", tokAcme, http.Header{"If-None-Match": {tag}}, "")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 304 || len(b) != 0 || resp.Header.Get("X-RateLimit-Used") != used {
		t.Fatalf("conditional: %d body %q used %s→%s", resp.StatusCode, b, used, resp.Header.Get("X-RateLimit-Used"))
	}
	// Another identity sees another ETag.
	resp = f.raw("GET", "/repos/acme/data/issues/1", tokCarol, http.Header{"If-None-Match": {tag}}, "")
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == tag {
		t.Fatalf("carol: %d %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
	// A change changes the ETag.
	_, _, err = acme.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("c")})
	must(t, err)
	resp = f.raw("GET", "/repos/acme/data/issues/1", tokAcme, http.Header{"If-None-Match": {tag}}, "")
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("after change: %d", resp.StatusCode)
	}
	var cond, counted int
	for _, r := range f.srv.Requests() {
		if r.Conditional {
			cond++
		}
		if r.Status == 304 && r.Counted {
			t.Fatalf("304 counted: %+v", r)
		}
		if r.Counted {
			counted++
		}
	}
	if cond != 3 {
		t.Fatalf("conditional requests logged: %d", cond)
	}
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
