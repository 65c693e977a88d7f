package transport

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// writePacer is the write-pacing layer. For each content-creating request it
//
//  1. waits for the write in flight, if writes are serial (slot is not nil): one at a time,
//     as GitHub's best practices ask of a user's writes;
//  2. waits until spacing admits it (a burst, then one every WriteInterval) and the sliding
//     windows admit it (WritesPerMinute, WritesPerHour), so that GitHub's secondary limit is not
//     tripped;
//  3. sends it, holding the slot until its answer has arrived.
//
// A wait that does not fit the context's deadline fails at once with
// *RateLimitError{Secondary: true, Status: 0}; a context that ends while waiting for the slot
// fails with its error. Reads pass straight through.
type writePacer struct {
	next    http.RoundTripper
	slot    chan struct{} // capacity 1: held by the write in flight; nil: writes go side by side
	spacing *writeSpacing // nil: no spacing
	windows *slidingWindows
	clock   clock.Clock
	wait    *waiter
}

func (p *writePacer) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isContentCreating(r.Method) {
		return p.next.RoundTrip(r)
	}
	ctx := r.Context()
	if p.slot != nil {
		select {
		case p.slot <- struct{}{}:
			defer func() { <-p.slot }()
		case <-ctx.Done():
			closeBody(r)
			return nil, fmt.Errorf("transport: waiting for the write in flight: %w", ctx.Err())
		}
	}
	now := p.clock.Now()
	at, ok := p.windows.reserve(now, p.spacing.earliest(now), func(wait time.Duration) bool { return fitsDeadline(ctx, wait) })
	if !ok {
		closeBody(r)
		return nil, &RateLimitError{Secondary: true, Reset: at, Status: 0}
	}
	if err := p.wait.sleep(ctx, at.Sub(now), WaitPacing); err != nil {
		p.windows.cancel(at)
		closeBody(r)
		return nil, fmt.Errorf("transport: pacing writes: %w", err)
	}
	p.spacing.take(at)
	return p.next.RoundTrip(r)
}

// closeBody closes a request's body when the request will not be sent, as a RoundTripper must.
func closeBody(r *http.Request) {
	if r.Body != nil {
		r.Body.Close()
	}
}
