package store

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-github/v66/github"
)

// wireStep is one step of gh-store 0.10.3's recorded wire format (testdata/gh-store-wire).
type wireStep struct {
	issue    *github.Issue
	comments []*github.IssueComment
}

func loadStep(t *testing.T, step string) wireStep {
	t.Helper()
	dir := filepath.Join("testdata", "gh-store-wire", step)
	var ws wireStep
	for name, into := range map[string]any{"issue.json": &ws.issue, "comments.json": &ws.comments} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s/%s: %v", step, name, err)
		}
	}
	return ws
}

// fixtureStore is a Store that sends no request: every author of the fixtures is trusted by
// association or is a stranger, and Login is given.
func fixtureStore(t *testing.T) *storeImpl {
	t.Helper()
	s, err := newImpl(Options{Owner: "acme", Repo: "data", HTTPClient: http.DefaultClient, Login: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readStep(t *testing.T, s *storeImpl, ws wireStep) (*Object, *folded) {
	t.Helper()
	ctx := context.Background()
	es, err := s.entries(ctx, commentsOf(ws.comments))
	if err != nil {
		t.Fatal(err)
	}
	f, err := fold(ws.issue.GetNumber(), ws.issue.GetBody(), ws.issue.GetState() == "open", es)
	if err != nil {
		t.Fatal(err)
	}
	return objectFromFold(issueFromGoGitHub(ws.issue), f), f
}

const step1Data = `{"name":"alice","score":10,"tags":["a","b"],"nested":{"k":"v"},"uni":"h\u00e9llo \u2603","big":9007199254740993,"ratio":0.5,"none":null}`

func TestFixtureStep1Created(t *testing.T) {
	s := fixtureStore(t)
	ws := loadStep(t, "1-created")
	if id, live := objectID(labelNames(ws.issue)); id != "obj-1" || !live {
		t.Fatalf("objectID = %q, %v", id, live)
	}
	// Closed: the body is the state, byte-exact once compacted (raw numbers and \u escapes kept).
	obj, err := objectFromBody(issueFromGoGitHub(ws.issue))
	if err != nil {
		t.Fatal(err)
	}
	if string(obj.Data) != step1Data {
		t.Fatalf("body data\n got %s\nwant %s", obj.Data, step1Data)
	}
	if obj.Version != 1 || obj.Pending != 0 || obj.Issue != 1 || obj.ID != "obj-1" {
		t.Fatalf("obj = %+v", obj)
	}
	// The log says the same.
	fo, f := readStep(t, s, ws)
	if string(fo.Data) != step1Data || !f.hasBase() || f.version != 1 || f.pending != 0 {
		t.Fatalf("fold: %s %+v", fo.Data, f)
	}
}

func TestFixtureStep2PendingAndStranger(t *testing.T) {
	s := fixtureStore(t)
	ws := loadStep(t, "2-update-pending")
	obj, f := readStep(t, s, ws)
	want := `{"name":"alice","score":11,"tags":["c"],"nested":{"k":"v","k2":"v2"},"uni":"h\u00e9llo \u2603","big":9007199254740993,"ratio":0.5,"none":null}`
	if string(obj.Data) != want {
		t.Fatalf("data\n got %s\nwant %s (mallory's {\"score\": 666} must not count)", obj.Data, want)
	}
	if obj.Pending != 1 || obj.Version != 2 {
		t.Fatalf("pending %d version %d, want 1 and 2", obj.Pending, obj.Version)
	}
	if len(f.updates) != 1 || f.updates[0].author != "acme" {
		t.Fatalf("updates = %+v", f.updates)
	}
}

func TestFixtureStep3Processed(t *testing.T) {
	s := fixtureStore(t)
	ws := loadStep(t, "3-processed")
	obj, _ := readStep(t, s, ws)
	body, err := objectFromBody(issueFromGoGitHub(ws.issue))
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(obj.Data, body.Data) || string(obj.Data) != string(body.Data) {
		t.Fatalf("fold %s != body %s", obj.Data, body.Data)
	}
	if obj.Pending != 0 || obj.Version != 2 {
		t.Fatalf("pending %d version %d", obj.Pending, obj.Version)
	}
	// Read as if it were still open: the body witnesses the update as processed.
	es, _ := s.entries(context.Background(), commentsOf(ws.comments))
	f, err := fold(1, ws.issue.GetBody(), true, es)
	if err != nil || f.pending != 0 || !f.processed[0] {
		t.Fatalf("open read of a processed body: %+v, %v", f, err)
	}
}

func TestFixtureStep4DeletedIsNotAnObject(t *testing.T) {
	ws := loadStep(t, "4-deleted")
	id, live := objectID(labelNames(ws.issue))
	if id != "obj-2" || live {
		t.Fatalf("objectID = %q, live %v; want obj-2, not live", id, live)
	}
}

func TestFixtureLegacyAndNonJSONComments(t *testing.T) {
	s := fixtureStore(t)
	ws := loadStep(t, "2-update-pending")
	// A legacy object: no initial-state comment; bare-JSON updates; a non-JSON comment.
	mk := func(id int64, login, assoc, body string, plusOne int) *github.IssueComment {
		c := *ws.comments[1]
		c.ID, c.Body, c.AuthorAssociation = &id, &body, &assoc
		u := *c.User
		u.Login = &login
		c.User = &u
		c.Reactions = &github.Reactions{PlusOne: &plusOne}
		return &c
	}
	issue := *ws.issue
	body := `{"a": 1, "n": {"x": 1}}`
	issue.Body = &body
	comments := []*github.IssueComment{
		mk(10, "acme", "OWNER", `{"a": 2}`, 1),                // +1 in the rollup: in the body already (legacy rule)
		mk(11, "acme", "OWNER", `looks good to me`, 0),        // not JSON: ignored
		mk(12, "acme", "OWNER", `[1, 2]`, 0),                  // JSON, not an object: ignored
		mk(13, "carol", "COLLABORATOR", `{"n": {"y": 2}}`, 0), // pending bare update
		mk(14, "mallory", "NONE", `{"a": 666}`, 0),            // stranger
	}
	obj, f := readStep(t, s, wireStep{issue: &issue, comments: comments})
	if want := `{"a":1,"n":{"x":1,"y":2}}`; string(obj.Data) != want {
		t.Fatalf("legacy fold %s, want %s", obj.Data, want)
	}
	if f.hasBase() || obj.Pending != 1 || obj.Version != 3 {
		t.Fatalf("legacy: %+v pending %d version %d", f, obj.Pending, obj.Version)
	}
}
