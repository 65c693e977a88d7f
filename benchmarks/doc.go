// Package benchmarks measures what ghstore's operations cost in requests to GitHub, and how long
// they take when every request is a round trip (DESIGN.md §6).
//
// It holds only tests. Every one runs against internal/localgh served over loopback, so nothing
// reaches the network:
//
//   - Cost-regression tests (go test ./benchmarks) run each operation of DESIGN.md §6 through
//     database/sql (or through the store API for processing) and fail when it sends more requests,
//     more content-creating requests, or more counted (non-304) requests than its target.
//   - Benchmarks (go test -run '^$' -bench . -benchtime 3x -benchmem ./benchmarks) run the same
//     operations with 50 ms of latency injected into every answer, so that ns/op reflects round
//     trips, and report requests/op, creating/op, counted/op and roundtrips/op (the depth of
//     the requests, from when the server held each) with b.ReportMetric.
//
// Speed is never asserted on wall time: the test that `id IN (…)` runs its lookups concurrently
// counts the requests localgh holds in flight at once, and the paced bulk insert runs on a fake
// clock shared by localgh and the transport.
//
// BENCHMARKS.md at the module root records the figures measured on one machine.
package benchmarks
