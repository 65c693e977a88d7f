package localgh

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

// TestPagination: per_page default 30 and max 100, Link next/last/prev/first with the request's
// own host and prefix, through go-github's Response fields.
func TestPagination(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t, mode, Options{WritesPerMinute: -1, WritesPerHour: -1})
			acme := f.client(tokAcme)
			for i := 1; i <= 105; i++ {
				_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String(fmt.Sprint("i", i))})
				must(t, err)
			}
			list, resp, err := acme.Issues.ListByRepo(ctx, "acme", "data", nil)
			must(t, err)
			if len(list) != 30 || resp.NextPage != 2 || resp.LastPage != 4 || resp.PrevPage != 0 || list[0].GetNumber() != 105 {
				t.Fatalf("default page: %d items next %d last %d first #%d", len(list), resp.NextPage, resp.LastPage, list[0].GetNumber())
			}
			link := resp.Header.Get("Link")
			wantPrefix := "<https://api.github.com/repos/acme/data/issues?"
			if f.base != "" {
				wantPrefix = "<" + f.base + "/repos/acme/data/issues?"
				if mode == "enterprise" {
					wantPrefix = "<" + f.base + "/api/v3/repos/acme/data/issues?"
				}
			}
			if !strings.HasPrefix(link, wantPrefix) {
				t.Fatalf("Link %q, want prefix %q", link, wantPrefix)
			}
			list, resp, err = acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{ListOptions: github.ListOptions{PerPage: 1000, Page: 1}})
			must(t, err)
			if len(list) != 100 || resp.NextPage != 2 || resp.LastPage != 2 {
				t.Fatalf("clamped page: %d next %d last %d", len(list), resp.NextPage, resp.LastPage)
			}
			list, resp, err = acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{ListOptions: github.ListOptions{PerPage: 100, Page: 2}})
			must(t, err)
			if len(list) != 5 || resp.NextPage != 0 || resp.PrevPage != 1 || resp.FirstPage != 1 {
				t.Fatalf("last page: %d next %d prev %d first %d", len(list), resp.NextPage, resp.PrevPage, resp.FirstPage)
			}
		})
	}
}

// TestListFilters: state, labels (AND, case-insensitive), since (updated_at, inclusive), sort and
// direction; comments since and ascending.
func TestListFilters(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	acme := f.client(tokAcme)
	mk := func(title string, labels ...string) *github.Issue {
		is, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: &title, Labels: &labels})
		must(t, err)
		f.clock.Advance(time.Minute)
		return is
	}
	a := mk("a", "x", "y")
	b := mk("b", "x")
	c := mk("c", "Y")
	_, _, err := acme.Issues.CreateComment(ctx, "acme", "data", a.GetNumber(), &github.IssueComment{Body: github.String("bump")})
	must(t, err)
	bumped := f.clock.Now()
	f.clock.Advance(time.Minute)
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", b.GetNumber(), &github.IssueRequest{State: github.String("closed")})
	must(t, err)

	nums := func(opts *github.IssueListByRepoOptions) string {
		list, _, err := acme.Issues.ListByRepo(ctx, "acme", "data", opts)
		must(t, err)
		var out []string
		for _, is := range list {
			out = append(out, fmt.Sprint(is.GetNumber()))
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name string
		opts *github.IssueListByRepoOptions
		want string
	}{
		{"default open, newest first", nil, "3,1"},
		{"all", &github.IssueListByRepoOptions{State: "all"}, "3,2,1"},
		{"closed", &github.IssueListByRepoOptions{State: "closed"}, "2"},
		{"labels AND", &github.IssueListByRepoOptions{State: "all", Labels: []string{"x", "y"}}, "1"},
		{"labels case-insensitive", &github.IssueListByRepoOptions{State: "all", Labels: []string{"X"}}, "2,1"},
		{"since inclusive", &github.IssueListByRepoOptions{State: "all", Since: bumped}, "2,1"},
		{"sort updated asc", &github.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "asc"}, "3,1,2"},
		{"sort comments", &github.IssueListByRepoOptions{State: "all", Sort: "comments"}, "1,3,2"},
		{"created asc", &github.IssueListByRepoOptions{State: "all", Direction: "asc"}, "1,2,3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nums(tc.opts); got != tc.want {
				t.Fatalf("got %s want %s", got, tc.want)
			}
		})
	}
	_ = c
	c1, _, err := acme.Issues.CreateComment(ctx, "acme", "data", 3, &github.IssueComment{Body: github.String("1")})
	must(t, err)
	f.clock.Advance(time.Minute)
	c2, _, err := acme.Issues.CreateComment(ctx, "acme", "data", 3, &github.IssueComment{Body: github.String("2")})
	must(t, err)
	cs, _, err := acme.Issues.ListComments(ctx, "acme", "data", 3, &github.IssueListCommentsOptions{Since: timePtr(c2.GetCreatedAt().Time)})
	must(t, err)
	if len(cs) != 1 || cs[0].GetID() != c2.GetID() {
		t.Fatalf("comments since: %v", cs)
	}
	cs, _, err = acme.Issues.ListComments(ctx, "acme", "data", 3, nil)
	must(t, err)
	if len(cs) != 2 || cs[0].GetID() != c1.GetID() || cs[1].GetID() != c2.GetID() {
		t.Fatalf("comments order: %v", cs)
	}
	all, _, err := acme.Issues.ListComments(ctx, "acme", "data", 0, nil)
	must(t, err)
	if len(all) != 3 {
		t.Fatalf("repo comments: %d", len(all))
	}
	got, _, err := acme.Issues.GetComment(ctx, "acme", "data", c1.GetID())
	must(t, err)
	if got.GetBody() != "1" {
		t.Fatalf("get comment %q", got.GetBody())
	}
	ed, _, err := acme.Issues.EditComment(ctx, "acme", "data", c1.GetID(), &github.IssueComment{Body: github.String("1b")})
	must(t, err)
	if ed.GetBody() != "1b" || !ed.GetUpdatedAt().After(ed.GetCreatedAt().Time) {
		t.Fatalf("edited comment %+v", ed)
	}
}

// TestLabels: auto-creation (ededed) by push users, PATCH replaces, CRUD, and issue labels.
func TestLabels(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	acme := f.client(tokAcme)
	is, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Labels: &[]string{"UID:Obj-1", "Bug"}})
	must(t, err)
	if len(is.Labels) != 2 || is.Labels[0].GetName() != "bug" || is.Labels[1].GetName() != "UID:Obj-1" {
		t.Fatalf("labels %v", is.Labels)
	}
	l, _, err := acme.Issues.GetLabel(ctx, "acme", "data", "uid:obj-1")
	must(t, err)
	if l.GetColor() != "ededed" || l.GetName() != "UID:Obj-1" || l.GetDefault() {
		t.Fatalf("auto label %+v", l)
	}
	ed, _, err := acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{Labels: &[]string{"archived"}})
	must(t, err)
	if len(ed.Labels) != 1 || ed.Labels[0].GetName() != "archived" {
		t.Fatalf("replaced labels %v", ed.Labels)
	}
	nl, resp, err := acme.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String("new"), Color: github.String("00ff00"), Description: github.String("d")})
	must(t, err)
	if resp.StatusCode != 201 || nl.GetColor() != "00ff00" || nl.GetDescription() != "d" {
		t.Fatalf("created label %d %+v", resp.StatusCode, nl)
	}
	ls, _, err := acme.Issues.ListLabels(ctx, "acme", "data", nil)
	must(t, err)
	if len(ls) != 9+3 {
		t.Fatalf("label count %d", len(ls))
	}
	got, _, err := acme.Issues.AddLabelsToIssue(ctx, "acme", "data", 1, []string{"new", "fresh"})
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("add labels %v", got)
	}
	got, _, err = acme.Issues.ListLabelsByIssue(ctx, "acme", "data", 1, nil)
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("issue labels %v", got)
	}
	_, err = acme.Issues.RemoveLabelForIssue(ctx, "acme", "data", 1, "fresh")
	must(t, err)
	_, err = acme.Issues.DeleteLabel(ctx, "acme", "data", "new")
	must(t, err)
	is, _, err = acme.Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if len(is.Labels) != 1 {
		t.Fatalf("after delete: %v", is.Labels)
	}
	if _, err := acme.Issues.DeleteLabel(ctx, "acme", "data", "new"); ghStatus(err) != 404 {
		t.Fatalf("delete missing: %v", err)
	}
	resp2 := f.raw("GET", "/repos/acme/data/labels/UID%3AObj-1", tokAcme, nil, "")
	io.Copy(io.Discard, resp2.Body)
	if resp2.StatusCode != 200 {
		t.Fatalf("escaped label name: %d", resp2.StatusCode)
	}
}

func timePtr(t time.Time) *time.Time { return &t }
