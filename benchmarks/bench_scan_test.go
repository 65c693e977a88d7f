package benchmarks

import "testing"

// benchScan scans m objects with a JSON predicate, with no ETag cache (cache=none): ⌈m/100⌉
// pages, page 1 first, then the others side by side (8 in flight).
func benchScan(b *testing.B, m int) {
	e := newEnv(b, serverOptions(), "cache=none")
	e.seed(0, m)
	benchOp(b, e, nil, func(int) {
		if n := rowsOf(b, e.db, sqlScan); n == 0 {
			b.Fatal("the scan found nothing")
		}
	})
}

// BenchmarkScan200 and BenchmarkScan2000 are the sizes issue 15 measured gh-store 0.10.3 at.
func BenchmarkScan200(b *testing.B)  { benchScan(b, 200) }
func BenchmarkScan2000(b *testing.B) { benchScan(b, 2_000) }

// BenchmarkScan1000 scans 1,000 objects.
func BenchmarkScan1000(b *testing.B) { benchScan(b, 1_000) }

// BenchmarkScan10000 scans 10,000 objects: 100 pages in about 15 round trips, after seeding
// 10,000 objects. -short skips it.
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
