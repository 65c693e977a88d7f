package benchmarks

import (
	"fmt"
	"net/http"
	"testing"
)

// TestCostGetCold: a get by id on a Connector that never read the object costs 1 request.
func TestCostGetCold(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 3)
	db, _ := e.open() // a fresh Connector: empty ETag cache, set-up done
	got := e.measure(func() {
		if n := rowsOf(t, db, sqlGet, objectID(1)); n != 1 {
			t.Fatalf("get by id gave %d rows, want 1", n)
		}
	})
	within(t, "get by id, cold", got, budget{Requests: 1, Creating: 0, Counted: 1})
}

// TestCostGetUnchanged: reading an unchanged object again costs 1 conditional request answered
// 304, which GitHub does not count.
func TestCostGetUnchanged(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 3)
	rowsOf(t, e.db, sqlGet, objectID(1))
	got := e.measure(func() {
		if n := rowsOf(t, e.db, sqlGet, objectID(1)); n != 1 {
			t.Fatalf("get by id gave %d rows, want 1", n)
		}
	})
	within(t, "get by id, unchanged since last read", got, budget{Requests: 1, Creating: 0, Counted: 0})
	for _, r := range got.Log {
		if !r.Conditional || r.Status != http.StatusNotModified {
			t.Errorf("the repeated get sent a request that was not a conditional one answered 304:%s", got.logLines())
			break
		}
	}
}

// TestCostIDIn: `id IN (…)` of k ids costs at most k requests (the plan may scan instead when
// that is cheaper), and creates nothing.
func TestCostIDIn(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 30)
	from := 0
	for _, k := range []int{1, 5, 20} { // ids never read before
		q, args := sqlIDIn(ids(from, k))
		from += k
		got := e.measure(func() {
			if n := rowsOf(t, e.db, q, args...); n != k {
				t.Fatalf("id IN of %d ids gave %d rows", k, n)
			}
		})
		within(t, fmt.Sprintf("id IN of %d ids", k), got, budget{Requests: k, Creating: 0, Counted: k})
	}
}
