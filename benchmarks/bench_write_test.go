package benchmarks

import "testing"

// BenchmarkInsert inserts one new object.
func BenchmarkInsert(b *testing.B) {
	e := newEnv(b, serverOptions())
	e.seed(0, 10)
	benchOp(b, e, nil, func(i int) { exec(b, e.db, sqlInsert, objectID(100_000+i), string(objectData(i))) })
}

// freshRead seeds object i and reads it once through e's handle (so the write's own read can be
// answered 304), the way a program updates what it has just read.
func freshRead(b *testing.B, e *env) func(i int) {
	return func(i int) {
		e.seed(i, 1)
		rowsOf(b, e.db, sqlGet, objectID(i))
	}
}

// BenchmarkUpdateInline updates an object just read (apply=inline, read-your-writes).
func BenchmarkUpdateInline(b *testing.B) {
	e := newEnv(b, serverOptions())
	benchOp(b, e, freshRead(b, e), func(i int) { exec(b, e.db, sqlUpdate, 1000+i, objectID(i)) })
}

// BenchmarkUpdateAsync updates an object just read with apply=async: a comment and a reopen,
// left for a processor.
func BenchmarkUpdateAsync(b *testing.B) {
	e := newEnv(b, serverOptions(), "apply=async")
	benchOp(b, e, freshRead(b, e), func(i int) { exec(b, e.db, sqlUpdate, 1000+i, objectID(i)) })
}

// BenchmarkDelete deletes one object (soft delete: relabel and close).
func BenchmarkDelete(b *testing.B) {
	e := newEnv(b, serverOptions())
	benchOp(b, e, func(i int) { e.seed(i, 1) }, func(i int) {
		if n := exec(b, e.db, sqlDelete, objectID(i)); n != 1 {
			b.Fatalf("delete affected %d rows", n)
		}
	})
}
