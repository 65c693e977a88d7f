package benchmarks

import (
	"net/http"
	"slices"
	"sync"
	"time"
)

// inflight is an http.Handler in front of localgh that counts the requests it holds at once, and
// remembers when each began and ended, for roundTrips. localgh logs a request, then waits its
// latency, then answers, so a request is in flight for the whole of its simulated round trip.
type inflight struct {
	mu       sync.Mutex
	next     http.Handler
	now, max int
	spans    []span
}

// span is when the server held one request.
type span struct{ start, end time.Time }

func (f *inflight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.now++
	f.max = max(f.max, f.now)
	next := f.next
	f.mu.Unlock()
	start := time.Now()
	defer func() {
		end := time.Now()
		f.mu.Lock()
		f.now--
		f.spans = append(f.spans, span{start, end})
		f.mu.Unlock()
	}()
	next.ServeHTTP(w, r)
}

// setNext puts h behind the counter instead of what was there.
func (f *inflight) setNext(h http.Handler) {
	f.mu.Lock()
	f.next = h
	f.mu.Unlock()
}

// reset forgets the highest count seen and the requests held so far.
func (f *inflight) reset() {
	f.mu.Lock()
	f.max = f.now
	f.spans = nil
	f.mu.Unlock()
}

// peak is the most requests held at once since the last reset.
func (f *inflight) peak() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.max
}

// roundTrips is the depth of the requests answered since the last reset: the most of them that
// went strictly one after another (each begun after the one before it was answered), which is
// the number of round trips a client waited for when every answer takes the same latency.
// Requests side by side count once; a window of pages in flight counts once a "wave". It is the
// greedy maximum of pairwise disjoint intervals: by earliest end, each next one that begins
// after the last one chosen ended.
func (f *inflight) roundTrips() int {
	f.mu.Lock()
	spans := slices.Clone(f.spans)
	f.mu.Unlock()
	slices.SortFunc(spans, func(a, b span) int { return a.end.Compare(b.end) })
	n := 0
	var lastEnd time.Time
	for _, s := range spans {
		if n == 0 || s.start.After(lastEnd) {
			n++
			lastEnd = s.end
		}
	}
	return n
}
