package store

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/localgh"
)

func TestCreateWritesGhStoreShapes(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	var obj *Object
	c := e.measure(func() {
		var err error
		obj, err = s.Create(e.ctx, "obj-1", json.RawMessage(step1Data))
		check(t, err)
	})
	if c.requests > 4 || c.creating > 3 {
		t.Fatalf("create cost %+v, want ≤ 4 requests, ≤ 3 content-creating\n%s", c, e.requestLog())
	}
	t.Logf("create: %+v", c)
	if string(obj.Data) != step1Data || obj.Version != 1 || obj.Pending != 0 || obj.ID != "obj-1" {
		t.Fatalf("created %+v", obj)
	}

	gh := e.client("acme")
	iss, _, err := gh.Issues.Get(e.ctx, "acme", "data", obj.Issue)
	check(t, err)
	want := loadStep(t, "1-created")
	if iss.GetTitle() != want.issue.GetTitle() || iss.GetState() != "closed" {
		t.Fatalf("title %q state %q", iss.GetTitle(), iss.GetState())
	}
	if got, w := strings.Join(labelNames(iss), ","), strings.Join(labelNames(want.issue), ","); got != w {
		t.Fatalf("labels %s, gh-store writes %s", got, w)
	}
	// Body: 2-space indented, no trailing newline; same JSON as gh-store's (which escapes non-ASCII).
	if !jsonEqual([]byte(iss.GetBody()), []byte(want.issue.GetBody())) || strings.HasSuffix(iss.GetBody(), "\n") ||
		!strings.HasPrefix(iss.GetBody(), "{\n  \"name\": \"alice\",\n  \"score\": 10,\n  \"tags\": [\n    \"a\",") ||
		!strings.Contains(iss.GetBody(), `"big": 9007199254740993`) {
		t.Fatalf("body:\n%s", iss.GetBody())
	}
	cs, _, err := gh.Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	check(t, err)
	if len(cs) != 1 {
		t.Fatalf("%d comments", len(cs))
	}
	assertEnvelopeLike(t, cs[0].GetBody(), want.comments[0].GetBody(), obj.Issue)
	if cs[0].GetReactions().GetTotalCount() != 0 {
		t.Fatalf("the initial state gets no reactions")
	}
}

// assertEnvelopeLike checks that got has gh-store's envelope shape: the same keys in the same
// order, the same _data, 2-space indentation, and the issue number.
func assertEnvelopeLike(t *testing.T, got, want string, issue int) {
	t.Helper()
	keys := func(s string) []string {
		v, ok := parseObject([]byte(s))
		if !ok {
			t.Fatalf("not a JSON object: %s", s)
		}
		out := append([]string{}, v.keys...)
		for _, k := range v.get("_meta").keys {
			if k != "base" { // ghstore's inline updates name their base (§3a); gh-store ignores it
				out = append(out, k)
			}
		}
		return out
	}
	if g, w := strings.Join(keys(got), ","), strings.Join(keys(want), ","); g != w {
		t.Fatalf("envelope keys %s, gh-store's %s", g, w)
	}
	gv, _ := parseObject([]byte(got))
	wv, _ := parseObject([]byte(want))
	if !valueEqual(gv.get("_data"), wv.get("_data")) {
		t.Fatalf("_data %s, want %s", gv.get("_data").compact(), wv.get("_data").compact())
	}
	meta := gv.get("_meta")
	if string(meta.get("issue_number").raw) != itoaTest(issue) || string(meta.get("update_mode").raw) != `"append"` {
		t.Fatalf("_meta %s", meta.compact())
	}
	if !strings.HasPrefix(got, "{\n  \"_data\": {\n    \"") || strings.HasSuffix(got, "\n") {
		t.Fatalf("indentation:\n%s", got)
	}
}

func itoaTest(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestGetCostColdAndWarm(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	_, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	r := e.store("carol") // a fresh reader: cold cache
	var obj *Object
	c := e.measure(func() { obj, err = r.Get(e.ctx, "a"); check(t, err) })
	if c.requests != 1 || string(obj.Data) != `{"x":1}` {
		t.Fatalf("cold get %+v %s\n%s", c, obj.Data, e.requestLog())
	}
	c = e.measure(func() { obj, err = r.Get(e.ctx, "a"); check(t, err) })
	if c.requests != 1 || c.counted != 0 || c.conditional != 1 || string(obj.Data) != `{"x":1}` {
		t.Fatalf("warm get %+v, want 1 conditional answered 304\n%s", c, e.requestLog())
	}
	t.Logf("get cold 1 request; warm %+v", c)
	if _, err := r.Get(e.ctx, "missing"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"missing"`) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := r.Get(e.ctx, "A"); err != nil {
		t.Fatalf("ids are case-insensitive: %v", err)
	}
}

func TestUpdateInlineAndReplace(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	_, err := s.Create(e.ctx, "obj-1", json.RawMessage(step1Data))
	check(t, err)
	var obj *Object
	c := e.measure(func() {
		obj, err = s.Update(e.ctx, "obj-1", json.RawMessage(`{"score": 11, "nested": {"k2": "v2"}, "tags": ["c"]}`))
		check(t, err)
	})
	t.Logf("inline update: %+v", c)
	if c.requests > 5 || c.creating > 3 {
		t.Fatalf("inline update %+v\n%s", c, e.requestLog())
	}
	step3 := loadStep(t, "3-processed")
	if !jsonEqual(obj.Data, []byte(step3.issue.GetBody())) || obj.Version != 2 || obj.Pending != 0 {
		t.Fatalf("after update %s v%d p%d", obj.Data, obj.Version, obj.Pending)
	}
	// Read-your-writes, from another client.
	got, err := e.store("carol").Get(e.ctx, "obj-1")
	check(t, err)
	if !jsonEqual(got.Data, obj.Data) {
		t.Fatalf("read %s", got.Data)
	}
	// The update comment has gh-store's shape and a +1.
	gh := e.client("acme")
	cs, _, err := gh.Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	check(t, err)
	assertEnvelopeLike(t, cs[1].GetBody(), step3.comments[1].GetBody(), obj.Issue)
	if cs[1].GetReactions().GetPlusOne() != 1 {
		t.Fatalf("applied update has no +1")
	}
	// Unchanged: nothing sent.
	c = e.measure(func() {
		_, changed, err := s.impl.update(e.ctx, "obj-1", json.RawMessage(`{"score": 11}`))
		check(t, err)
		if changed {
			t.Fatal("changed")
		}
	})
	if c.creating != 0 {
		t.Fatalf("no-op update wrote: %+v", c)
	}
	// Removing a key: replace with the whole state.
	obj, err = s.Replace(e.ctx, "obj-1", json.RawMessage(`{"name":"bob"}`))
	check(t, err)
	if string(obj.Data) != `{"name":"bob"}` || obj.Version != 3 {
		t.Fatalf("replace %s v%d", obj.Data, obj.Version)
	}
	cs, _, _ = gh.Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	pc, _ := parseComment(cs[2].GetBody())
	if pc.kind != KindReplace || string(pc.data.compact()) != `{"name":"bob"}` {
		t.Fatalf("replace comment %s", cs[2].GetBody())
	}
	// Put: the change from a base without reading again.
	c = e.measure(func() {
		obj, _, err = s.Put(e.ctx, obj, json.RawMessage(`{"name":"bob","n":{"deep":[1]}}`))
		check(t, err)
	})
	t.Logf("put: %+v", c)
	if c.requests > 4 || c.creating > 3 || string(obj.Data) != `{"name":"bob","n":{"deep":[1]}}` {
		t.Fatalf("put %+v %s\n%s", c, obj.Data, e.requestLog())
	}
	cs, _, _ = gh.Issues.ListComments(e.ctx, "acme", "data", obj.Issue, nil)
	if pc, _ := parseComment(cs[3].GetBody()); pc.kind != KindUpdate || string(pc.data.compact()) != `{"n":{"deep":[1]}}` {
		t.Fatalf("smallest patch: %s", cs[3].GetBody())
	}
}

func TestAsyncUpdateThenProcess(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	_, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1,"y":{"z":1}}`))
	check(t, err)
	as := e.store("acme", Options{Login: "acme", Async: true})
	var obj *Object
	c := e.measure(func() {
		obj, err = as.Update(e.ctx, "a", json.RawMessage(`{"y":{"w":2}}`))
		check(t, err)
	})
	t.Logf("async update: %+v", c)
	if c.requests > 3 || c.creating != 2 {
		t.Fatalf("async update %+v\n%s", c, e.requestLog())
	}
	got, err := e.store("carol").Get(e.ctx, "a")
	check(t, err)
	if string(got.Data) != `{"x":1,"y":{"z":1,"w":2}}` || got.Pending != 1 || got.Version != 2 {
		t.Fatalf("open read %s p%d v%d", got.Data, got.Pending, got.Version)
	}
	_, err = as.Update(e.ctx, "a", json.RawMessage(`{"x":2}`))
	check(t, err)
	c = e.measure(func() {
		obj, err = s.Process(e.ctx, obj.Issue)
		check(t, err)
	})
	t.Logf("process N=2 C=3: %+v", c)
	if c.requests != 2+1+2 || string(obj.Data) != `{"x":2,"y":{"z":1,"w":2}}` || obj.Pending != 0 {
		t.Fatalf("process %+v %s\n%s", c, obj.Data, e.requestLog())
	}
	gh := e.client("acme")
	iss, _, _ := gh.Issues.Get(e.ctx, "acme", "data", obj.Issue)
	if iss.GetState() != "closed" || !jsonEqual([]byte(iss.GetBody()), obj.Data) {
		t.Fatalf("issue %s %s", iss.GetState(), iss.GetBody())
	}
	n, err := s.ProcessAll(e.ctx)
	if err != nil || n != 0 {
		t.Fatalf("ProcessAll %d %v", n, err)
	}
	h, err := s.History(e.ctx, "a")
	check(t, err)
	if len(h) != 3 || h[0].Kind != KindInitial || h[0].Seq != 1 || !h[2].Processed || h[2].Author != "acme" {
		t.Fatalf("history %+v", h)
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	_, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	c := e.measure(func() { check(t, s.Delete(e.ctx, "a")) })
	t.Logf("delete: %+v", c)
	if c.requests > 2 || c.creating != 1 {
		t.Fatalf("delete %+v", c)
	}
	if _, err := s.Get(e.ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	if err := s.Delete(e.ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	// The archived issue has gh-store's labels.
	iss, _, _ := e.client("acme").Issues.Get(e.ctx, "acme", "data", 1)
	want := loadStep(t, "4-deleted")
	if len(iss.Labels) != 3 || iss.GetState() != "closed" {
		t.Fatalf("archived %v %s (gh-store: %v)", labelNames(iss), iss.GetState(), labelNames(want.issue))
	}
	obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":2}`))
	check(t, err)
	if obj.Version != 1 || obj.Issue == 1 {
		t.Fatalf("recreated %+v", obj)
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	base, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	big := `{"s":"` + strings.Repeat("x", MaxBodySize) + `"}`
	near := `{"s":"` + strings.Repeat("x", MaxBodySize-40) + `"}`
	cases := []struct {
		name string
		op   func() error
		want error
	}{
		{"comma id", func() error { _, err := s.Create(e.ctx, "a,b", json.RawMessage(`{}`)); return err }, ErrInvalidID},
		{"long id", func() error { _, err := s.Get(e.ctx, strings.Repeat("x", 47)); return err }, ErrInvalidID},
		{"array data", func() error { _, err := s.Create(e.ctx, "b", json.RawMessage(`[1]`)); return err }, ErrInvalidData},
		{"bad json", func() error { _, err := s.Update(e.ctx, "a", json.RawMessage(`{`)); return err }, ErrInvalidData},
		{"oversize create", func() error { _, err := s.Create(e.ctx, "b", json.RawMessage(big)); return err }, ErrTooLarge},
		// fits as a body, but not inside the initial-state envelope
		{"oversize envelope", func() error { _, err := s.Create(e.ctx, "b", json.RawMessage(near)); return err }, ErrTooLarge},
		{"oversize replace", func() error { _, err := s.Replace(e.ctx, "a", json.RawMessage(big)); return err }, ErrTooLarge},
		{"put growing past the limit", func() error { _, _, err := s.Put(e.ctx, base, json.RawMessage(near)); return err }, ErrTooLarge},
	}
	for _, c := range cases {
		e.srv.ResetRequests()
		err := c.op()
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if n := len(e.srv.Requests()); n != 0 {
			t.Errorf("%s: %d requests sent\n%s", c.name, n, e.requestLog())
		}
	}
	// A patch that would grow the object past the limit: refused after the read, before any write.
	e.srv.ResetRequests()
	_, err = s.Update(e.ctx, "a", json.RawMessage(near))
	if !errors.Is(err, ErrTooLarge) || e.cost().creating != 0 {
		t.Fatalf("growing update: %v, %+v", err, e.cost())
	}
}

func TestErrorsNameTheCause(t *testing.T) {
	e := newEnv(t)
	s, err := New(e.via(tokenOf("acme"), e.srv.Transport(), Options{Owner: "acme", Repo: "nope", Login: "acme"}))
	check(t, err)
	if _, err := s.Get(e.ctx, "a"); !errors.Is(err, ErrRepoNotFound) {
		t.Fatalf("missing repo: %v", err)
	}
	check(t, e.srv.SetIssuesEnabled("acme", "data", false))
	if _, err := e.store("acme").Get(e.ctx, "a"); !errors.Is(err, ErrIssuesDisabled) {
		t.Fatalf("issues disabled: %v", err)
	}
	s, err = New(e.via("wrong-token", e.srv.Transport(), Options{Owner: "acme", Repo: "data", Login: "x"}))
	check(t, err)
	_, err = s.Get(e.ctx, "a")
	if !errors.Is(err, ErrBadCredentials) || strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("bad token: %v", err)
	}
}

func TestLoginFallbackAndCorruptBody(t *testing.T) {
	e := newEnv(t)
	e.srv.SetFault(func(c localgh.Call) localgh.Fault {
		if c.Path == "/user" {
			return localgh.Fault{Status: 403} // an Actions GITHUB_TOKEN may not read /user
		}
		return localgh.Fault{}
	})
	s := e.store("acme")
	if _, err := s.Login(e.ctx); err == nil {
		t.Fatal("login known before any write")
	}
	obj, err := s.Create(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	if login, err := s.Login(e.ctx); err != nil || login != "acme" {
		t.Fatalf("login after a write: %q %v", login, err)
	}
	e.srv.SetFault(nil)
	// A body edited by hand into non-JSON reads as ErrCorrupt naming the issue, never as empty data.
	body := "not json"
	_, _, err = e.client("acme").Issues.Edit(e.ctx, "acme", "data", obj.Issue, &github.IssueRequest{Body: &body})
	check(t, err)
	if _, err := s.Get(e.ctx, "a"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "#1") {
		t.Fatalf("corrupt body: %v", err)
	}
	// Processing rebuilds it from the log.
	got, err := s.Process(e.ctx, obj.Issue)
	check(t, err)
	if string(got.Data) != `{"x":1}` {
		t.Fatalf("rebuilt %s", got.Data)
	}
	if got, err := s.Get(e.ctx, "a"); err != nil || string(got.Data) != `{"x":1}` {
		t.Fatalf("after processing: %v", err)
	}
}

func TestUpsert(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	obj, created, err := s.Upsert(e.ctx, "u", json.RawMessage(`{"a":1,"b":2}`))
	check(t, err)
	if !created || obj.Version != 1 {
		t.Fatalf("first upsert %+v %v", obj, created)
	}
	obj, created, err = s.Upsert(e.ctx, "U", json.RawMessage(`{"a":1}`))
	check(t, err)
	if created || string(obj.Data) != `{"a":1}` || obj.Version != 2 || obj.ID != "u" {
		t.Fatalf("second upsert %+v %v", obj, created)
	}
}
