package benchmarks

import "testing"

// BenchmarkGetCold reads one object by id with no ETag cache (cache=none): every read is a full,
// counted request, as the first read of a fresh Connector is.
func BenchmarkGetCold(b *testing.B) {
	e := newEnv(b, serverOptions(), "cache=none")
	e.seed(0, 10)
	benchOp(b, e, nil, func(i int) { rowsOf(b, e.db, sqlGet, objectID(i%10)) })
}

// BenchmarkGetUnchanged reads one unchanged object again and again: one conditional request a
// read, answered 304, which GitHub does not count.
func BenchmarkGetUnchanged(b *testing.B) {
	e := newEnv(b, serverOptions())
	e.seed(0, 10)
	rowsOf(b, e.db, sqlGet, objectID(3))
	benchOp(b, e, nil, func(int) { rowsOf(b, e.db, sqlGet, objectID(3)) })
}

// BenchmarkIDIn20 reads 20 objects by `id IN (…)` with no ETag cache: 20 lookups, sent 8 at a
// time, so about 3 round trips.
func BenchmarkIDIn20(b *testing.B) {
	e := newEnv(b, serverOptions(), "cache=none")
	e.seed(0, 40)
	q, args := sqlIDIn(ids(10, 20))
	benchOp(b, e, nil, func(int) {
		if n := rowsOf(b, e.db, q, args...); n != 20 {
			b.Fatalf("id IN of 20 ids gave %d rows", n)
		}
	})
}
