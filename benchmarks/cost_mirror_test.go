package benchmarks

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// steppingClock is a localgh clock that moves one second every time it is read, so that objects
// seeded in a burst get distinct updated_at seconds, as objects written at GitHub's pace do. (The
// mirror lists `since` a whole second, inclusive: a burst of hundreds of writes within one second
// would be listed again by every refresh, which paced writes never produce.)
func steppingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// TestCostMirror: with cache=mirror the Connector keeps every object in memory and brings it up to
// date before each statement with one conditional list. The first read loads everything
// (⌈M/100⌉ pages, then the list at the moved since); reading an unchanged repository again, by
// id, by `id IN` or by a scan, costs 1 request answered 304 (none counted); a change costs that
// request answered 200; inserts and deletes cost no more than DESIGN.md §6 allows without the
// mirror (updates: TestCostUpdateInline).
func TestCostMirror(t *testing.T) {
	const m = 250
	opts := serverOptions()
	opts.Now = steppingClock()
	e := newEnv(t, opts, "cache=mirror")
	e.seed(0, m)

	got := e.measure(func() { rowsOf(t, e.db, sqlGet, objectID(1)) })
	within(t, fmt.Sprintf("first read with cache=mirror, loading %d objects", m), got,
		budget{Requests: ceilDiv(m, 100) + 1, Creating: 0, Counted: ceilDiv(m, 100) + 1})

	unchanged := budget{Requests: 1, Creating: 0, Counted: 0}
	got = e.measure(func() { rowsOf(t, e.db, sqlGet, objectID(2)) })
	within(t, "get by id, unchanged, cache=mirror", got, unchanged)
	got = e.measure(func() { rowsOf(t, e.db, sqlScan) })
	within(t, fmt.Sprintf("rescan of %d unchanged objects, cache=mirror", m), got, unchanged)
	q, args := sqlIDIn(ids(10, 20))
	got = e.measure(func() { rowsOf(t, e.db, q, args...) })
	within(t, "id IN of 20 ids, unchanged, cache=mirror", got, unchanged)

	got = e.measure(func() { exec(t, e.db, sqlInsert, objectID(1000), string(objectData(1000))) })
	within(t, "insert, cache=mirror", got, budget{Requests: 4, Creating: 3, Counted: 4})
	got = e.measure(func() { rowsOf(t, e.db, sqlGet, objectID(4)) })
	within(t, "get by id after an insert, cache=mirror", got, budget{Requests: 1, Creating: 0, Counted: 1})
	got = e.measure(func() { exec(t, e.db, sqlDelete, objectID(3)) })
	within(t, "delete, cache=mirror", got, budget{Requests: 2, Creating: 1, Counted: 2})
}
