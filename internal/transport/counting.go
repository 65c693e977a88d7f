package transport

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// counters are the Stats a Transport keeps, guarded by a mutex.
type counters struct {
	mu sync.Mutex
	s  Stats
	// waits are the waits under way, by a key of their own; s.WaitingFor/Until show the latest.
	waits   map[int64]Stats
	waitKey int64
}

// waiting records a wait for reason until until, and returns what ends it.
func (c *counters) waiting(reason string, until time.Time) (done func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waits == nil {
		c.waits = map[int64]Stats{}
	}
	c.waitKey++
	key := c.waitKey
	c.waits[key] = Stats{WaitingFor: reason, WaitingUntil: until}
	c.s.WaitingFor, c.s.WaitingUntil = reason, until
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.waits, key)
		c.s.WaitingFor, c.s.WaitingUntil = "", time.Time{}
		var latest int64
		for k, w := range c.waits {
			if k > latest {
				latest = k
				c.s.WaitingFor, c.s.WaitingUntil = w.WaitingFor, w.WaitingUntil
			}
		}
	}
}

func (c *counters) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

func (c *counters) retried() {
	c.mu.Lock()
	c.s.Retried++
	c.mu.Unlock()
}

func (c *counters) waited(d time.Duration) {
	c.mu.Lock()
	c.s.Waits++
	c.s.Waited += d
	c.mu.Unlock()
}

// sent records one request handed to the base transport and, when it was answered, the
// answer's status and rate-limit headers.
func (c *counters) sent(r *http.Request, resp *http.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Requests++
	if isContentCreating(r.Method) {
		c.s.ContentCreating++
	}
	if r.Method == http.MethodGet && r.URL.Query().Has("per_page") {
		c.s.Pages++
	}
	if resp == nil {
		return
	}
	if resp.StatusCode == http.StatusNotModified {
		c.s.NotModified++
	}
	h := resp.Header
	limit, errL := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, errR := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, errT := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if errL == nil && errR == nil && errT == nil {
		c.s.Limit, c.s.Remaining, c.s.Reset = limit, remaining, time.Unix(reset, 0)
	}
}

// counting is the innermost layer: it counts every request that reaches the base transport.
type counting struct {
	base  http.RoundTripper
	stats *counters
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	c.stats.sent(r, resp)
	return resp, err
}

// isContentCreating reports whether GitHub counts a request of this method against the
// secondary limit on content-creating requests.
func isContentCreating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// isSafe reports whether a request of this method can be re-sent without changing anything.
func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}
