package store

import (
	"encoding/json"
	"errors"
	"testing"
)

// A mirrored Store's writes update the mirror from their own answers: a statement that refreshed
// once (Refresh, then SkipRefresh) reads its own writes with no request at all, and the next
// refresh costs one list (answered 200, the written issues having moved) without folding any of
// them again.
func TestMirrorReadsItsOwnWrites(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme", Mirror: true})
	_, err := s.Create(e.ctx, "seed", json.RawMessage(`{}`))
	check(t, err)
	check(t, s.Refresh(e.ctx))
	stmt := SkipRefresh(e.ctx)
	// read is a read within the statement: it must cost nothing.
	read := func(id string) (*Object, error) {
		t.Helper()
		var o *Object
		var err error
		if c := e.measure(func() { o, err = s.Get(stmt, id) }); c.requests != 0 {
			t.Fatalf("a read within the statement sent %+v\n%s", c, e.requestLog())
		}
		return o, err
	}
	// refreshed: the next statement's refresh, one list answered 200 and nothing folded.
	refreshed := func(what string) {
		t.Helper()
		c := e.measure(func() { check(t, s.Refresh(e.ctx)) })
		if c.requests != 1 {
			t.Fatalf("refresh after %s: %+v\n%s", what, c, e.requestLog())
		}
		c = e.measure(func() { check(t, s.Refresh(e.ctx)) })
		if !c.only304() {
			t.Fatalf("second refresh after %s: %+v\n%s", what, c, e.requestLog())
		}
	}

	_, err = s.Create(stmt, "x", json.RawMessage(`{"a":1}`))
	check(t, err)
	if o, err := read("x"); err != nil || string(o.Data) != `{"a":1}` || o.Version != 1 {
		t.Fatalf("created: %v %v", o, err)
	}
	refreshed("create")
	o, err := s.Update(stmt, "x", json.RawMessage(`{"b":2}`))
	check(t, err)
	if got, _ := read("x"); string(got.Data) != `{"a":1,"b":2}` || got.Version != 2 || got.UpdatedAt != o.UpdatedAt {
		t.Fatalf("updated: %+v", got)
	}
	refreshed("update")
	_, _, err = s.Put(stmt, o, json.RawMessage(`{"a":1}`))
	check(t, err)
	if got, _ := read("x"); string(got.Data) != `{"a":1}` {
		t.Fatalf("put: %s", got.Data)
	}
	_, created, err := s.Upsert(stmt, "y", json.RawMessage(`{"y":1}`))
	check(t, err)
	if got, _ := read("y"); !created || string(got.Data) != `{"y":1}` {
		t.Fatalf("upserted: %s", got.Data)
	}
	_, _, err = s.Upsert(stmt, "y", json.RawMessage(`{"y":2}`))
	check(t, err)
	if got, _ := read("y"); string(got.Data) != `{"y":2}` {
		t.Fatalf("upserted again: %s", got.Data)
	}
	refreshed("put and upserts")
	check(t, s.Delete(stmt, "y"))
	if _, err := read("y"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	got, _ := read("x")
	check(t, s.DeleteObject(stmt, got))
	if _, err := read("x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted object: %v", err)
	}
	refreshed("deletes")

	// Async: the write's answer is shown at once; it is provisional (its base was read without the
	// log), so the next refresh folds that issue's comments once.
	as := e.store("acme", Options{Login: "acme", Async: true, Mirror: true})
	check(t, as.Refresh(e.ctx))
	o, err = as.Update(SkipRefresh(e.ctx), "seed", json.RawMessage(`{"p":1}`))
	check(t, err)
	c := e.measure(func() {
		got, err := as.Get(SkipRefresh(e.ctx), "seed")
		check(t, err)
		if string(got.Data) != `{"p":1}` || got.Pending != 1 {
			t.Fatalf("async: %+v", got)
		}
	})
	if c.requests != 0 {
		t.Fatalf("async read within the statement %+v", c)
	}
	c = e.measure(func() { check(t, as.Refresh(e.ctx)) })
	if c.requests != 2 {
		t.Fatalf("refresh after an async write: %+v, want the list and the comments\n%s", c, e.requestLog())
	}
	// Process by the first Store: seen without a request.
	_, err = s.Process(stmt, o.Issue)
	check(t, err)
	if got, _ := read("seed"); got.Pending != 0 || string(got.Data) != `{"p":1}` {
		t.Fatalf("processed: %+v", got)
	}
	refreshed("process")
	sameAsList(t, e, s)
}
