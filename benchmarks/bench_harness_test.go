package benchmarks

import (
	"testing"
	"time"
)

// latency is the delay localgh adds to every answer in the benchmarks, so that ns/op counts round
// trips (about what a request to api.github.com takes from a nearby runner).
const latency = 50 * time.Millisecond

// benchOp runs op once per benchmark iteration with latency on, each iteration on a fresh request
// log, and reports requests/op, creating/op, counted/op and roundtrips/op (the depth of the
// requests: how many went one after another, inflight.roundTrips). prepare, when not nil, runs
// before each iteration with the timer stopped and latency off; what it sends is not counted.
//
// B/op and allocs/op (-benchmem) count the whole process, so they include localgh's own work of
// answering: they bound the client's cost from above.
func benchOp(b *testing.B, e *env, prepare func(i int), op func(i int)) {
	b.Helper()
	var requests, creating, counted, trips int
	i := 0
	for b.Loop() {
		b.StopTimer()
		if prepare != nil {
			e.srv.SetLatency(0)
			prepare(i)
		}
		e.srv.SetLatency(latency)
		e.srv.ResetRequests()
		e.flight.reset()
		b.StartTimer()

		op(i)

		b.StopTimer()
		c := costOf(e.srv.Requests())
		requests, creating, counted = requests+c.Requests, creating+c.Creating, counted+c.Counted
		trips += e.flight.roundTrips()
		i++
		b.StartTimer()
	}
	e.srv.SetLatency(0)
	n := float64(i)
	b.ReportMetric(float64(requests)/n, "requests/op")
	b.ReportMetric(float64(creating)/n, "creating/op")
	b.ReportMetric(float64(counted)/n, "counted/op")
	b.ReportMetric(float64(trips)/n, "roundtrips/op")
}
