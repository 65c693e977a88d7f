package benchmarks

import (
	"context"
	"fmt"
	"testing"

	"github.com/tidwall/gjson"
)

// TestCostProcess: processing an object with N pending updates among C comments costs at most
// 2 + ⌈C/100⌉ + N requests: read the issue, list the log's tail (from the newest checkpoint),
// PATCH body + close, and a +1 on each newly applied update; when 50 or more updates follow the
// newest checkpoint, 2 more (a checkpoint and its +1). gh-store 0.10.3 sends 142 for N = 40.
func TestCostProcess(t *testing.T) {
	for _, tc := range []struct {
		name            string
		processed, more int // updates processed before, then left pending
	}{
		{"N=1", 0, 1},
		{"N=5", 0, 5},
		{"N=40", 0, 40},
		{"N=50 of C=111", 60, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, serverOptions())
			e.seed(0, 1)
			id := objectID(0)
			ctx := context.Background()
			issue := e.pend(id, tc.processed)
			if tc.processed > 0 {
				if _, err := e.store().Process(ctx, issue); err != nil {
					t.Fatal(err)
				}
			}
			e.pend(id, tc.more)
			n, c := tc.more, 1+tc.processed+tc.more
			got := e.measure(func() {
				obj, err := e.store().Process(ctx, issue)
				if err != nil {
					t.Fatal(err)
				}
				// Each batch of pending updates counts rev from 1, so the last one leaves rev = more.
				if rev := gjson.GetBytes(obj.Data, "rev").Int(); rev != int64(tc.more) || obj.Pending != 0 {
					t.Errorf("processed object has rev %d, %d pending; want %d, 0", rev, obj.Pending, tc.more)
				}
			})
			// 50 or more updates since the fold's base (the first processing wrote a checkpoint
			// of the 60): this processing also writes a checkpoint and its +1 (DESIGN.md §3b).
			checkpoint := 0
			if tc.more >= 50 {
				checkpoint = 2
			}
			within(t, fmt.Sprintf("process N=%d pending of C=%d comments", n, c), got,
				budget{Requests: 2 + ceilDiv(c, 100) + n + checkpoint, Creating: 1 + n + checkpoint, Counted: 2 + ceilDiv(c, 100) + n + checkpoint})
		})
	}
}
