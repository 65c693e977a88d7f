package benchmarks

import "testing"

// TestCostUpdateInline: an inline (read-your-writes, serializable) update costs at most 5
// requests, 3 of them content-creating: GET the object's issue (a 304 when it was read before),
// POST the comment naming its base digest, GET the log's tail, PATCH body + close, POST +1
// (DESIGN.md §3a, §6). The list after the comment is what tells the writer whether its comment
// applied or was superseded by a racing one; store's TestInlineUpdateInTheLagWindow and the
// cross-process tests in reliability/serializable_test.go show why it is needed.
func TestCostUpdateInline(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 3)
	want := budget{Requests: 5, Creating: 3, Counted: 5}
	got := e.measure(func() { exec(t, e.db, sqlUpdate, 1001, objectID(1)) })
	within(t, "update, inline, cold", got, want)

	// After a read the object's lookup is answered 304: 4 counted.
	rowsOf(t, e.db, sqlGet, objectID(2))
	got = e.measure(func() { exec(t, e.db, sqlUpdate, 1002, objectID(2)) })
	within(t, "update, inline, after a read", got, budget{Requests: 5, Creating: 3, Counted: 4})
}
