package benchmarks

import "testing"

// benchScan scans m objects with a JSON predicate, with no ETag cache (cache=none): ⌈m/100⌉
// pages, one after another.
func benchScan(b *testing.B, m int) {
	e := newEnv(b, serverOptions(), "cache=none")
	e.seed(0, m)
	benchOp(b, e, nil, func(int) {
		if n := rowsOf(b, e.db, sqlScan); n == 0 {
			b.Fatal("the scan found nothing")
		}
	})
}

// BenchmarkScan1000 scans 1,000 objects.
func BenchmarkScan1000(b *testing.B) { benchScan(b, 1_000) }

// BenchmarkScan10000 scans 10,000 objects: 100 pages, about 5 s an iteration at 50 ms a round
// trip, after seeding 10,000 objects. -short skips it.
func BenchmarkScan10000(b *testing.B) {
	if testing.Short() {
		b.Skip("seeds 10,000 objects; run without -short")
	}
	benchScan(b, 10_000)
}

// BenchmarkRescan1000Unchanged scans 1,000 objects that have not changed since the last scan:
// every page is a conditional request answered 304, which GitHub does not count.
func BenchmarkRescan1000Unchanged(b *testing.B) {
	e := newEnv(b, serverOptions())
	e.seed(0, 1_000)
	rowsOf(b, e.db, sqlScan)
	benchOp(b, e, nil, func(int) { rowsOf(b, e.db, sqlScan) })
}

// BenchmarkOrderByLimit10 keeps the 10 best of 1,000 objects: a whole scan, then a sort.
func BenchmarkOrderByLimit10(b *testing.B) {
	e := newEnv(b, serverOptions(), "cache=none")
	e.seed(0, 1_000)
	benchOp(b, e, nil, func(int) {
		if n := rowsOf(b, e.db, sqlTop); n != 10 {
			b.Fatalf("ORDER BY … LIMIT 10 gave %d rows", n)
		}
	})
}
