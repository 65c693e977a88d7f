package benchmarks

import "testing"

// newMirrorEnv is an env with cache=mirror over m objects seeded at distinct seconds, the mirror
// loaded by one read.
func newMirrorEnv(b *testing.B, m int) *env {
	opts := serverOptions()
	opts.Now = steppingClock()
	e := newEnv(b, opts, "cache=mirror")
	e.seed(0, m)
	rowsOf(b, e.db, sqlGet, objectID(0))
	return e
}

// BenchmarkGetUnchangedMirror reads one object of an unchanged repository with cache=mirror: the
// refresh is one conditional request answered 304, however many objects there are.
func BenchmarkGetUnchangedMirror(b *testing.B) {
	e := newMirrorEnv(b, 1_000)
	benchOp(b, e, nil, func(i int) { rowsOf(b, e.db, sqlGet, objectID(i%1_000)) })
}

// BenchmarkRescan1000UnchangedMirror scans 1,000 unchanged objects with cache=mirror: one
// conditional request answered 304, then the predicate over the objects in memory.
func BenchmarkRescan1000UnchangedMirror(b *testing.B) {
	e := newMirrorEnv(b, 1_000)
	benchOp(b, e, nil, func(int) { rowsOf(b, e.db, sqlScan) })
}
