package benchmarks

import (
	"net/http"
	"sync"
)

// inflight is an http.Handler in front of localgh that counts the requests it holds at once.
// localgh logs a request, then waits its latency, then answers, so a request is in flight for
// the whole of its simulated round trip.
type inflight struct {
	next http.Handler

	mu       sync.Mutex
	now, max int
}

func (f *inflight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.now++
	f.max = max(f.max, f.now)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}()
	f.next.ServeHTTP(w, r)
}

// reset forgets the highest count seen.
func (f *inflight) reset() {
	f.mu.Lock()
	f.max = f.now
	f.mu.Unlock()
}

// peak is the most requests held at once since the last reset.
func (f *inflight) peak() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.max
}
