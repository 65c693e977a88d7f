package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// GitHub's secondary-limit answer (GITHUB.md).
const secondaryBody = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 1234.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}`

const primaryBody = `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting","status":"403"}`

// limitedThenOK answers the first n requests with limit(w), then 201 echoing the request body.
func limitedThenOK(n int, limit func(w http.ResponseWriter)) *handlerBase {
	var mu sync.Mutex
	return &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if n > 0 {
			n--
			limit(w)
			return
		}
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		w.WriteHeader(http.StatusCreated)
		w.Write(body)
	})}
}

func secondaryLimit(status int, retryAfter string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("X-RateLimit-Remaining", "4000")
		w.WriteHeader(status)
		w.Write([]byte(secondaryBody))
	}
}

func primaryLimit(status int, reset time.Time) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		w.WriteHeader(status)
		w.Write([]byte(primaryBody))
	}
}

func TestRetryAfterWaitsAndResendsTheWrite(t *testing.T) {
	for _, status := range []int{403, 429} {
		b := limitedThenOK(1, secondaryLimit(status, "30"))
		clk := fakeClock()
		tr := New(Options{Base: b, Clock: clk, Jitter: noJitter})
		resp, body, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/repos/o/r/issues", `{"title":"x"}`)
		if err != nil || resp.StatusCode != 201 || body != `{"title":"x"}` {
			t.Fatalf("%d: got %v %q %v, want the re-sent write's 201", status, resp, body, err)
		}
		if clk.Slept() != 30*time.Second || !clk.Now().Equal(epoch.Add(30*time.Second)) {
			t.Fatalf("%d: slept %v", status, clk.Slept())
		}
		s := tr.Stats()
		if s.Requests != 2 || s.ContentCreating != 2 || s.Waits != 1 || s.Waited != 30*time.Second || s.Retried != 0 {
			t.Fatalf("%d: stats %+v", status, s)
		}
	}
}

func TestRetryAfterAsHTTPDate(t *testing.T) {
	b := limitedThenOK(1, secondaryLimit(429, epoch.Add(45*time.Second).Format(http.TimeFormat)))
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk})
	if _, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x"); err != nil {
		t.Fatal(err)
	}
	if clk.Slept() != 45*time.Second {
		t.Fatalf("slept %v, want 45s", clk.Slept())
	}
}

func TestSecondaryLimitWithoutRetryAfterWaitsAMinuteGrowing(t *testing.T) {
	b := limitedThenOK(3, secondaryLimit(403, ""))
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk})
	if _, _, err := do(t, tr, context.Background(), http.MethodPatch, "https://api.github.invalid/x", `{}`); err != nil {
		t.Fatal(err)
	}
	if want := time.Minute + 2*time.Minute + 4*time.Minute; clk.Slept() != want {
		t.Fatalf("slept %v, want %v", clk.Slept(), want)
	}
	if s := tr.Stats(); s.Waits != 3 || s.Requests != 4 {
		t.Fatalf("stats %+v", s)
	}
}

func TestPrimaryBudgetSpentWaitsUntilReset(t *testing.T) {
	reset := epoch.Add(10 * time.Minute)
	b := limitedThenOK(1, primaryLimit(403, reset))
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk})
	resp, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x")
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("got %v %v", resp, err)
	}
	if want := reset.Add(ResetMargin); !clk.Now().Equal(want) {
		t.Fatalf("went on at %v, want %v", clk.Now(), want)
	}
	if s := tr.Stats(); s.Waits != 1 || s.Waited != 10*time.Minute+ResetMargin || s.Remaining != 0 || !s.Reset.Equal(reset) {
		t.Fatalf("stats %+v", s)
	}
}

func TestRateLimitFailsFastPastTheDeadline(t *testing.T) {
	reset := epoch.Add(10 * time.Minute)
	cases := []struct {
		name      string
		limit     func(http.ResponseWriter)
		status    int
		secondary bool
		reset     time.Time
	}{
		{"403 Retry-After", secondaryLimit(403, "60"), 403, true, epoch.Add(time.Minute)},
		{"429 Retry-After", secondaryLimit(429, "60"), 429, true, epoch.Add(time.Minute)},
		{"secondary without Retry-After", secondaryLimit(403, ""), 403, true, epoch.Add(time.Minute)},
		{"primary 403", primaryLimit(403, reset), 403, false, reset},
		{"primary 429", primaryLimit(429, reset), 429, false, reset},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := limitedThenOK(1, c.limit)
			clk := fakeClock()
			tr := New(Options{Base: b, Clock: clk})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, _, err := do(t, tr, ctx, http.MethodPost, "https://api.github.invalid/x", "{}")
			var rl *RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("err %v, want *RateLimitError", err)
			}
			if rl.Status != c.status || rl.Secondary != c.secondary || !rl.Reset.Equal(c.reset) {
				t.Fatalf("got %+v, want status %d secondary %v reset %v", rl, c.status, c.secondary, c.reset)
			}
			if clk.Slept() != 0 || len(b.requests()) != 1 {
				t.Fatalf("slept %v after %d requests; want an immediate failure", clk.Slept(), len(b.requests()))
			}
		})
	}
}

func TestRateLimitWaitFitsALongDeadline(t *testing.T) {
	b := limitedThenOK(1, secondaryLimit(403, "60"))
	tr := New(Options{Base: b, Clock: fakeClock()})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, _, err := get(t, tr, ctx, "https://api.github.invalid/x"); err != nil {
		t.Fatal(err)
	}
}

func TestRateLimitWaitIsCapped(t *testing.T) {
	b := limitedThenOK(1, primaryLimit(403, epoch.Add(MaxRateLimitWait+time.Minute)))
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk})
	_, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x")
	var rl *RateLimitError
	if !errors.As(err, &rl) || clk.Slept() != 0 {
		t.Fatalf("err %v, slept %v: a wait beyond %v should fail at once", err, clk.Slept(), MaxRateLimitWait)
	}
}

func TestRateLimitErrorThroughHTTPClient(t *testing.T) {
	b := limitedThenOK(1, secondaryLimit(403, "600"))
	tr := New(Options{Base: b, Clock: fakeClock()})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.github.invalid/x", nil)
	_, err := (&http.Client{Transport: tr}).Do(req)
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Secondary {
		t.Fatalf("err %v", err)
	}
}

func TestForbiddenWithoutLimitPassesThrough(t *testing.T) {
	const msg = `{"message":"Resource not accessible by integration","status":"403"}`
	b := &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "4999")
		w.WriteHeader(403)
		w.Write([]byte(msg))
	})}
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk})
	resp, body, err := get(t, tr, context.Background(), "https://api.github.invalid/user")
	if err != nil || resp.StatusCode != 403 || body != msg || clk.Slept() != 0 {
		t.Fatalf("got %v %q %v", resp, body, err)
	}
}

func TestRateLimitWaitStopsWhenContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	limit := secondaryLimit(403, "60")
	b := limitedThenOK(5, func(w http.ResponseWriter) { cancel(); limit(w) })
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk})
	_, _, err := get(t, tr, ctx, "https://api.github.invalid/x")
	if !errors.Is(err, context.Canceled) || clk.Slept() != 0 || len(b.requests()) != 1 {
		t.Fatalf("err %v, slept %v, %d requests", err, clk.Slept(), len(b.requests()))
	}
}

func TestWriteWithoutGetBodyIsNotResent(t *testing.T) {
	b := limitedThenOK(1, secondaryLimit(403, "1"))
	tr := New(Options{Base: b, Clock: fakeClock()})
	req, _ := http.NewRequest(http.MethodPost, "https://api.github.invalid/x", io.NopCloser(strings.NewReader("{}")))
	_, err := tr.RoundTrip(req)
	var rl *RateLimitError
	if !errors.As(err, &rl) || len(b.requests()) != 1 {
		t.Fatalf("err %v after %d requests", err, len(b.requests()))
	}
}

func TestRateLimitWaitsAreBoundedPerRequest(t *testing.T) {
	b := limitedThenOK(1000, secondaryLimit(403, "1"))
	tr := New(Options{Base: b, Clock: fakeClock()})
	_, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x")
	var rl *RateLimitError
	if !errors.As(err, &rl) || len(b.requests()) != maxRateLimitWaits+1 {
		t.Fatalf("err %v after %d requests", err, len(b.requests()))
	}
}
