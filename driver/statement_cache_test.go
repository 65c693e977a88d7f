package driver

import (
	"fmt"
	"testing"

	"github.com/ghstore/ghstore/query"
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

// TestStatementCacheEvictsLeastRecentlyUsed: the cache stays within its bound and keeps what was
// used last.
func TestStatementCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newStatementCache(3)
	parse := func(text string) *query.Statement {
		st, err := query.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	texts := make([]string, 4)
	for i := range texts {
		texts[i] = fmt.Sprintf("SELECT id FROM objects WHERE n = %d", i)
	}
	for _, q := range texts[:3] {
		c.put(q, parse(q))
	}
	if _, ok := c.get(texts[0]); !ok { // texts[0] becomes the most recent
		t.Fatal("texts[0] missing before any eviction")
	}
	c.put(texts[3], parse(texts[3]))
	if _, ok := c.get(texts[1]); ok {
		t.Error("texts[1], least recently used, survived past the bound")
	}
	for _, q := range []string{texts[0], texts[2], texts[3]} {
		if _, ok := c.get(q); !ok {
			t.Errorf("%q was evicted", q)
		}
	}
	if c.order.Len() != 3 || len(c.byQuery) != 3 {
		t.Errorf("cache holds %d/%d entries, want 3", c.order.Len(), len(c.byQuery))
	}
}
