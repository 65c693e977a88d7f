package store

import (
	"encoding/json"
	"errors"
	"testing"
)

// A mirrored Store's writes update the mirror from their own answers: a statement that refreshed
// once (Refreshed, then reads through the view it gives) reads its own writes with no request at all, and the next
// refresh costs one list (answered 200, the written issues having moved) without folding any of
// them again.
func TestMirrorReadsItsOwnWrites(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme", Mirror: true})
	_, err := s.Create(e.ctx, "seed", json.RawMessage(`{}`))
	check(t, err)
	stmt, err := s.Refreshed(e.ctx)
	check(t, err)
	// read is a read within the statement: it must cost nothing.
	read := func(id string) (*Object, error) {
		t.Helper()
		var o *Object
		var err error
		if c := e.measure(func() { o, err = stmt.Get(e.ctx, id) }); c.requests != 0 {
			t.Fatalf("a read within the statement sent %+v\n%s", c, e.requestLog())
		}
		return o, err
	}
	// refreshed: the next statement's refresh, one list answered 200 and nothing folded.
	refreshed := func(what string) {
		t.Helper()
		c := e.measure(func() { refresh(t, s, e) })
		if c.requests != 1 {
			t.Fatalf("refresh after %s: %+v\n%s", what, c, e.requestLog())
		}
		c = e.measure(func() { refresh(t, s, e) })
		if !c.only304() {
			t.Fatalf("second refresh after %s: %+v\n%s", what, c, e.requestLog())
		}
	}

	_, err = stmt.Create(e.ctx, "x", json.RawMessage(`{"a":1}`))
	check(t, err)
	if o, err := read("x"); err != nil || string(o.Data) != `{"a":1}` || o.Version != 1 {
		t.Fatalf("created: %v %v", o, err)
	}
	refreshed("create")
	o, err := stmt.Update(e.ctx, "x", json.RawMessage(`{"b":2}`))
	check(t, err)
	if got, _ := read("x"); string(got.Data) != `{"a":1,"b":2}` || got.Version != 2 || got.UpdatedAt != o.UpdatedAt {
		t.Fatalf("updated: %+v", got)
	}
	refreshed("update")
	_, _, err = stmt.Put(e.ctx, o, json.RawMessage(`{"a":1}`))
	check(t, err)
	if got, _ := read("x"); string(got.Data) != `{"a":1}` {
		t.Fatalf("put: %s", got.Data)
	}
	_, created, err := stmt.Upsert(e.ctx, "y", json.RawMessage(`{"y":1}`))
	check(t, err)
	if got, _ := read("y"); !created || string(got.Data) != `{"y":1}` {
		t.Fatalf("upserted: %s", got.Data)
	}
	_, _, err = stmt.Upsert(e.ctx, "y", json.RawMessage(`{"y":2}`))
	check(t, err)
	if got, _ := read("y"); string(got.Data) != `{"y":2}` {
		t.Fatalf("upserted again: %s", got.Data)
	}
	refreshed("put and upserts")
	check(t, stmt.Delete(e.ctx, "y"))
	if _, err := read("y"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	got, _ := read("x")
	check(t, stmt.DeleteObject(e.ctx, got))
	if _, err := read("x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted object: %v", err)
	}
	refreshed("deletes")

	// Async: the write's answer is shown at once; it is provisional (its base was read without the
	// log), so the next refresh folds that issue's comments once.
	as := e.store("acme", Options{Login: "acme", Async: true, Mirror: true})
	astmt, err := as.Refreshed(e.ctx)
	check(t, err)
	o, err = astmt.Update(e.ctx, "seed", json.RawMessage(`{"p":1}`))
	check(t, err)
	c := e.measure(func() {
		got, err := astmt.Get(e.ctx, "seed")
		check(t, err)
		if string(got.Data) != `{"p":1}` || got.Pending != 1 {
			t.Fatalf("async: %+v", got)
		}
	})
	if c.requests != 0 {
		t.Fatalf("async read within the statement %+v", c)
	}
	c = e.measure(func() { refresh(t, as, e) })
	if c.requests != 2 {
		t.Fatalf("refresh after an async write: %+v, want the list and the comments\n%s", c, e.requestLog())
	}
	// Process by the first Store: seen without a request.
	_, err = stmt.Process(e.ctx, o.Issue)
	check(t, err)
	if got, _ := read("seed"); got.Pending != 0 || string(got.Data) != `{"p":1}` {
		t.Fatalf("processed: %+v", got)
	}
	refreshed("process")
	sameAsList(t, e, s)
}

// refresh brings s's mirror up to date (a statement's Refreshed, its view unused).
func refresh(t *testing.T, s *Store, e *env) {
	t.Helper()
	_, err := s.Refreshed(e.ctx)
	check(t, err)
}
