// Package transport is the client side of ghstore's HTTP: the http.RoundTripper that go-github's
// client is built on. From the outside in, a request passes through:
//
//	counting → ETag cache → write pacing → retries → rate-limit waits → auth → base transport
//
// Invariants:
//   - A GET is revalidated every time (If-None-Match); a 304 is answered from the cache as a 200
//     with the cached body, so go-github never sees a 304. Entries are keyed by URL and identity.
//   - Only safe requests (GET, HEAD) are retried on connection errors and 502/503/504; a write is
//     never retried blindly, because it may have been applied (the caller checks first).
//   - A 403/429 secondary limit or a spent primary budget waits until it may go on when that fits
//     the context's deadline, else fails at once with *RateLimitError carrying the reset time. The
//     limited request was not applied, so it is re-sent after the wait, writes included.
//   - Content-creating requests (POST, PATCH, PUT, DELETE) are paced with sliding windows so that
//     no 60 s hold more than WritesPerMinute and no hour more than WritesPerHour.
//   - Every wait goes through the Clock; the token never appears in an error.
package transport

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/clock"
)

// Options configure a Transport.
type Options struct {
	// Base sends the requests. Default http.DefaultTransport.
	Base http.RoundTripper
	// Token authenticates requests; nil sends them anonymously.
	Token oauth2.TokenSource
	// Clock times every wait. Default clock.Real{}.
	Clock clock.Clock
	// Jitter returns a number in [0,1) for backoff jitter. Default math/rand/v2.Float64.
	Jitter func() float64
	// MaxRetries bounds retries of one safe request. 0 means 4; negative means none.
	MaxRetries int
	// WritesPerMinute and WritesPerHour pace content-creating requests; 0 turns a bound off.
	WritesPerMinute, WritesPerHour int
	// NoCache turns the ETag cache off.
	NoCache bool
}

// Stats are a Transport's counters since it was made.
type Stats struct {
	Requests        int64 // requests sent to Base, retries included
	NotModified     int64 // of those, answered 304
	ContentCreating int64 // of those, POST/PATCH/PUT/DELETE
	Retried         int64 // retries sent
	Waits           int64 // waits for pacing or rate limits
	Waited          time.Duration
	// The last rate-limit headers seen (zero before any).
	Limit, Remaining int
	Reset            time.Time
}

// Counted is how many requests GitHub charged: all but the 304s.
func (s Stats) Counted() int64 { return s.Requests - s.NotModified }

// RateLimitError is returned when a rate limit would make a request wait past its context's
// deadline (or GitHub gave no way to know when it may go on).
type RateLimitError struct {
	Secondary bool      // the secondary (content-creating) limit, else the primary budget
	Reset     time.Time // when requests may go on
	Status    int       // 403 or 429; 0 when the client-side pacer refused to wait
}

func (e *RateLimitError) Error() string {
	kind := "primary"
	if e.Secondary {
		kind = "secondary"
	}
	return fmt.Sprintf("github: %s rate limit exceeded; it resets at %s", kind, e.Reset.UTC().Format(time.RFC3339))
}

// Transport is an http.RoundTripper; it is safe for concurrent use.
type Transport struct {
	impl *transport
}

// New builds a Transport.
func New(opts Options) *Transport { panic("transport: not implemented") }

// RoundTrip sends one request through the layers.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	panic("transport: not implemented")
}

// Stats returns the counters.
func (t *Transport) Stats() Stats { panic("transport: not implemented") }

type transport struct{}

var _ = rand.Float64
