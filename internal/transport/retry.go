package transport

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// Backoff of retries: the n-th retry (from 0) sleeps Jitter() * min(RetryCap, RetryBase * 2^n)
// ("full jitter").
const (
	DefaultMaxRetries = 4
	RetryBase         = 500 * time.Millisecond
	RetryCap          = 30 * time.Second
)

// retrier is the retry layer: a safe request (GET, HEAD) that meets a connection error or a
// 502/503/504 is sent again after a backoff with full jitter, at most max times. Writes pass
// through untouched: one that failed may have been applied, and only the caller can check.
type retrier struct {
	next   http.RoundTripper
	max    int
	jitter func() float64
	clock  clock.Clock
	stats  *counters
}

func (t *retrier) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isSafe(r.Method) || t.max <= 0 {
		return t.next.RoundTrip(r)
	}
	ctx := r.Context()
	req := r
	for attempt := 0; ; attempt++ {
		resp, err := t.next.RoundTrip(req)
		if attempt >= t.max || !retryable(resp, err) || ctx.Err() != nil {
			return resp, err
		}
		d := backoff(attempt, t.jitter)
		if !fitsDeadline(ctx, d) {
			return resp, err
		}
		again, ok := resend(r)
		if !ok {
			return resp, err
		}
		if resp != nil {
			drain(resp.Body)
		}
		if err := t.clock.Sleep(ctx, d); err != nil {
			return nil, fmt.Errorf("transport: backing off before a retry: %w", err)
		}
		t.stats.retried()
		req = again
	}
}

// retryable reports whether an answer to a safe request is worth asking again: a connection
// error, or a gateway that failed or timed out.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		var rl *RateLimitError
		return !errors.As(err, &rl)
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is the sleep before retry number attempt (from 0): full jitter over an exponentially
// growing, capped range.
func backoff(attempt int, jitter func() float64) time.Duration {
	ceiling := RetryCap
	if attempt < 32 {
		if d := RetryBase << attempt; d > 0 && d < RetryCap {
			ceiling = d
		}
	}
	return time.Duration(jitter() * float64(ceiling))
}

// resend returns a request to send r again: r itself when it has no body, else a clone with a
// fresh body from GetBody. ok is false when the body cannot be had again.
func resend(r *http.Request) (*http.Request, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return r, true
	}
	if r.GetBody == nil {
		return nil, false
	}
	body, err := r.GetBody()
	if err != nil {
		return nil, false
	}
	again := r.Clone(r.Context())
	again.Body = body
	return again, true
}
