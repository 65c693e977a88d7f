package driver

import (
	"database/sql"
	goflag "flag"
	"runtime"
	"testing"
)

var longFlag = goflag.Bool("long", false, "run the long versions (100,000 statements in the heap test)")

// heapAfterGC is the live heap.
func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// statementMix runs n statements of the kinds a program sends (point SELECTs, an IN, a scan, an
// UPDATE that leaves the object as it is; unprepared texts) on db. None stores data, so whatever
// the heap gains is state kept per statement.
func statementMix(t testing.TB, db *sql.DB, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		var err error
		switch i % 10 {
		case 9:
			_, err = db.Exec(`UPDATE objects SET n = 0 WHERE id = 'a'`)
		case 7:
			var c int
			err = db.QueryRow(`SELECT COUNT(*) FROM objects WHERE id IN (?, ?)`, "b", "c").Scan(&c)
		case 8:
			var c int
			err = db.QueryRow(`SELECT COUNT(*) FROM objects`).Scan(&c)
		default:
			var n int
			err = db.QueryRow(`SELECT n FROM objects WHERE id = ?`, "a").Scan(&n)
		}
		if err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
	}
}

// TestHeapFlatOverStatements (DESIGN.md §8): the embedded backend and the driver keep nothing per
// statement: after a warm-up, 5,000 more statements (100,000 with -long) leave the live heap
// within 1 MiB of where it was. (The first release kept ~255 bytes a statement, 38.8 MB after
// 150,000 point SELECTs.)
func TestHeapFlatOverStatements(t *testing.T) {
	db, _ := openDSN(t, "local:acme/"+uniqueRepo())
	mustExec(t, db, `INSERT INTO objects (id, n) VALUES ('a', 0), ('b', 1), ('c', 2)`)
	n := 5_000
	if *longFlag {
		n = 100_000
	}
	statementMix(t, db, 0, 2_000)
	before := heapAfterGC()
	statementMix(t, db, 2_000, n)
	after := heapAfterGC()
	growth := int64(after) - int64(before)
	t.Logf("live heap %d KiB before %d statements, %d KiB after (%+d bytes, %.1f bytes/statement)", before>>10, n, after>>10, growth, float64(growth)/float64(n))
	if growth > 1<<20 {
		t.Fatalf("the heap grew by %d bytes over %d statements: something is kept per statement", growth, n)
	}
}
