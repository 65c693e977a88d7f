package reliability

import "testing"

// TestRandomLongRunAllFaults is the long run with every fault kind: refusals (401/404/410/422
// once), rate limits and timeouts as well as the transient ones. By default it runs seeds 1 and
// 3 × 350 statements (each showed a bug within that; about 7 s each with -race), -short seed 1 ×
// 300, -long the 13 seeds × 10,000.
//
// Two things it showed are fixed in store and checked here after every statement: an INSERT
// of a live id whose archiving PATCH is refused leaves an abandoned issue (younger, no initial
// state) that readers never see and a DELETE archives with the object (seed 3, statement 188;
// seed 1, statement 334), and an update refused after its comment is reported as
// store.ErrUnsettled and applied by the next write.
//
// Rerun: go test -race ./reliability -run TestRandomLongRunAllFaults -seed 3 -steps 400
func TestRandomLongRunAllFaults(t *testing.T) {
	longRunWith(t, allLongRunFaults, []uint64{1, 3}, 350)
}
