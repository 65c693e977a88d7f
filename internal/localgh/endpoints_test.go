package localgh

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
)

// TestCreateTakesLabelObjects: labels on create may be names, objects with a name (as GitHub's
// REST docs allow), or both mixed; anything else is 422.
func TestCreateTakesLabelObjects(t *testing.T) {
	f := newFixture(t, "socket", Options{})
	for _, tc := range []struct {
		labels string
		want   int
		names  string
	}{
		{`[{"name":"x"}]`, 201, "x"},
		{`["a",{"name":"b","color":"ffffff"}]`, 201, "a,b"},
		{`[{"color":"ffffff"}]`, 422, ""},
		{`[1]`, 422, ""},
		{`"a"`, 422, ""},
	} {
		resp := f.raw("POST", "/repos/acme/data/issues", tokAcme, nil, `{"title":"t","labels":`+tc.labels+`}`)
		body := readAll(t, resp)
		if resp.StatusCode != tc.want {
			t.Fatalf("labels %s: %d %s", tc.labels, resp.StatusCode, body)
		}
		if tc.want != 201 {
			continue
		}
		var is github.Issue
		must(t, json.Unmarshal([]byte(body), &is))
		var names []string
		for _, l := range is.Labels {
			names = append(names, l.GetName())
		}
		if got := strings.Join(names, ","); got != tc.names {
			t.Fatalf("labels %s: the issue has %s", tc.labels, got)
		}
	}
}

// TestAssigneesAreKept: assignees given on create and edit (the owner too) are kept, shown,
// survive reopening and compaction; a login that cannot be assigned is 422; a caller without
// push access cannot assign.
func TestAssigneesAreKept(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(unlimited(dir, newFakeClock()))
	must(t, err)
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.AddUser("mallory", tokMallory))
	must(t, srv.CreateRepo("acme", "data", false))
	must(t, srv.SetRole("acme", "data", "carol", Collaborator))
	acme := clientFor(srv, tokAcme)
	is, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Assignees: &[]string{"acme"}})
	must(t, err)
	if is.GetAssignee().GetLogin() != "acme" || len(is.Assignees) != 1 {
		t.Fatalf("created with the owner assigned: %v %v", is.Assignee, is.Assignees)
	}
	_, _, err = acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Assignees: &[]string{"mallory"}})
	if ge := (*github.ErrorResponse)(nil); !asStatus(err, &ge, 422) {
		t.Fatalf("assigning a stranger: %v", err)
	}
	m, _, err := clientFor(srv, tokMallory).Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("m"), Assignees: &[]string{"acme"}})
	must(t, err)
	if len(m.Assignees) != 0 {
		t.Fatalf("a stranger assigned %v", m.Assignees)
	}
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{Assignees: &[]string{"carol", "acme"}})
	must(t, err)
	must(t, srv.Close())

	srv, err = Open(unlimited(dir, newFakeClock()))
	must(t, err)
	got, _, err := clientFor(srv, tokAcme).Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if len(got.Assignees) != 2 || got.Assignees[0].GetLogin() != "carol" || got.GetAssignee().GetLogin() != "carol" {
		t.Fatalf("after reopening: %v", got.Assignees)
	}
	st := srv.impl.st
	srv.impl.mu.Lock()
	dumped := newState()
	for _, m := range st.dump() {
		dumped.apply(m)
	}
	srv.impl.mu.Unlock()
	if a := dumped.repo("acme", "data").issue(1).Assignees; strings.Join(a, ",") != "carol,acme" {
		t.Fatalf("compaction's dump loses assignees: %v", a)
	}
	_, _, err = clientFor(srv, tokAcme).Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{Assignees: &[]string{}})
	must(t, err)
	got, _, err = clientFor(srv, tokAcme).Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if len(got.Assignees) != 0 || got.Assignee != nil {
		t.Fatalf("after clearing: %v", got.Assignees)
	}
	must(t, srv.Close())
}

func asStatus(err error, ge **github.ErrorResponse, status int) bool {
	e, ok := err.(*github.ErrorResponse)
	*ge = e
	return ok && e.Response.StatusCode == status
}

// TestLockAndUnlock: PUT …/lock locks an issue (with its reason) and DELETE unlocks it, for
// those with push access; the issue shows it, across reopening.
func TestLockAndUnlock(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(unlimited(dir, newFakeClock()))
	must(t, err)
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.AddUser("mallory", tokMallory))
	must(t, srv.CreateRepo("acme", "data", false))
	acme := clientFor(srv, tokAcme)
	_, _, err = acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t")})
	must(t, err)
	if _, err := clientFor(srv, tokMallory).Issues.Lock(ctx, "acme", "data", 1, nil); !asStatus(err, new(*github.ErrorResponse), 403) {
		t.Fatalf("a stranger locks: %v", err)
	}
	if _, err := acme.Issues.Lock(ctx, "acme", "data", 1, &github.LockIssueOptions{LockReason: "nonsense"}); !asStatus(err, new(*github.ErrorResponse), 422) {
		t.Fatalf("a bad lock reason: %v", err)
	}
	resp, err := acme.Issues.Lock(ctx, "acme", "data", 1, &github.LockIssueOptions{LockReason: "resolved"})
	must(t, err)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("lock: %d", resp.StatusCode)
	}
	must(t, srv.Close())
	srv, err = Open(unlimited(dir, newFakeClock()))
	must(t, err)
	defer srv.Close()
	acme = clientFor(srv, tokAcme)
	is, _, err := acme.Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if !is.GetLocked() || is.GetActiveLockReason() != "resolved" {
		t.Fatalf("locked issue: locked %v, reason %q", is.GetLocked(), is.GetActiveLockReason())
	}
	_, err = acme.Issues.Unlock(ctx, "acme", "data", 1)
	must(t, err)
	is, _, err = acme.Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if is.GetLocked() || is.ActiveLockReason != nil {
		t.Fatalf("unlocked issue: locked %v, reason %v", is.GetLocked(), is.ActiveLockReason)
	}
}

// TestUnimplementedEndpointsAre501: a GitHub endpoint localgh lacks answers 501 naming it, in
// GitHub's error shape; a path that is no GitHub endpoint is still 404.
func TestUnimplementedEndpointsAre501(t *testing.T) {
	f := newFixture(t, "socket", Options{})
	createIssues(t, f, 1)
	for _, tc := range []struct {
		method, path string
		want         int
		names        string
	}{
		{"GET", "/repos/acme/data/issues/1/events", 501, "GET /repos/{owner}/{repo}/issues/{issue_number}/events"},
		{"GET", "/repos/acme/data/issues/1/timeline", 501, "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline"},
		{"POST", "/repos/acme/data/issues/1/assignees", 501, "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees"},
		{"GET", "/repos/acme/data/issues/events", 501, "GET /repos/{owner}/{repo}/issues/events"},
		{"GET", "/repos/acme/data/pulls", 501, "GET /repos/{owner}/{repo}/pulls"},
		{"GET", "/repos/acme/data/milestones/1", 501, "/repos/{owner}/{repo}/milestones/1"},
		{"PATCH", "/repos/acme/data", 501, "PATCH /repos/{owner}/{repo}"},
		{"GET", "/search/issues", 501, "GET /search/issues"},
		{"GET", "/users/acme", 501, "GET /users/{user}"},
		{"GET", "/repos/acme/data/issues/1/nonsense", 404, ""},
		{"GET", "/nonsense", 404, ""},
		{"GET", "/repos/acme/data/nonsense", 404, ""},
	} {
		resp := f.raw(tc.method, tc.path, tokAcme, nil, "")
		body := readAll(t, resp)
		if resp.StatusCode != tc.want || !strings.Contains(body, tc.names) {
			t.Errorf("%s %s: %d %s, want %d naming %s", tc.method, tc.path, resp.StatusCode, body, tc.want, tc.names)
		}
		var e struct{ Message, DocumentationURL string }
		if json.Unmarshal([]byte(body), &e) != nil || e.Message == "" {
			t.Errorf("%s %s: not GitHub's error shape: %s", tc.method, tc.path, body)
		}
	}
}
