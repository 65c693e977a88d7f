package transport

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// writePacer is the write-pacing layer: it holds each content-creating request until the sliding
// windows admit it, so that GitHub's secondary limit is not tripped. A wait that does not fit the
// context's deadline fails at once with *RateLimitError{Secondary: true, Status: 0}.
type writePacer struct {
	next    http.RoundTripper
	windows *slidingWindows
	clock   clock.Clock
	wait    *waiter
}

func (p *writePacer) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isContentCreating(r.Method) {
		return p.next.RoundTrip(r)
	}
	ctx := r.Context()
	now := p.clock.Now()
	at, ok := p.windows.reserve(now, func(wait time.Duration) bool { return fitsDeadline(ctx, wait) })
	if !ok {
		closeBody(r)
		return nil, &RateLimitError{Secondary: true, Reset: at, Status: 0}
	}
	if err := p.wait.sleep(ctx, at.Sub(now)); err != nil {
		p.windows.cancel(at)
		closeBody(r)
		return nil, fmt.Errorf("transport: pacing writes: %w", err)
	}
	return p.next.RoundTrip(r)
}

// closeBody closes a request's body when the request will not be sent, as a RoundTripper must.
func closeBody(r *http.Request) {
	if r.Body != nil {
		r.Body.Close()
	}
}
