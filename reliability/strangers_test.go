package reliability

import (
	"testing"

	"github.com/google/go-github/v66/github"
)

// TestStrangersChangeNothing: on a public repository, a stranger (mallory) opens an issue that
// copies an object's labels and title, comments a gh-store-shaped update and a bare-JSON update on
// the object, and puts +1 on a pending update and on her own comments. Nothing of it changes what
// the object reads as, through the store and through a fresh *sql.DB; and mallory's own token,
// through the driver, cannot write an object others read as data.
func TestStrangersChangeNothing(t *testing.T) {
	w := newSQLWorld(t)
	owner := w.open(secretToken, "apply=async")
	must(t, execAffecting(w.ctx, owner, 1, `INSERT INTO objects (id, data) VALUES ('k', '{"v":1,"role":"user"}')`))
	// An async update stays pending (issue open, comment without +1).
	must(t, execAffecting(w.ctx, owner, 1, `UPDATE objects SET v = 2 WHERE id = 'k'`))
	want := `{"v":2,"role":"user"}`

	evil := w.rawClient(malloryToken)
	title, body := "Stored Object: k", `{"v":666,"role":"admin"}`
	labels := []string{"gh-store", "stored-object", "UID:k"}
	_, _, err := evil.Issues.Create(w.ctx, repoOwner, repoName, &github.IssueRequest{Title: &title, Body: &body, Labels: &labels})
	must(t, err)
	for _, c := range []string{
		`{"_data":{"role":"admin"},"_meta":{"client_version":"0.10.3","timestamp":"2026-12-01T09:00:00Z","update_mode":"append","issue_number":1}}`,
		`{"_data":{"v":0},"_meta":{"client_version":"0.10.3","timestamp":"2026-12-01T09:00:00Z","update_mode":"replace","issue_number":1}}`,
		`{"role":"admin"}`,
		`{"_data":{"evil":true},"_meta":{},"type":"initial_state"}`,
	} {
		cm, _, err := evil.Issues.CreateComment(w.ctx, repoOwner, repoName, 1, &github.IssueComment{Body: &c})
		must(t, err)
		_, _, err = evil.Reactions.CreateIssueCommentReaction(w.ctx, repoOwner, repoName, cm.GetID(), "+1")
		must(t, err)
	}
	comments, _, err := evil.Issues.ListComments(w.ctx, repoOwner, repoName, 1, nil)
	must(t, err)
	for _, c := range comments {
		_, _, err := evil.Reactions.CreateIssueCommentReaction(w.ctx, repoOwner, repoName, c.GetID(), "+1")
		must(t, err)
	}

	check := func(when string) {
		t.Helper()
		got, err := readObject(w.ctx, w.open(auditorToken, "trusted=acme"), "k")
		must(t, err)
		if !sameJSON([]byte(got), []byte(want)) {
			t.Errorf("%s: a fresh *sql.DB reads k as %s, want %s", when, got, want)
		}
		o, err := w.store(carolToken).Get(w.ctx, "k")
		must(t, err)
		if !sameJSON(o.Data, []byte(want)) {
			t.Errorf("%s: the store reads k as %s, want %s", when, o.Data, want)
		}
		var n int
		must(t, w.open(auditorToken, "trusted=acme").QueryRowContext(w.ctx, `SELECT COUNT(*) FROM objects`).Scan(&n))
		if n != 1 {
			t.Errorf("%s: %d objects, want 1 (a stranger's issue is no object)", when, n)
		}
	}
	check("pending")
	_, err = w.store(secretToken).ProcessAll(w.ctx)
	must(t, err)
	check("processed")

	// Mallory through the driver: her writes are refused or land where no trusting reader sees them.
	mdb := w.open(malloryToken, "")
	_, _ = mdb.ExecContext(w.ctx, `UPDATE objects SET role = 'admin' WHERE id = 'k'`)
	_, _ = mdb.ExecContext(w.ctx, `INSERT INTO objects (id, data) VALUES ('m', '{"evil":true}')`)
	check("after mallory's statements")
	if got, err := readObject(w.ctx, w.open(auditorToken, "trusted=acme"), "m"); err != nil || got != "" {
		t.Errorf("mallory's INSERT reads as %s (%v) to a reader trusting acme", orAbsent(got), err)
	}
	for _, p := range w.inspect().Problems {
		t.Errorf("oracle: %s", p)
	}
}
