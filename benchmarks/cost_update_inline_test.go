package benchmarks

import "testing"

// TestCostUpdateInline: an inline (read-your-writes) update costs at most 4 requests, 3 of them
// content-creating (comment, PATCH body, +1), whether or not the object was read before.
//
// It fails at the time of writing: the update sends 5 (GET the object's issue, POST the comment,
// GET the comments, PATCH, POST +1). The listing of comments after the comment is the
// request over target; DESIGN.md §6 folds from the state read and the PATCH answer's comment
// count instead. This is a real miss of the target, not a flaky test: do not skip it.
func TestCostUpdateInline(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 3)
	want := budget{Requests: 4, Creating: 3, Counted: 4}
	got := e.measure(func() { exec(t, e.db, sqlUpdate, 1001, objectID(1)) })
	within(t, "update, inline, cold", got, want)

	rowsOf(t, e.db, sqlGet, objectID(2))
	got = e.measure(func() { exec(t, e.db, sqlUpdate, 1002, objectID(2)) })
	within(t, "update, inline, after a read", got, want)
}
