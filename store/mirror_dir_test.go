package store

import (
	"encoding/json"
	"testing"
)

// TestMirrorDirStartsWarm: a Store with Options.MirrorDir saves its mirror; a new Store (a new
// process: its own client, so no ETag is any use) loads it and its first read fetches only what
// changed since, not the logs of the open objects it already has.
func TestMirrorDirStartsWarm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := t.TempDir()
	writer := e.store("acme")
	for _, id := range []string{"a", "b", "c"} {
		_, err := writer.Create(e.ctx, id, json.RawMessage(`{"n":1}`))
		check(t, err)
	}
	async := e.store("acme", Options{Async: true})
	_, err := async.Update(e.ctx, "b", json.RawMessage(`{"n":2}`)) // b is open: its log is read
	check(t, err)

	first := e.store("carol", Options{Mirror: true, MirrorDir: dir, Login: "carol"})
	cold := e.measure(func() {
		_, err := first.Get(e.ctx, "b")
		check(t, err)
	})
	if cold.requests < 2 {
		t.Fatalf("the first mirror's cold read cost %d requests, want the listing and b's log", cold.requests)
	}

	second := e.store("carol", Options{Mirror: true, MirrorDir: dir, Login: "carol"})
	warm := e.measure(func() {
		got, err := second.Get(e.ctx, "b")
		check(t, err)
		if !jsonEqual(got.Data, []byte(`{"n":2}`)) || got.Pending != 1 {
			t.Fatalf("warm mirror reads b as %s (%d pending)", got.Data, got.Pending)
		}
	})
	if warm.requests != 1 {
		t.Fatalf("a new Store on the saved mirror cost %d requests, want 1 (the listing)\n%s", warm.requests, e.requestLog())
	}

	// A change made while the mirror was away is seen, at the cost of what changed.
	_, err = writer.Update(e.ctx, "c", json.RawMessage(`{"n":3}`))
	check(t, err)
	check(t, writer.Delete(e.ctx, "a"))
	third := e.store("carol", Options{Mirror: true, MirrorDir: dir, Login: "carol"})
	got, err := third.Get(e.ctx, "c")
	check(t, err)
	if !jsonEqual(got.Data, []byte(`{"n":3}`)) {
		t.Fatalf("after a change while away, c reads %s", got.Data)
	}
	if _, err := third.Get(e.ctx, "a"); err == nil {
		t.Fatal("a, deleted while the mirror was away, still reads")
	}
}
