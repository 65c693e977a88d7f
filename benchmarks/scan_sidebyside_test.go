package benchmarks

import (
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
)

// TestScanPagesSideBySide: a scan of 450 objects (5 pages) takes 2 round trips: page 1, whose
// Link names the last page, then pages 2–5 side by side (the default concurrency is 8). Latency
// is a gate that answers a wave of requests once as many as the client should have in flight
// have arrived, so the round trips are counted, not timed.
func TestScanPagesSideBySide(t *testing.T) {
	const m = 450
	pages := ceilDiv(m, 100)
	g := newGate(driver.DefaultConcurrency, pages)
	opts := serverOptions()
	opts.Sleep = g.sleep
	e := newEnv(t, opts, "cache=none")
	e.seed(0, m)

	e.srv.SetLatency(50 * time.Millisecond) // every answer now goes through the gate
	var n int
	got := e.measure(func() { n = rowsOf(t, e.db, `SELECT id FROM objects`) })
	e.srv.SetLatency(0)
	if n != m {
		t.Fatalf("the scan gave %d rows, want %d", n, m)
	}
	trips := g.roundTrips()
	t.Logf("scan of %d: %s; %d round trips", m, got, trips)
	within(t, "scan of 450 objects", got, budget{Requests: pages, Creating: 0, Counted: pages})
	if trips != 2 {
		t.Errorf("the scan of %d objects took %d round trips, want 2 (page 1, then pages 2–%d side by side):%s", m, trips, pages, got.logLines())
	}
}
