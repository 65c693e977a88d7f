package localgh

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
)

// TestAccess drives authentication, private repos, strangers' rights and disabled Issues.
func TestAccess(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	must(t, f.srv.CreateRepo("acme", "secret", true))
	must(t, f.srv.CreateRepo("acme", "noissues", false))
	must(t, f.srv.SetIssuesEnabled("acme", "noissues", false))
	acme, carol, mallory, anon := f.client(tokAcme), f.client(tokCarol), f.client(tokMallory), f.client("")
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("by acme")})
	must(t, err)
	_, _, err = acme.Issues.Create(ctx, "acme", "secret", &github.IssueRequest{Title: github.String("secret")})
	must(t, err)

	tests := []struct {
		name string
		call func() error
		want int // 0: success
	}{
		{"anonymous reads public", func() error { _, _, err := anon.Issues.Get(ctx, "acme", "data", 1); return err }, 0},
		{"anonymous writes public", func() error {
			_, _, err := anon.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("x")})
			return err
		}, 401},
		{"anonymous user", func() error { _, _, err := anon.Users.Get(ctx, ""); return err }, 401},
		{"anonymous reads private", func() error { _, _, err := anon.Issues.Get(ctx, "acme", "secret", 1); return err }, 404},
		{"stranger reads private repo", func() error { _, _, err := mallory.Repositories.Get(ctx, "acme", "secret"); return err }, 404},
		{"stranger lists private issues", func() error { _, _, err := mallory.Issues.ListByRepo(ctx, "acme", "secret", nil); return err }, 404},
		{"owner reads private", func() error { _, _, err := acme.Issues.Get(ctx, "acme", "secret", 1); return err }, 0},
		{"bad token", func() error { _, _, err := f.client("nope").Issues.Get(ctx, "acme", "data", 1); return err }, 401},
		{"stranger comments", func() error {
			_, _, err := mallory.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("hi")})
			return err
		}, 0},
		{"stranger reacts", func() error {
			_, _, err := mallory.Reactions.CreateIssueReaction(ctx, "acme", "data", 1, "eyes")
			return err
		}, 0},
		{"stranger edits others' issue", func() error {
			_, _, err := mallory.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{Body: github.String("pwned")})
			return err
		}, 403},
		{"stranger creates label", func() error {
			_, _, err := mallory.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String("x")})
			return err
		}, 403},
		{"collaborator edits owner's issue", func() error {
			_, _, err := carol.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{Body: github.String("ok")})
			return err
		}, 0},
		{"issues disabled", func() error { _, _, err := acme.Issues.ListByRepo(ctx, "acme", "noissues", nil); return err }, 410},
		{"no such repo", func() error { _, _, err := acme.Repositories.Get(ctx, "acme", "nope"); return err }, 404},
		{"no such issue", func() error { _, _, err := acme.Issues.Get(ctx, "acme", "data", 99); return err }, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if got := ghStatus(err); got != tc.want || (tc.want == 0 && err != nil) {
				t.Fatalf("status %d (err %v), want %d", got, err, tc.want)
			}
		})
	}

	// Error bodies are GitHub's: message, documentation_url, status as a string.
	resp := f.raw("GET", "/repos/acme/noissues/issues", tokAcme, nil, "")
	var body map[string]any
	must(t, json.NewDecoder(resp.Body).Decode(&body))
	if body["message"] != "Issues are disabled for this repo" || body["status"] != "410" || body["documentation_url"] == nil {
		t.Fatalf("410 body %v", body)
	}
	resp = f.raw("GET", "/repos/acme/data", "nope", nil, "")
	must(t, json.NewDecoder(resp.Body).Decode(&body))
	if resp.StatusCode != 401 || body["message"] != "Bad credentials" {
		t.Fatalf("401 body %v", body)
	}
}

// TestStrangerIssues: a stranger's own issue takes no labels, and is theirs to edit.
func TestStrangerIssues(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	mallory := f.client(tokMallory)
	is, _, err := mallory.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("spam"), Labels: &[]string{"stored-object", "bug"}})
	must(t, err)
	if len(is.Labels) != 0 || is.GetAuthorAssociation() != "NONE" {
		t.Fatalf("stranger's issue: labels %v association %q", is.Labels, is.GetAuthorAssociation())
	}
	if _, _, err := f.client(tokAcme).Issues.GetLabel(ctx, "acme", "data", "stored-object"); ghStatus(err) != 404 {
		t.Fatalf("stranger created a label: %v", err)
	}
	ed, _, err := mallory.Issues.Edit(ctx, "acme", "data", is.GetNumber(), &github.IssueRequest{Body: github.String("mine"), Labels: &[]string{"bug"}})
	must(t, err)
	if ed.GetBody() != "mine" || len(ed.Labels) != 0 {
		t.Fatalf("author edit: %+v", ed)
	}
	c, _, err := f.client(tokAcme).Issues.CreateComment(ctx, "acme", "data", is.GetNumber(), &github.IssueComment{Body: github.String("owner's")})
	must(t, err)
	if _, _, err := mallory.Issues.EditComment(ctx, "acme", "data", c.GetID(), &github.IssueComment{Body: github.String("x")}); ghStatus(err) != 403 {
		t.Fatalf("stranger edited owner's comment: %v", err)
	}
	if _, err := mallory.Issues.DeleteComment(ctx, "acme", "data", c.GetID()); ghStatus(err) != 403 {
		t.Fatalf("stranger deleted owner's comment: %v", err)
	}
}

// TestTokens: token and Bearer schemes, and AnyTokenAs.
func TestTokens(t *testing.T) {
	srv, err := Open(Options{AnyTokenAs: "acme", Now: newFakeClock().Now})
	must(t, err)
	defer srv.Close()
	must(t, srv.CreateRepo("acme", "data", true))
	for _, auth := range []string{"token whatever", "Bearer whatever", "bearer x"} {
		req, _ := http.NewRequest("GET", "https://api.github.com/user", nil)
		req.Header.Set("Authorization", auth)
		resp, err := srv.Transport().RoundTrip(req)
		must(t, err)
		var u map[string]any
		must(t, json.NewDecoder(resp.Body).Decode(&u))
		if resp.StatusCode != 200 || u["login"] != "acme" {
			t.Fatalf("%s: %d %v", auth, resp.StatusCode, u["login"])
		}
	}
	req, _ := http.NewRequest("GET", "https://api.github.com/repos/acme/data", nil)
	resp, err := srv.Transport().RoundTrip(req)
	must(t, err)
	if resp.StatusCode != 404 {
		t.Fatalf("anonymous on private with AnyTokenAs: %d", resp.StatusCode)
	}
}

// TestValidation: GitHub's 422s.
func TestValidation(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	acme := f.client(tokAcme)
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	must(t, err)
	long := strings.Repeat("é", maxBodyChars+1)
	okLen := strings.Repeat("é", maxBodyChars)
	tests := []struct {
		name  string
		call  func() error
		field string
		code  string
	}{
		{"missing title", func() error {
			_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Body: github.String("b")})
			return err
		}, "title", "missing_field"},
		{"issue body too long", func() error {
			_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Body: &long})
			return err
		}, "body", "custom"},
		{"patched body too long", func() error {
			_, _, err := acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{Body: &long})
			return err
		}, "body", "custom"},
		{"comment too long", func() error {
			_, _, err := acme.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: &long})
			return err
		}, "body", "custom"},
		{"label name too long", func() error {
			_, _, err := acme.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String(strings.Repeat("x", 51))})
			return err
		}, "name", "invalid"},
		{"label on issue too long", func() error {
			_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Labels: &[]string{strings.Repeat("x", 51)}})
			return err
		}, "name", "invalid"},
		{"label exists (case-insensitive)", func() error {
			_, _, err := acme.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String("BUG")})
			return err
		}, "name", "already_exists"},
		{"unknown reaction", func() error {
			_, _, err := acme.Reactions.CreateIssueReaction(ctx, "acme", "data", 1, "thumbsup")
			return err
		}, "content", "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var er *github.ErrorResponse
			if !asErr(err, &er) || er.Response.StatusCode != 422 || er.Message != "Validation Failed" || len(er.Errors) != 1 {
				t.Fatalf("got %v", err)
			}
			if e := er.Errors[0]; e.Field != tc.field || e.Code != tc.code || e.Resource == "" {
				t.Fatalf("error %+v, want field %s code %s", e, tc.field, tc.code)
			}
		})
	}
	// Exactly the limit is fine.
	_, _, err = acme.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: &okLen})
	must(t, err)
	resp := f.raw("POST", "/repos/acme/data/issues", tokAcme, nil, "{not json")
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 400 {
		t.Fatalf("bad JSON: %d", resp.StatusCode)
	}
}
