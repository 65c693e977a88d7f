package localgh

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

// churn fills dir with a history far longer than its state: every kind of mutation (users and
// tokens, repositories, roles, label creation, edits and deletion, issues created, edited,
// closed, reopened and emptied, comments created, edited and deleted, reactions added and
// removed on issues and comments), then many edits of one issue's body. It returns the highest
// id handed out (a deleted comment's).
func churn(t *testing.T, dir string, clock *fakeClock, bodyEdits int) int64 {
	t.Helper()
	srv, err := Open(unlimited(dir, clock))
	must(t, err)
	defer srv.Close()
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.AddUser("carol", tokCarol))
	must(t, srv.AddUser("mallory", tokMallory))
	must(t, srv.CreateRepo("acme", "data", false))
	must(t, srv.CreateRepo("acme", "secret", true))
	must(t, srv.SetRole("acme", "data", "carol", Collaborator))
	must(t, srv.SetIssuesEnabled("acme", "secret", false))
	acme, carol := clientFor(srv, tokAcme), clientFor(srv, tokCarol)
	tick := func() { clock.Advance(7 * time.Second) }

	_, _, err = acme.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String("kept"), Color: github.String("123456")})
	must(t, err)
	_, _, err = acme.Issues.EditLabel(ctx, "acme", "data", "kept", &github.Label{Color: github.String("654321"), Description: github.String("d")})
	must(t, err)
	_, err = acme.Issues.DeleteLabel(ctx, "acme", "data", "bug")
	must(t, err)

	for i, labels := range [][]string{{"stored-object", "UID:a"}, {"stored-object", "UID:b", "kept"}, nil} {
		tick()
		_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String(fmt.Sprintf("issue %d", i)), Body: github.String(`{"n":0}`), Labels: &labels})
		must(t, err)
	}
	tick()
	c1, _, err := carol.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("first")})
	must(t, err)
	tick()
	_, _, err = acme.Issues.EditComment(ctx, "acme", "data", c1.GetID(), &github.IssueComment{Body: github.String("first, edited")})
	must(t, err)
	tick()
	r1, _, err := acme.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c1.GetID(), "+1")
	must(t, err)
	_, _, err = carol.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c1.GetID(), "heart")
	must(t, err)
	_, err = acme.Reactions.DeleteIssueCommentReaction(ctx, "acme", "data", c1.GetID(), r1.GetID())
	must(t, err)
	_, _, err = acme.Reactions.CreateIssueReaction(ctx, "acme", "data", 2, "rocket")
	must(t, err)
	tick()
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{State: github.String("closed")})
	must(t, err)
	tick()
	_, _, err = carol.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("after closing")})
	must(t, err)
	tick()
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", 2, &github.IssueRequest{State: github.String("closed"), StateReason: github.String("not_planned")})
	must(t, err)
	tick()
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", 2, &github.IssueRequest{State: github.String("open")})
	must(t, err)
	tick()
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", 3, &github.IssueRequest{Body: github.String(""), Labels: &[]string{}})
	must(t, err)
	for i := 0; i < bodyEdits; i++ {
		tick()
		_, _, err = acme.Issues.Edit(ctx, "acme", "data", 2, &github.IssueRequest{Body: github.String(fmt.Sprintf(`{"n":%d}`, i+1))})
		must(t, err)
	}
	tick()
	last, _, err := carol.Issues.CreateComment(ctx, "acme", "data", 2, &github.IssueComment{Body: github.String("deleted")})
	must(t, err)
	_, err = acme.Issues.DeleteComment(ctx, "acme", "data", last.GetID())
	must(t, err)
	return last.GetID()
}

// answers is what the server says of everything in acme/data, as each user sees it.
func answers(t *testing.T, srv *Server) string {
	t.Helper()
	var out bytes.Buffer
	paths := []string{"/user", "/repos/acme/data", "/repos/acme/secret", "/repos/acme/data/labels?per_page=100",
		"/repos/acme/data/issues?state=all&per_page=100"}
	for n := 1; n <= 3; n++ {
		paths = append(paths, fmt.Sprintf("/repos/acme/data/issues/%d/comments", n), fmt.Sprintf("/repos/acme/data/issues/%d/reactions", n))
	}
	for _, tok := range []string{tokAcme, tokCarol, tokMallory} {
		for _, p := range paths {
			req, _ := http.NewRequest("GET", "https://api.github.com"+p, nil)
			req.Header.Set("Authorization", "token "+tok)
			resp, err := srv.Transport().RoundTrip(req)
			must(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Fprintf(&out, "%s %s: %d %s\n%s\n", tok, p, resp.StatusCode, resp.Header.Get("ETag"), body)
		}
	}
	return out.String()
}

// unlimited is a server on dir ("" in memory) with no rate or write limits: the churn writes
// far faster than GitHub's secondary limit allows.
func unlimited(dir string, clock *fakeClock) Options {
	return Options{Dir: dir, Now: clock.Now, RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1}
}

func journalRecords(t *testing.T, dir string) int {
	t.Helper()
	return len(journalHistory(t, dir))
}

// journalHistory is every record of dir's journal, in order.
func journalHistory(t *testing.T, dir string) [][]mutation {
	t.Helper()
	f, err := osFS{}.OpenFile(filepath.Join(dir, journalName), os.O_RDONLY, 0)
	must(t, err)
	defer f.Close()
	var out [][]mutation
	_, err = scanJournal(f, journalName, func(ms []mutation, _ int) { out = append(out, ms) })
	must(t, err)
	return out
}

// TestCompactionKeepsEverything: a journal grown far past its state is rewritten at Open as
// the state's own mutations, and nothing any client can see changes: every answer (bodies,
// ETags, times, ids, roles, reactions, labels) is byte for byte what the full history gave,
// the state equals the full replay's, and new ids go on past every id ever handed out.
func TestCompactionKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	highest := churn(t, dir, clock, 600)
	full := journalHistory(t, dir)
	before := len(full)

	// What the whole history builds, replayed the old way.
	replayed := newState()
	for _, ms := range full {
		for _, m := range ms {
			replayed.apply(m)
		}
	}

	// The first Open after the churn compacts.
	srv, err := Open(unlimited(dir, clock))
	must(t, err)
	must(t, srv.Close())
	after := journalRecords(t, dir)
	if after*10 > before {
		t.Fatalf("journal of %d records compacted to %d: expected far fewer", before, after)
	}

	// The next Open builds its state from the compacted journal alone, and leaves it as it is.
	srv, err = Open(unlimited(dir, clock))
	must(t, err)
	defer srv.Close()
	if n := journalRecords(t, dir); n != after {
		t.Fatalf("second Open rewrote the journal: %d records, then %d", after, n)
	}
	replayed.normalise()
	srv.impl.st.normalise()
	if !reflect.DeepEqual(replayed, srv.impl.st) {
		t.Error("the compacted journal's state differs from the full history's")
	}
	if got, want := answers(t, srv), answersOfHistory(t, full, clock); got != want {
		t.Errorf("answers after compaction differ:\n--- full history\n%s\n--- compacted\n%s", want, got)
	}

	// New ids go on past every id the history handed out, even a deleted comment's.
	cm, _, err := clientFor(srv, tokAcme).Issues.CreateComment(ctx, "acme", "data", 3, &github.IssueComment{Body: github.String("new")})
	must(t, err)
	if cm.GetID() <= highest {
		t.Fatalf("new comment id %d, not past the deleted comment's %d", cm.GetID(), highest)
	}
	if got := journalRecords(t, dir); got != after+1 {
		t.Fatalf("a write after compaction: %d records, want %d", got, after+1)
	}
}

// answersOfHistory serves the full history from memory (no journal, so no compaction: the
// records are applied to the server's state directly) and returns its answers.
func answersOfHistory(t *testing.T, history [][]mutation, clock *fakeClock) string {
	t.Helper()
	srv, err := Open(unlimited("", clock)) // in memory: no journal, no compaction
	must(t, err)
	defer srv.Close()
	srv.impl.mu.Lock()
	for _, ms := range history {
		for _, m := range ms {
			srv.impl.st.apply(m)
		}
	}
	srv.impl.mu.Unlock()
	return answers(t, srv)
}

// TestShortJournalIsNotCompacted: a journal near its state's size is left as written.
func TestShortJournalIsNotCompacted(t *testing.T) {
	dir := t.TempDir()
	churn(t, dir, newFakeClock(), 0)
	before, err := os.ReadFile(filepath.Join(dir, journalName))
	must(t, err)
	srv, err := Open(unlimited(dir, newFakeClock()))
	must(t, err)
	must(t, srv.Close())
	after, err := os.ReadFile(filepath.Join(dir, journalName))
	must(t, err)
	if !bytes.Equal(before, after) {
		t.Fatal("a short journal was rewritten")
	}
}

// TestCompactionLeftoverIsRemoved: a crash during a compaction, before its rename, leaves the
// temporary file beside a whole journal; Open removes it and serves the journal.
func TestCompactionLeftoverIsRemoved(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	churn(t, dir, clock, 0)
	must(t, os.WriteFile(filepath.Join(dir, compactName), []byte("00000000 {\"op\":\"torn"), 0o644))
	srv, err := Open(unlimited(dir, clock))
	must(t, err)
	defer srv.Close()
	if _, err := os.Stat(filepath.Join(dir, compactName)); !os.IsNotExist(err) {
		t.Fatalf("leftover still there: %v", err)
	}
	got, _, err := clientFor(srv, tokAcme).Issues.Get(ctx, "acme", "data", 2)
	must(t, err)
	if got.GetBody() != `{"n":0}` {
		t.Fatalf("issue 2 body %q", got.GetBody())
	}
}
