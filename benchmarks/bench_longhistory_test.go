package benchmarks

import (
	"context"
	"testing"
)

// BenchmarkUpdateLongHistory updates an object with C = 10,000 comments in its log
// (DESIGN.md §3b): the update reads only the log's tail, from the newest checkpoint, so it costs
// what an update of a new object costs. requests/op and creating/op are over the updates that
// wrote no checkpoint (5 / 3 is the target); checkpoint-updates/op is the share that did (about
// 1 in 50, each 2 content-creating requests more). Seeding the history takes a few seconds
// before the timer starts.
func BenchmarkUpdateLongHistory(b *testing.B) {
	const c = 10_000
	e := newEnv(b, serverOptions())
	e.seed(0, 1)
	id := objectID(0)
	issue := e.pend(id, c-1)
	if _, err := e.seeder(false).Process(context.Background(), issue); err != nil {
		b.Fatal(err)
	}
	exec(b, e.db, sqlUpdate, 0, id) // the first update reads the whole log once and checkpoints
	rowsOf(b, e.db, sqlGet, id)

	var plain, plainRequests, plainCreating, checkpoints, maxPlain int
	i := 0
	for b.Loop() {
		b.StopTimer()
		e.srv.SetLatency(latency)
		e.srv.ResetRequests()
		b.StartTimer()

		exec(b, e.db, sqlUpdate, 1+i, id)

		b.StopTimer()
		e.srv.SetLatency(0)
		got := costOf(e.srv.Requests())
		if got.Creating > 3 { // this update also wrote a checkpoint and its +1
			checkpoints++
		} else {
			plain++
			plainRequests += got.Requests
			plainCreating += got.Creating
			maxPlain = max(maxPlain, got.Requests)
		}
		i++
		b.StartTimer()
	}
	if plain > 0 {
		b.ReportMetric(float64(plainRequests)/float64(plain), "requests/op")
		b.ReportMetric(float64(plainCreating)/float64(plain), "creating/op")
		b.ReportMetric(float64(maxPlain), "max-requests/op")
	}
	b.ReportMetric(float64(checkpoints)/float64(i), "checkpoint-updates/op")
}
