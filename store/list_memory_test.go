package store

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

// TestListHoldsAPageAtATime: List lets go of the objects it has yielded, so a scan that streams
// (a SELECT without ORDER BY) holds about a page however large the store (issue "Request cost":
// a scan of 10,000 objects holds at most a page of issues at a time). Each object of the first
// page gets a finalizer; by the time the listing is on its fourth page, the garbage collector must
// have been able to free every one of them. No time is involved: the check runs the collector
// until they are freed, a bounded number of times.
func TestListHoldsAPageAtATime(t *testing.T) {
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	const m = 350
	for i := range m {
		_, err := w.Create(e.ctx, fmt.Sprintf("o%03d", i), json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)))
		check(t, err)
	}
	s := e.store("carol", Options{Login: "carol", Concurrency: 1})
	var freed atomic.Int32
	n := 0
	for o, err := range s.List(e.ctx, ListOptions{}) {
		check(t, err)
		n++
		if n <= perPage {
			runtime.AddCleanup(o, func(int) { freed.Add(1) }, 0)
		}
		if n == 3*perPage+1 { // on the fourth page
			for range 200 {
				if freed.Load() == perPage {
					break
				}
				runtime.GC()
				runtime.Gosched()
			}
			if got := freed.Load(); got != perPage {
				t.Fatalf("on the fourth page, %d of the first page's %d objects could be freed: the listing holds them", got, perPage)
			}
		}
	}
	if n != m {
		t.Fatalf("listed %d objects, want %d", n, m)
	}
}
