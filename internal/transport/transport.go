// Package transport is the client side of ghstore's HTTP: the http.RoundTripper that go-github's
// client is built on. From the outside in, a request passes through:
//
//	ETag cache → write pacing → retries → rate-limit waits → auth → request deadline → counting → base transport
//
// Counting sits next to the base so that Stats.Requests is what really went out, retries and
// re-sends after a wait included; retries and waits are counted by the layers that make them.
//
// Invariants:
//   - A GET is revalidated every time (If-None-Match); a 304 is answered from the cache as a 200
//     with the cached body (a fresh reader each time, CacheHeader set), so go-github never sees
//     a 304. Entries are keyed by URL, Accept and identity (a hash of the Authorization the
//     request is sent with, never the token itself). Only 200 answers with an ETag are kept; the
//     cache is bounded in bytes (CacheBytes) and evicts the least recently used entry.
//   - Only safe requests (GET, HEAD) are retried on connection errors and 502/503/504, with
//     exponential backoff and full jitter; a write is never retried blindly, because it may have
//     been applied (the caller checks first).
//   - A 403/429 secondary limit or a spent primary budget waits until it may go on when that fits
//     the context's deadline (and at most MaxRateLimitWait), else fails at once with
//     *RateLimitError carrying the reset time. The limited request was not applied, so it is
//     re-sent after the wait, writes included (their body comes from GetBody). go-github never
//     sees a rate-limited answer, nor the reset of a spent budget (moved to SpentResetHeader),
//     since it would then refuse every call until that reset by the real clock.
//   - Content-creating requests (POST, PATCH, PUT, DELETE) are paced with sliding windows so that
//     no 60 s hold more than WritesPerMinute and no hour more than WritesPerHour: the n-th send
//     goes no earlier than a full window after the (n-limit)-th. With SerialWrites or a
//     WriteInterval they also go one at a time, and with a WriteInterval at least that far
//     apart after a burst of WriteBurst. A pacing wait that does not fit the context's deadline
//     fails at once with *RateLimitError{Secondary: true, Status: 0}.
//   - Every wait goes through the Clock and honours the request's context; the token never
//     appears in an error. With RequestTimeout, a try whose context has no deadline gives up
//     after that long (a hung server cannot hold a caller that set no deadline).
//   - The token goes only to the hosts Options.TokenHosts names (when empty, only to the host of
//     the request the caller sent), never with a request that follows a redirect to another
//     host or from https:// to http://.
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
	// TokenHosts are the hosts ("host" or "host:port", as in a URL's Host; no port means the
	// scheme's default) that may receive the token: a request to any other host is sent without
	// it. Empty: each request the caller sends carries it to the host it names, but a request
	// net/http makes to follow a redirect to another host never does (see auth.go). Either way a
	// redirect from https:// to http:// never carries it. Pair with SameHostRedirects as the
	// http.Client's CheckRedirect.
	TokenHosts []string
	// Clock times every wait. Default clock.Real{}.
	Clock clock.Clock
	// Jitter returns a number in [0,1) for backoff jitter. Default math/rand/v2.Float64.
	Jitter func() float64
	// MaxRetries bounds retries of one safe request. 0 means 4; negative means none.
	MaxRetries int
	// WritesPerMinute and WritesPerHour pace content-creating requests; 0 turns a bound off.
	WritesPerMinute, WritesPerHour int
	// SerialWrites sends content-creating requests one at a time: each waits until the one in
	// flight has its answer. WriteInterval > 0 implies it.
	SerialWrites bool
	// WriteInterval spaces content-creating requests at least this far apart (send to send)
	// once WriteBurst of them have gone back to back; an idle spell gives the burst back, one
	// request per WriteInterval. 0: no spacing.
	WriteInterval time.Duration
	// WriteBurst is the burst WriteInterval allows. 0 means DefaultWriteBurst.
	WriteBurst int
	// NoCache turns the ETag cache off.
	NoCache bool
	// CacheBytes bounds the ETag cache's memory (bodies, headers and keys). 0 means
	// DefaultCacheBytes.
	CacheBytes int64
	// RequestTimeout bounds each try sent to Base (from sending it to closing its answer's body)
	// whose context has no deadline; a request with a deadline keeps its own. Waits for pacing,
	// rate limits and retry backoff are not counted. 0: no bound.
	RequestTimeout time.Duration
}

// DefaultCacheBytes is the ETag cache's bound when Options.CacheBytes is 0.
const DefaultCacheBytes = 32 << 20

// Stats are a Transport's counters since it was made.
type Stats struct {
	Requests        int64 // requests sent to Base, retries included
	Pages           int64 // of those, GETs of one page of a list (they carry per_page)
	NotModified     int64 // of those, answered 304
	ContentCreating int64 // of those, POST/PATCH/PUT/DELETE
	Retried         int64 // retries sent
	Waits           int64 // waits for pacing or rate limits
	Waited          time.Duration
	// WaitingFor and WaitingUntil describe a wait under way (the latest one to begin, when
	// several requests wait at once): what it waits for (WaitPacing, WaitSecondary,
	// WaitPrimary) and when it ends. "" and the zero time when nothing waits.
	WaitingFor   string
	WaitingUntil time.Time
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

// transport holds the assembled layers and what they share.
type transport struct {
	outer http.RoundTripper // the ETag cache (or the pacer when the cache is off)
	stats *counters
	token oauth2.TokenSource // reusing source shared by auth and identity; nil when anonymous
}

// New builds a Transport.
func New(opts Options) *Transport {
	base := opts.Base
	if base == nil {
		base = http.DefaultTransport
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	jitter := opts.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	maxRetries := opts.MaxRetries
	switch {
	case maxRetries == 0:
		maxRetries = DefaultMaxRetries
	case maxRetries < 0:
		maxRetries = 0
	}
	cacheBytes := opts.CacheBytes
	if cacheBytes <= 0 {
		cacheBytes = DefaultCacheBytes
	}

	stats := &counters{}
	w := &waiter{clock: clk, stats: stats}
	var token oauth2.TokenSource
	if opts.Token != nil {
		token = oauth2.ReuseTokenSource(nil, opts.Token)
	}

	var rt http.RoundTripper = &counting{base: base, stats: stats}
	if opts.RequestTimeout > 0 {
		rt = &requestDeadline{next: rt, timeout: opts.RequestTimeout}
	}
	policy := tokenPolicy{hosts: append([]string(nil), opts.TokenHosts...)}
	rt = authenticate(rt, token, policy)
	rt = &rateLimitWaiter{next: rt, clock: clk, wait: w}
	rt = &retrier{next: rt, max: maxRetries, jitter: jitter, clock: clk, stats: stats}
	pacer := &writePacer{
		next:    rt,
		spacing: newWriteSpacing(opts.WriteInterval, opts.WriteBurst),
		windows: newSlidingWindows(opts.WritesPerMinute, opts.WritesPerHour),
		clock:   clk,
		wait:    w,
	}
	if opts.SerialWrites || pacer.spacing != nil {
		pacer.slot = make(chan struct{}, 1)
	}
	rt = pacer
	if !opts.NoCache {
		rt = &etagCache{next: rt, entries: newResponseCache(cacheBytes), maxBytes: cacheBytes, identity: identityOf(token, policy)}
	}
	return &Transport{impl: &transport{outer: rt, stats: stats, token: token}}
}

// RoundTrip sends one request through the layers.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.impl.outer.RoundTrip(r)
	if err != nil {
		return nil, redact(err, t.impl.token)
	}
	return scrubResponse(resp, t.impl.token), nil
}

// Stats returns the counters.
func (t *Transport) Stats() Stats { return t.impl.stats.snapshot() }
