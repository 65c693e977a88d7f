package benchmarks

import (
	"context"
	"testing"
)

// BenchmarkProcess40 processes an object with 40 pending updates (left by apply=async writers)
// through the store API, as `ghsql process` does: read the issue, list its 41 comments, PATCH
// body + close, +1 each update. gh-store 0.10.3 sends 142 requests for this.
func BenchmarkProcess40(b *testing.B) { benchProcess(b, 40) }

// BenchmarkProcess10 is BenchmarkProcess40 with 10 pending updates, the size issue 15 measured
// gh-store 0.10.3 at (39 requests, 2,146 ms).
func BenchmarkProcess10(b *testing.B) { benchProcess(b, 10) }

// benchProcess processes an object with pending updates left by apply=async writers.
func benchProcess(b *testing.B, pending int) {
	e := newEnv(b, serverOptions())
	ctx := context.Background()
	issue := 0
	benchOp(b, e,
		func(i int) {
			e.seed(i, 1)
			issue = e.pend(objectID(i), pending)
		},
		func(int) {
			if _, err := e.store().Process(ctx, issue); err != nil {
				b.Fatal(err)
			}
		})
}
