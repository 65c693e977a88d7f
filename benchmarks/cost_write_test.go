package benchmarks

import (
	"testing"
)

// TestCostInsert: an insert costs at most 4 requests, 3 of them content-creating: create the
// issue with its labels, the initial-state comment, close, and one list to catch a racing
// duplicate. The first object of a repository costs no more (GitHub creates missing labels).
func TestCostInsert(t *testing.T) {
	e := newEnv(t, serverOptions())
	want := budget{Requests: 4, Creating: 3, Counted: 4}
	got := e.measure(func() { exec(t, e.db, sqlInsert, objectID(0), string(objectData(0))) })
	within(t, "insert, first object", got, want)
	got = e.measure(func() { exec(t, e.db, sqlInsert, objectID(1), string(objectData(1))) })
	within(t, "insert", got, want)
}

// TestCostUpdateAsync: an async update (apply=async) is a comment + reopen: 2 content-creating
// requests. The read that computes the new data may add 1 conditional request answered 304,
// which GitHub does not count.
func TestCostUpdateAsync(t *testing.T) {
	e := newEnv(t, serverOptions(), "apply=async")
	e.seed(0, 3)
	rowsOf(t, e.db, sqlGet, objectID(1))
	got := e.measure(func() { exec(t, e.db, sqlUpdate, 1001, objectID(1)) })
	within(t, "update, async, after a read", got, budget{Requests: 3, Creating: 2, Counted: 2})
}

// TestCostDelete: a delete costs at most 2 requests, 1 of them content-creating.
func TestCostDelete(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 3)
	got := e.measure(func() {
		if n := exec(t, e.db, sqlDelete, objectID(1)); n != 1 {
			t.Fatalf("delete affected %d rows, want 1", n)
		}
	})
	within(t, "delete", got, budget{Requests: 2, Creating: 1, Counted: 2})
}
