package benchmarks

import (
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
)

// TestIDInConcurrent: `id IN (…)` of 20 ids, with every answer delayed, finishes in about 3 round
// trips (⌈20/8⌉, the DSN's default concurrency of 8), because its lookups are sent concurrently.
// It is measured by the requests localgh holds in flight at once, never by wall time: the
// latency is a gate that answers each full wave at once (gate_test.go).
func TestIDInConcurrent(t *testing.T) {
	const k, width = 20, driver.DefaultConcurrency
	g := newGate(width, k)
	opts := serverOptions()
	opts.Sleep = g.sleep
	e := newEnv(t, opts)
	e.seed(0, 40)
	q, args := sqlIDIn(ids(5, k))

	e.srv.SetLatency(50 * time.Millisecond) // every answer now goes through the gate
	e.flight.reset()
	var n int
	got := e.measure(func() { n = rowsOf(t, e.db, q, args...) })
	e.srv.SetLatency(0)

	if n != k {
		t.Fatalf("id IN of %d ids gave %d rows", k, n)
	}
	peak, trips := e.flight.peak(), g.roundTrips()
	t.Logf("id IN of %d ids: %s; at most %d in flight; %d round trips", k, got, peak, trips)
	if got.Requests > k {
		t.Errorf("id IN of %d ids sent %d requests; want at most %d:%s", k, got.Requests, k, got.logLines())
	}
	if peak > width {
		t.Errorf("id IN held %d requests in flight at once; the default concurrency is %d", peak, width)
	}
	if want := ceilDiv(got.Requests, width); trips > want {
		t.Errorf("id IN of %d ids took %d round trips (at most %d requests in flight at once); want %d, its %d requests sent %d at a time",
			k, trips, peak, want, got.Requests, width)
	}
}
