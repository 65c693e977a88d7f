package benchmarks

import "testing"

// budget is an operation's target from DESIGN.md §6: at most so many requests (304s included),
// content-creating requests (POST, PATCH, PUT, DELETE) and counted requests (all but 304s).
type budget struct {
	Requests, Creating, Counted int
}

// ceilDiv is ⌈a/b⌉.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// within fails t when got exceeds want in any figure, printing the request log.
func within(t *testing.T, op string, got cost, want budget) {
	t.Helper()
	t.Logf("%s: %s (target ≤ %d / %d / %d)", op, got, want.Requests, want.Creating, want.Counted)
	if got.Requests > want.Requests || got.Creating > want.Creating || got.Counted > want.Counted {
		t.Errorf("%s costs %s; DESIGN.md §6's target is at most %d requests, %d content-creating, %d counted.\nRequests sent:%s",
			op, got, want.Requests, want.Creating, want.Counted, got.logLines())
	}
}
