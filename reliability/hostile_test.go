package reliability

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	_ "github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/store"
)

// Hostile input, through the store API and through database/sql, against localgh: every case
// ends in a clear error or a defined reading, never a panic, and never changes another object's
// issue or comments (compared byte for byte before and after each case).
//
// Readings defined here (and in RELIABILITY.md):
//   - A repeated key: its last value, at its first place (as Python's json, gh-store and
//     encoding/json read it); what ghstore writes back has each key once. SQL sees the store's
//     reading, so store and query agree.
//   - Numbers are kept as written (1e999, -0, 1e-400, 9007199254740993) and compare by exact
//     value (-0 = 0: an update from 0 to -0 changes nothing). NaN and Infinity are not JSON.
//   - Data that is not valid UTF-8 is refused (GitHub would store U+FFFD instead).
//   - A value nested 10,000 deep is valid JSON but can never be written (indented, it passes
//     65,536 characters at about 182 levels): ErrTooLarge, before any request. One deeper than
//     encoding/json's 10,000 is not JSON: ErrInvalidData. Written by hand into a log, it reads.

// issueState is everything of an issue another object's write must not touch.
type issueState struct {
	Title, Body, State string
	Labels             []string
	Comments           []string // id, author, body and reactions of each comment
	Reactions          string
}

// issueStates reads the issues numbered nums (and their comments) as the auditor.
func (w *world) issueStates(nums ...int) map[int]issueState {
	w.t.Helper()
	gh := w.rawClient(auditorToken)
	out := map[int]issueState{}
	for _, n := range nums {
		iss, _, err := gh.Issues.Get(w.ctx, repoOwner, repoName, n)
		must(w.t, err)
		st := issueState{Title: iss.GetTitle(), Body: iss.GetBody(), State: iss.GetState(), Reactions: mustJSON(iss.Reactions)}
		for _, l := range iss.Labels {
			st.Labels = append(st.Labels, l.GetName())
		}
		cs, _, err := gh.Issues.ListComments(w.ctx, repoOwner, repoName, n, &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
		must(w.t, err)
		for _, c := range cs {
			st.Comments = append(st.Comments, fmt.Sprintf("%d %s %q %s", c.GetID(), c.GetUser().GetLogin(), c.GetBody(), mustJSON(c.Reactions)))
		}
		out[n] = st
	}
	return out
}

// requestCount is how many requests the server has answered.
func (w *world) requestCount() int { return len(w.srv.Requests()) }

// writesSince counts the content-creating requests after the first n.
func (w *world) writesSince(n int) int {
	c := 0
	for _, r := range w.srv.Requests()[n:] {
		if r.Creating {
			c++
		}
	}
	return c
}

func nested(depth int, inner string) string {
	return strings.Repeat(`{"a":`, depth) + inner + strings.Repeat(`}`, depth)
}

func TestHostileInput(t *testing.T) {
	w := newSQLWorld(t)
	s := w.store(secretToken, func(o *store.Options) { o.Login = "acme" })
	db := w.open(secretToken, "")
	owner := w.rawClient(secretToken)
	ctx := w.ctx

	// Bystanders: objects no case may touch.
	var bystanders []int
	for i, data := range []string{`{"v":1,"nested":{"a":[1,2]}}`, `{"s":"x","u":"é😀"}`} {
		o, err := s.Create(ctx, fmt.Sprintf("keep%d", i), json.RawMessage(data))
		must(t, err)
		bystanders = append(bystanders, o.Issue)
	}
	_, err := s.Update(ctx, "keep1", json.RawMessage(`{"s":"y"}`))
	must(t, err)

	// refused: err must wrap want, and no request may have been sent.
	refused := func(t *testing.T, want error, op func() error) {
		t.Helper()
		before := w.requestCount()
		err := op()
		if !errors.Is(err, want) {
			t.Fatalf("got %v, want %v", err, want)
		}
		if n := w.requestCount() - before; n != 0 {
			t.Fatalf("%d requests sent before refusing (%v)", n, err)
		}
	}
	// refusedWrite: an update that needs the current state to be judged is refused after reading,
	// before any write.
	refusedWrite := func(t *testing.T, want error, op func() error) {
		t.Helper()
		before := w.requestCount()
		if err := op(); !errors.Is(err, want) {
			t.Fatalf("got %v, want %v", err, want)
		}
		if n := w.writesSince(before); n != 0 {
			t.Fatalf("%d writes sent before refusing", n)
		}
	}
	reads := func(t *testing.T, id, want string) {
		t.Helper()
		o, err := s.Get(ctx, id)
		must(t, err)
		if string(o.Data) != want {
			t.Fatalf("the store reads %q as %s, want %s", id, o.Data, want)
		}
		got, err := readObject(ctx, db, id)
		must(t, err)
		if got != want && !sameJSON([]byte(got), []byte(want)) {
			t.Fatalf("SQL reads %q as %s, want %s", id, got, want)
		}
	}
	sqlRefuses := func(t *testing.T, query string, args ...any) {
		t.Helper()
		before := w.requestCount()
		if _, err := db.ExecContext(ctx, query, args...); err == nil {
			t.Fatalf("%s %q: no error", query, args)
		} else if n := w.writesSince(before); n != 0 {
			// (An UPDATE reads its rows before it judges the new data: reads are allowed.)
			t.Fatalf("%s: %d writes sent before refusing (%v)", query, n, err)
		}
	}
	// handWritten makes a closed object whose body and comments the owner wrote through go-github.
	handWritten := func(t *testing.T, id, body string, comments ...string) int {
		t.Helper()
		title, labels := "Stored Object: "+id, []string{"gh-store", "stored-object", "UID:" + id}
		iss, _, err := owner.Issues.Create(ctx, repoOwner, repoName, &github.IssueRequest{Title: &title, Body: &body, Labels: &labels})
		must(t, err)
		for _, c := range comments {
			_, _, err := owner.Issues.CreateComment(ctx, repoOwner, repoName, iss.GetNumber(), &github.IssueComment{Body: &c})
			must(t, err)
		}
		closed := "closed"
		_, _, err = owner.Issues.Edit(ctx, repoOwner, repoName, iss.GetNumber(), &github.IssueRequest{State: &closed})
		must(t, err)
		return iss.GetNumber()
	}
	setState := func(t *testing.T, n int, state string) {
		t.Helper()
		_, _, err := owner.Issues.Edit(ctx, repoOwner, repoName, n, &github.IssueRequest{State: &state})
		must(t, err)
	}
	initial := func(data string) string {
		return `{"_data":` + data + `,"_meta":{"client_version":"0.10.3","timestamp":"2026-12-01T09:00:00Z","update_mode":"append","issue_number":0},"type":"initial_state"}`
	}

	cases := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"nested 10,000 deep in data", func(t *testing.T) {
			refused(t, store.ErrTooLarge, func() error { _, err := s.Create(ctx, "deep", json.RawMessage(nested(10000, "1"))); return err })
			refused(t, store.ErrInvalidData, func() error { _, err := s.Create(ctx, "deep", json.RawMessage(nested(10001, "1"))); return err })
			refused(t, store.ErrTooLarge, func() error { _, err := s.Update(ctx, "keep0", json.RawMessage(nested(9999, "{}"))); return err })
			refused(t, store.ErrTooLarge, func() error { _, err := s.Create(ctx, "deep", json.RawMessage(nested(200, "1"))); return err })
			sqlRefuses(t, `INSERT INTO objects (id, data) VALUES ('deep', ?)`, nested(10000, "1"))
			sqlRefuses(t, `UPDATE objects SET data = ? WHERE id = 'keep0'`, nested(10001, "1"))
			_, err := s.Create(ctx, "deep150", json.RawMessage(nested(150, "1"))) // indented, fits
			must(t, err)
			reads(t, "deep150", nested(150, "1"))
		}},
		{"nested 10,000 deep in a body and a comment by the owner", func(t *testing.T) {
			deep := nested(10000, "1")
			n := handWritten(t, "deepbody", deep)
			reads(t, "deepbody", deep) // a legacy object: its body is its state
			m := handWritten(t, "deeplog", `{}`, initial(`{}`), `{"_data":{"x":`+nested(9990, "2")+`},"_meta":{"update_mode":"append"}}`)
			setState(t, m, "open") // pending: readers fold the log
			reads(t, "deeplog", `{"x":`+nested(9990, "2")+`}`)
			if _, err := s.Process(ctx, m); !errors.Is(err, store.ErrTooLarge) {
				t.Fatalf("processing a fold too deep to indent: %v, want ErrTooLarge", err)
			}
			refusedWrite(t, store.ErrTooLarge, func() error { _, err := s.Update(ctx, "deeplog", json.RawMessage(`{"y":1}`)); return err })
			reads(t, "deeplog", `{"x":`+nested(9990, "2")+`}`)
			_ = n
		}},
		{"huge arrays", func(t *testing.T) {
			arr := func(n int) string { return `{"a":[` + strings.TrimSuffix(strings.Repeat("0,", n), ",") + `]}` }
			refused(t, store.ErrTooLarge, func() error { _, err := s.Create(ctx, "arr", json.RawMessage(arr(30000))); return err })
			refused(t, store.ErrTooLarge, func() error { _, err := s.Create(ctx, "arr", json.RawMessage(arr(2_000_000))); return err })
			refused(t, store.ErrTooLarge, func() error { _, err := s.Update(ctx, "keep0", json.RawMessage(arr(2_000_000))); return err })
			sqlRefuses(t, `INSERT INTO objects (id, data) VALUES ('arr', ?)`, arr(2_000_000))
		}},
		{"duplicate keys: the last value, at its first place", func(t *testing.T) {
			_, err := s.Create(ctx, "dup", json.RawMessage(`{"a":1,"b":{"c":1,"c":{"d":1}},"a":2}`))
			must(t, err)
			reads(t, "dup", `{"a":2,"b":{"c":{"d":1}}}`)
			var a int
			must(t, db.QueryRowContext(ctx, `SELECT data->>'$.a' FROM objects WHERE id = 'dup'`).Scan(&a))
			if a != 2 {
				t.Fatalf("SQL reads dup's a as %d, want 2", a)
			}
			must(t, execAffecting(ctx, db, 1, `INSERT INTO objects (id, data) VALUES ('dup2', '{"k":"first","k":"last"}')`))
			reads(t, "dup2", `{"k":"last"}`)
			handWritten(t, "dup3", `{"k":1,"k":2}`)
			reads(t, "dup3", `{"k":2}`)
		}},
		{"invalid UTF-8", func(t *testing.T) {
			refused(t, store.ErrInvalidData, func() error { _, err := s.Create(ctx, "bad", json.RawMessage("{\"s\":\"\xff\"}")); return err })
			refused(t, store.ErrInvalidData, func() error { _, err := s.Create(ctx, "bad", json.RawMessage("{\"\xc3\":1}")); return err })
			refused(t, store.ErrInvalidData, func() error {
				_, err := s.Update(ctx, "keep0", json.RawMessage("{\"s\":\"\xed\xa0\x80\"}"))
				return err
			})
			refused(t, store.ErrInvalidID, func() error { _, err := s.Create(ctx, "bad\xff", json.RawMessage(`{}`)); return err })
			refused(t, store.ErrInvalidID, func() error { _, err := s.Get(ctx, "bad\xff"); return err })
			sqlRefuses(t, `INSERT INTO objects (id, data) VALUES ('bad', ?)`, "{\"s\":\"\xff\"}")
			sqlRefuses(t, `INSERT INTO objects (id, data) VALUES (?, '{}')`, "bad\xff")
			// GitHub's bodies are UTF-8: what a client sends as bad bytes arrives as U+FFFD.
			handWritten(t, "badbody", "{\"s\":\"\xff\"}")
			reads(t, "badbody", `{"s":"`+"\uFFFD"+`"}`)
		}},
		{"NaN-like numbers", func(t *testing.T) {
			for _, n := range []string{"NaN", "Infinity", "-Infinity", "+1", "0x10", ".5", "01"} {
				refused(t, store.ErrInvalidData, func() error { _, err := s.Create(ctx, "num", json.RawMessage(`{"n":`+n+`}`)); return err })
				sqlRefuses(t, `INSERT INTO objects (id, data) VALUES ('num', ?)`, `{"n":`+n+`}`)
			}
			data := `{"huge":1e999,"neg0":-0,"tiny":1e-400,"big":9007199254740993,"exp":1E+2}`
			_, err := s.Create(ctx, "num", json.RawMessage(data))
			must(t, err)
			reads(t, "num", data)
			o, err := s.Update(ctx, "num", json.RawMessage(`{"neg0":0,"exp":100,"tiny":1e-400}`)) // equal values: no change
			must(t, err)
			if o.Version != 1 || string(o.Data) != data {
				t.Fatalf("an update to equal numbers wrote: version %d, %s", o.Version, o.Data)
			}
			var n int
			must(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM objects WHERE id = 'num' AND big = 9007199254740993`).Scan(&n))
			if n != 1 {
				t.Fatalf("9007199254740993 does not compare exactly through SQL")
			}
			rows, err := db.QueryContext(ctx, `SELECT huge, neg0, tiny, data->'$.huge' FROM objects WHERE id = 'num'`)
			must(t, err)
			for rows.Next() {
				var a, b, c, d any
				must(t, rows.Scan(&a, &b, &c, &d))
			}
			rows.Close() // a value or an error: no panic
		}},
		{"ids at and past the limits", func(t *testing.T) {
			ok := []string{strings.Repeat("i", 46), strings.Repeat("é", 46), strings.Repeat("😀", 46), "日本語", "a b", "a/b", "a?b&c=d#e", "%2C", "UID:x", "..", "a\u200bb", "Ünïcødé"}
			for _, id := range ok {
				_, err := s.Create(ctx, id, json.RawMessage(`{"id":`+string(mustMarshal(id))+`}`))
				if err != nil {
					t.Fatalf("Create(%q): %v", id, err)
				}
				reads(t, id, `{"id":`+string(mustMarshal(id))+`}`)
			}
			bad := []string{"", strings.Repeat("i", 47), strings.Repeat("é", 47), "a,b", "a\x00b", "a\nb", "a\x7fb", "a\u0085b", " a", "a ", "a\u00a0", "\u3000a", "\tb"}
			for _, id := range bad {
				refused(t, store.ErrInvalidID, func() error { _, err := s.Create(ctx, id, json.RawMessage(`{}`)); return err })
				refused(t, store.ErrInvalidID, func() error { _, err := s.Update(ctx, id, json.RawMessage(`{}`)); return err })
				refused(t, store.ErrInvalidID, func() error { return s.Delete(ctx, id) })
				sqlRefuses(t, `INSERT INTO objects (id, data) VALUES (?, '{}')`, id)
			}
		}},
		{"65,536 characters once indented, and one over", func(t *testing.T) {
			for _, ch := range []string{"x", "é"} { // characters and bytes
				// Create: the initial-state comment (the state, indented one level deeper, in its
				// envelope) is the larger text.
				e0 := len(indentedJSON(`{"_data":{"s":""},"_meta":{"client_version":"ghstore/0.1.0","timestamp":"2026-12-01T09:00:00.000000Z","update_mode":"append","issue_number":2147483647},"type":"initial_state"}`))
				limit := (store.MaxBodySize - e0) / len(ch)
				id := "max" + fmt.Sprint(len(ch))
				refused(t, store.ErrTooLarge, func() error {
					_, err := s.Create(ctx, id, json.RawMessage(`{"s":"`+strings.Repeat(ch, limit+1)+`"}`))
					return err
				})
				_, err := s.Create(ctx, id, json.RawMessage(`{"s":"`+strings.Repeat(ch, limit)+`"}`))
				must(t, err)
				// Update: the body after it is the larger text; exactly 65,536, then one over.
				body := func(n int) []byte {
					return indentedJSON(`{"s":"` + strings.Repeat(ch, limit) + `","t":"` + strings.Repeat(ch, n) + `"}`)
				}
				room := (store.MaxBodySize - len(body(0))) / len(ch)
				refusedWrite(t, store.ErrTooLarge, func() error {
					_, err := s.Update(ctx, id, json.RawMessage(`{"t":"`+strings.Repeat(ch, room+1)+`"}`))
					return err
				})
				o, err := s.Update(ctx, id, json.RawMessage(`{"t":"`+strings.Repeat(ch, room)+`"}`))
				must(t, err)
				iss := w.issueStates(o.Issue)[o.Issue]
				if n := max(len(iss.Body), len([]rune(iss.Body))); n > store.MaxBodySize || n < store.MaxBodySize-1 {
					t.Fatalf("the body at the limit is %d bytes, %d characters", len(iss.Body), len([]rune(iss.Body)))
				}
				reads(t, id, `{"s":"`+strings.Repeat(ch, limit)+`","t":"`+strings.Repeat(ch, room)+`"}`)
			}
		}},
		{"a body edited by hand into non-JSON", func(t *testing.T) {
			o, err := s.Create(ctx, "edited", json.RawMessage(`{"v":1}`))
			must(t, err)
			junk := "I fixed it by hand :)"
			_, _, err = owner.Issues.Edit(ctx, repoOwner, repoName, o.Issue, &github.IssueRequest{Body: &junk})
			must(t, err)
			want := fmt.Sprintf("#%d", o.Issue)
			if _, err := s.Get(ctx, "edited"); !errors.Is(err, store.ErrCorrupt) || !strings.Contains(err.Error(), want) {
				t.Fatalf("Get: %v, want ErrCorrupt naming %s", err, want)
			}
			if _, err := readObject(ctx, db, "edited"); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("SQL: %v, want an error naming %s", err, want)
			}
			var good, bad int
			for obj, err := range s.List(ctx, store.ListOptions{}) {
				switch {
				case err != nil && errors.Is(err, store.ErrCorrupt) && strings.Contains(err.Error(), want):
					bad++
				case err != nil:
					t.Fatalf("List: %v", err)
				case obj != nil:
					good++
				}
			}
			if bad != 1 || good < 2 {
				t.Fatalf("List: %d objects and %d errors, want every other object and 1 error", good, bad)
			}
			if _, err := s.Update(ctx, "edited", json.RawMessage(`{"v":2}`)); !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("Update of the edited object: %v, want ErrCorrupt", err)
			}
			reads(t, "keep0", `{"v":1,"nested":{"a":[1,2]}}`)
			// Open (updates pending), the log is the truth and the body is not read.
			setState(t, o.Issue, "open")
			reads(t, "edited", `{"v":1}`)
		}},
		{"a stranger's reactions on an object's issue and its log", func(t *testing.T) {
			o, err := s.Create(ctx, "liked", json.RawMessage(`{"v":1}`))
			must(t, err)
			evil := w.rawClient(malloryToken)
			for _, r := range []string{"+1", "-1", "rocket", "hooray", "eyes"} {
				_, _, err := evil.Reactions.CreateIssueReaction(ctx, repoOwner, repoName, o.Issue, r)
				must(t, err)
			}
			cs, _, err := evil.Issues.ListComments(ctx, repoOwner, repoName, o.Issue, nil)
			must(t, err)
			for _, c := range cs {
				_, _, err := evil.Reactions.CreateIssueCommentReaction(ctx, repoOwner, repoName, c.GetID(), "+1")
				must(t, err)
			}
			got, err := s.Get(ctx, "liked")
			must(t, err)
			if string(got.Data) != `{"v":1}` || got.Version != 1 || got.Pending != 0 {
				t.Fatalf("after a stranger's reactions: %+v", got)
			}
			var version, pending int
			must(t, db.QueryRowContext(ctx, `SELECT version, pending FROM objects WHERE id = 'liked'`).Scan(&version, &pending))
			if version != 1 || pending != 0 {
				t.Fatalf("SQL: version %d, pending %d", version, pending)
			}
			h, err := s.History(ctx, "liked")
			must(t, err)
			if len(h) != 1 {
				t.Fatalf("history %+v", h)
			}
		}},
	}
	for _, c := range cases {
		before := w.issueStates(bystanders...)
		t.Run(c.name, c.run)
		after := w.issueStates(bystanders...)
		for _, n := range bystanders {
			if mustJSON(before[n]) != mustJSON(after[n]) {
				t.Errorf("%s changed issue #%d:\nbefore %s\nafter  %s", c.name, n, mustJSON(before[n]), mustJSON(after[n]))
			}
		}
	}
	reads(t, "keep0", `{"v":1,"nested":{"a":[1,2]}}`)
	reads(t, "keep1", `{"s":"y","u":"é😀"}`)
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// indentedJSON is s as ghstore writes a body or comment: 2-space indented.
func indentedJSON(s string) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestHostileLocalDSN: the input cases through database/sql on the embedded backend (local:).
func TestHostileLocalDSN(t *testing.T) {
	// local: in memory is shared by the whole process: a repository of its own per run (-count).
	db, err := sql.Open("ghstore", fmt.Sprintf("local:hostile/data%d", time.Now().UnixNano()))
	must(t, err)
	defer db.Close()
	ctx := context.Background()
	must(t, execAffecting(ctx, db, 1, `INSERT INTO objects (id, data) VALUES ('keep', '{"v":1}')`))
	for _, c := range []struct{ id, data string }{
		{"deep", nested(10000, "1")}, {"deeper", nested(10001, "1")}, {"arr", `{"a":[` + strings.Repeat("0,", 40000) + `0]}`},
		{"utf8", "{\"s\":\"\xff\"}"}, {"nan", `{"n":NaN}`}, {"inf", `{"n":Infinity}`}, {"list", `[1]`},
		{strings.Repeat("i", 47), `{}`}, {"a,b", `{}`}, {"a\nb", `{}`}, {" a", `{}`}, {"a\xff", `{}`}, {"keep", `{}`},
	} {
		if _, err := db.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES (?, ?)`, c.id, c.data); err == nil {
			t.Errorf("INSERT %q %.40q: no error", c.id, c.data)
		}
	}
	must(t, execAffecting(ctx, db, 1, `INSERT INTO objects (id, data) VALUES (?, ?)`, strings.Repeat("😀", 46), `{"k":1,"k":2,"n":-0,"e":1e999}`))
	got, err := readObject(ctx, db, strings.Repeat("😀", 46))
	must(t, err)
	if got != `{"k":2,"n":-0,"e":1e999}` {
		t.Errorf("read back as %s", got)
	}
	var n int
	must(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM objects`).Scan(&n))
	got, err = readObject(ctx, db, "keep")
	must(t, err)
	if n != 2 || got != `{"v":1}` {
		t.Errorf("%d objects, keep reads %s", n, got)
	}
}
