package store

import (
	"encoding/json"
	"testing"
)

// TestMirrorHistoryListsOnlyTheLog: with the mirror, History takes the object's issue from the
// mirror, so a statement's history (after its one refresh) costs the log's pages alone, not a
// lookup too; the rows are those without the mirror.
func TestMirrorHistoryListsOnlyTheLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.store("acme")
	_, err := w.Create(e.ctx, "h", json.RawMessage(`{"n":1}`))
	check(t, err)
	_, err = w.Update(e.ctx, "h", json.RawMessage(`{"n":2}`))
	check(t, err)
	want, err := e.store("carol").History(e.ctx, "h")
	check(t, err)

	m := e.store("carol", Options{Mirror: true, Login: "carol"})
	view, err := m.Refreshed(e.ctx)
	check(t, err)
	var got []Entry
	c := e.measure(func() {
		got, err = view.History(e.ctx, "h")
		check(t, err)
	})
	if c.requests != 1 {
		t.Fatalf("history through the mirror sent %d requests, want 1 (the log)\n%s", c.requests, e.requestLog())
	}
	if len(got) != len(want) || len(got) != 2 || got[1].Applied != want[1].Applied || string(got[1].Data) != string(want[1].Data) {
		t.Fatalf("history through the mirror %+v, without %+v", got, want)
	}
	if _, err := view.History(e.ctx, "none"); err == nil {
		t.Fatal("history of a missing object through the mirror: no error")
	}
}
