package driver

import (
	"testing"
)

// TestUnpreparedStatementsParseOnce: the same text run again without Prepare takes its parse
// from the Connector's cache; a new text parses.
func TestUnpreparedStatementsParseOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		mustExec(t, e.db, `INSERT INTO objects (id, n) VALUES ('a', 1)`)
		before := e.c.impl.parses.Load()
		for range 10 {
			var n int
			if err := e.db.QueryRow(`SELECT n FROM objects WHERE id = ?`, "a").Scan(&n); err != nil || n != 1 {
				t.Fatalf("n = %d, %v", n, err)
			}
		}
		if got := e.c.impl.parses.Load() - before; got != 1 {
			t.Errorf("10 runs of one unprepared text parsed %d times, want 1", got)
		}
		var n int
		if err := e.db.QueryRow(`SELECT n FROM objects WHERE id = 'a'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if got := e.c.impl.parses.Load() - before; got != 2 {
			t.Errorf("a second text: %d parses in all, want 2", got)
		}
	})
}
