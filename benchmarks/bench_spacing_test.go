package benchmarks

import (
	"testing"
	"time"
)

// What write_interval=1s (GitHub's default) costs an insert, whose 3 content-creating requests
// go one at a time either way.

// BenchmarkInsertSpacedInteractive inserts one object after an idle spell of 3 s (outside the
// timer), as a person at a prompt does: the burst allowance covers the insert's 3 writes, so
// the spacing costs nothing.
func BenchmarkInsertSpacedInteractive(b *testing.B) {
	e := newEnv(b, serverOptions(), "write_interval=1s")
	e.seed(0, 10)
	benchOp(b, e, func(int) { time.Sleep(3 * time.Second) },
		func(i int) { exec(b, e.db, sqlInsert, objectID(100_000+i), string(objectData(i))) })
}

// BenchmarkInsertSpacedBackToBack inserts objects one after another with write_interval=1s:
// once the burst is spent, each insert's 3 writes go 1 s apart, about 3 s an insert.
func BenchmarkInsertSpacedBackToBack(b *testing.B) {
	e := newEnv(b, serverOptions(), "write_interval=1s")
	e.seed(0, 10)
	benchOp(b, e, nil, func(i int) { exec(b, e.db, sqlInsert, objectID(100_000+i), string(objectData(i))) })
}
