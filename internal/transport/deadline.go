package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// requestDeadline is the layer that bounds each try sent to the server (Options.RequestTimeout):
// a request whose context has no deadline of its own gets one, from the moment it is handed to
// the base transport until its answer's body is closed. Waits for pacing and rate limits and
// retry backoffs, which happen above this layer, are not counted against it; a try that runs
// out of time is an error like a lost connection (a safe request is retried).
type requestDeadline struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (t *requestDeadline) RoundTrip(r *http.Request) (*http.Response, error) {
	if _, ok := r.Context().Deadline(); ok || t.timeout <= 0 {
		return t.next.RoundTrip(r)
	}
	ctx, cancel := context.WithTimeout(r.Context(), t.timeout)
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded) && r.Context().Err() == nil
		cancel()
		switch {
		case !timedOut:
			return nil, err
		case errors.Is(err, context.DeadlineExceeded):
			return nil, fmt.Errorf("transport: no answer within %s: %w", t.timeout, err)
		default: // the base's own words for it; errors.Is still tells a timeout
			return nil, fmt.Errorf("transport: no answer within %s: %w (%v)", t.timeout, context.DeadlineExceeded, err)
		}
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose is a response body that releases its request's deadline when closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
