package benchmarks

import (
	"encoding/json"
	"fmt"
	"testing"
)

// sqlHistory reads one object's log.
const sqlHistory = `SELECT seq, kind, data FROM history WHERE id = ?`

// historyEnv seeds one object with 10 updates and reads its history once (so later lookups can
// be answered 304).
func historyEnv(b *testing.B, params ...string) *env {
	opts := serverOptions()
	opts.Now = steppingClock()
	e := newEnv(b, opts, params...)
	e.seed(0, 1)
	st := e.seeder(false)
	for i := range 10 {
		if _, err := st.Update(b.Context(), objectID(0), json.RawMessage(fmt.Sprintf(`{"rev":%d}`, i))); err != nil {
			b.Fatal(err)
		}
	}
	rowsOf(b, e.db, sqlHistory, objectID(0))
	return e
}

// BenchmarkHistory reads the history of an object with 10 updates: its lookup (a 304), then its
// log.
func BenchmarkHistory(b *testing.B) {
	e := historyEnv(b)
	benchOp(b, e, nil, func(int) { rowsOf(b, e.db, sqlHistory, objectID(0)) })
}

// BenchmarkHistoryMirror is BenchmarkHistory with cache=mirror: the statement's refresh (a 304),
// then the log, with no lookup (the mirror knows the issue).
func BenchmarkHistoryMirror(b *testing.B) {
	e := historyEnv(b, "cache=mirror")
	benchOp(b, e, nil, func(int) { rowsOf(b, e.db, sqlHistory, objectID(0)) })
}
