package benchmarks

import (
	"fmt"
	"testing"
)

// TestCostScan: a scan of M objects, P of them open, costs ⌈M/100⌉ + P requests (the issue list,
// 100 a page, and each open issue's comments) and creates nothing; scanning again when nothing
// changed costs nothing counted (every request is answered 304).
func TestCostScan(t *testing.T) {
	const m, p = 250, 3
	e := newEnv(t, serverOptions())
	e.seed(0, m)
	for i := range p {
		e.pend(objectID(10*i), 1+i)
	}
	want := budget{Requests: ceilDiv(m, 100) + p, Creating: 0, Counted: ceilDiv(m, 100) + p}
	op := fmt.Sprintf("scan of %d objects, %d open", m, p)
	var first, again int
	got := e.measure(func() { first = rowsOf(t, e.db, sqlScan) })
	within(t, op, got, want)
	want.Counted = 0
	got = e.measure(func() { again = rowsOf(t, e.db, sqlScan) })
	within(t, op+", unchanged rescan", got, want)
	if first == 0 || again != first {
		t.Errorf("the scan found %d rows, the rescan %d; want the same, more than 0", first, again)
	}
}

// TestCostTopTen: ORDER BY … LIMIT 10 must read every object, so it costs what a scan costs.
func TestCostTopTen(t *testing.T) {
	const m = 150
	e := newEnv(t, serverOptions())
	e.seed(0, m)
	var n int
	got := e.measure(func() { n = rowsOf(t, e.db, sqlTop) })
	within(t, fmt.Sprintf("ORDER BY … LIMIT 10 of %d objects", m), got,
		budget{Requests: ceilDiv(m, 100), Creating: 0, Counted: ceilDiv(m, 100)})
	if n != 10 {
		t.Errorf("ORDER BY … LIMIT 10 gave %d rows", n)
	}
}
