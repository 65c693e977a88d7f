package transport

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// Rate-limit waits.
const (
	// MaxRateLimitWait caps one wait for a rate limit; a longer one fails with *RateLimitError.
	MaxRateLimitWait = 15 * time.Minute
	// SecondaryWait is the first wait for a secondary limit that gave no Retry-After; it doubles
	// with each further one for the same request.
	SecondaryWait = time.Minute
	// ResetMargin is added to a primary budget's reset time, which GitHub gives in whole seconds.
	ResetMargin = time.Second
	// maxRateLimitWaits bounds the waits for one request, in case a server keeps refusing.
	maxRateLimitWaits = 8
)

// rateLimitWaiter is the rate-limit layer: a 403/429 that says a limit was hit is not passed up
// (go-github would then refuse every call until the reset, by the real clock); instead it waits
// until the request may go on and sends it again (it was not applied), or fails with
// *RateLimitError when that wait does not fit.
type rateLimitWaiter struct {
	next  http.RoundTripper
	clock clock.Clock
	wait  *waiter
}

func (t *rateLimitWaiter) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	req := r
	for waits := 0; ; waits++ {
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		now := t.clock.Now()
		hit, limited := classify(resp, now, waits)
		if !limited {
			hideSpentReset(resp.Header)
			return resp, nil
		}
		drain(resp.Body)
		refusal := &RateLimitError{Secondary: hit.secondary, Reset: hit.reset, Status: resp.StatusCode}
		if hit.wait < 0 || hit.wait > MaxRateLimitWait || waits >= maxRateLimitWaits || !fitsDeadline(ctx, hit.wait) {
			return nil, refusal
		}
		again, ok := resend(r)
		if !ok {
			return nil, refusal
		}
		reason := WaitPrimary
		if hit.secondary {
			reason = WaitSecondary
		}
		if err := t.wait.sleep(ctx, hit.wait, reason); err != nil {
			return nil, fmt.Errorf("transport: waiting for a rate limit: %w", err)
		}
		req = again
	}
}

// SpentResetHeader carries X-RateLimit-Reset of an answer that spent the last of the primary
// budget (X-RateLimit-Remaining: 0); see hideSpentReset.
const SpentResetHeader = "X-Ghstore-RateLimit-Reset"

// hideSpentReset moves X-RateLimit-Reset to SpentResetHeader on an answer that says the primary
// budget is spent. go-github would otherwise refuse every call until that reset, by the real
// clock and without asking; this layer waits for the reset instead when the next request is
// refused. Stats keep the real figures.
func hideSpentReset(h http.Header) {
	if strings.TrimSpace(h.Get("X-RateLimit-Remaining")) != "0" || h.Get("X-RateLimit-Reset") == "" {
		return
	}
	h.Set(SpentResetHeader, h.Get("X-RateLimit-Reset"))
	h.Del("X-RateLimit-Reset")
}

// limitHit is what a rate-limited answer says about going on.
type limitHit struct {
	secondary bool
	wait      time.Duration // < 0: no way to know
	reset     time.Time
}

// classify tells whether resp is a rate-limited answer and how long to wait. earlier is how many
// times this request already waited (secondary waits without Retry-After grow with it). It may
// read the start of resp's body, which then reads the same as before.
func classify(resp *http.Response, now time.Time, earlier int) (limitHit, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return limitHit{}, false
	}
	h := resp.Header
	secondaryMsg := mentionsSecondaryLimit(peekBody(resp))
	spent := strings.TrimSpace(h.Get("X-RateLimit-Remaining")) == "0"
	reset, hasReset := parseReset(h)
	retryAfter, hasRetryAfter := parseRetryAfter(h, now)
	switch {
	case hasRetryAfter:
		return limitHit{secondary: secondaryMsg || !spent, wait: retryAfter, reset: now.Add(retryAfter)}, true
	case secondaryMsg || (resp.StatusCode == http.StatusTooManyRequests && !spent):
		wait := SecondaryWait << min(earlier, 20)
		if spent && hasReset {
			wait = max(wait, reset.Sub(now)+ResetMargin)
		}
		return limitHit{secondary: true, wait: wait, reset: now.Add(wait)}, true
	case spent && hasReset:
		return limitHit{wait: max(reset.Sub(now), 0) + ResetMargin, reset: reset}, true
	case spent:
		return limitHit{wait: -1, reset: now}, true
	}
	return limitHit{}, false // a 403 for want of permission
}

// peekBody reads the start of resp's body (error messages are short) and puts it back.
func peekBody(resp *http.Response) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	start, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	rest := io.Reader(resp.Body)
	if err != nil {
		rest = errReader{err}
	}
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(start), rest), resp.Body}
	return start
}

// mentionsSecondaryLimit reports whether an error body is GitHub's secondary-limit message
// ("You have exceeded a secondary rate limit", documentation ending #about-secondary-rate-limits;
// older servers speak of an "abuse detection mechanism").
func mentionsSecondaryLimit(body []byte) bool {
	b := bytes.ToLower(body)
	return bytes.Contains(b, []byte("secondary rate limit")) ||
		bytes.Contains(b, []byte("secondary-rate-limit")) ||
		bytes.Contains(b, []byte("abuse"))
}

// parseReset reads X-RateLimit-Reset (Unix seconds).
func parseReset(h http.Header) (time.Time, bool) {
	s, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(s, 0), true
}

// parseRetryAfter reads Retry-After, in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			s = 0
		}
		if s > int64(24*time.Hour/time.Second) {
			s = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
