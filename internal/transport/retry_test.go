package transport

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// jitters returns a Jitter func that yields vs in turn (then the last one).
func jitters(vs ...float64) func() float64 {
	var mu sync.Mutex
	i := 0
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		v := vs[min(i, len(vs)-1)]
		i++
		return v
	}
}

// scripted answers requests with statuses in turn (0 means a connection error), then 200.
func scripted(statuses ...int) *handlerBase {
	var mu sync.Mutex
	return &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if len(statuses) == 0 {
			w.Write([]byte("ok"))
			return
		}
		s := statuses[0]
		statuses = statuses[1:]
		w.WriteHeader(s)
		w.Write([]byte("bad gateway"))
	})}
}

func TestBackoffIsFullJitterOfCappedExponential(t *testing.T) {
	for attempt, ceiling := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second} {
		if d := backoff(attempt, func() float64 { return 0 }); d != 0 {
			t.Fatalf("attempt %d, jitter 0: %v, want 0", attempt, d)
		}
		if d := backoff(attempt, func() float64 { return 0.5 }); d != ceiling/2 {
			t.Fatalf("attempt %d, jitter 0.5: %v, want %v", attempt, d, ceiling/2)
		}
		if d := backoff(attempt, func() float64 { return 0.999999 }); d >= ceiling || d < ceiling*99/100 {
			t.Fatalf("attempt %d, jitter ~1: %v, want just under %v", attempt, d, ceiling)
		}
	}
	if d := backoff(1000, func() float64 { return 0.5 }); d != RetryCap/2 {
		t.Fatalf("huge attempt: %v", d)
	}
}

func TestGETRetriedOnGatewayErrorsWithBackoff(t *testing.T) {
	b := scripted(502, 503, 504)
	clk := fakeClock()
	tr := New(Options{Base: b, Clock: clk, Jitter: jitters(0.5, 0.25, 1.0/8)})
	resp, body, err := get(t, tr, context.Background(), "https://api.github.invalid/x")
	if err != nil || resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("got %v %q %v", resp, body, err)
	}
	// 0.5*500ms + 0.25*1s + 1/8*2s
	if want := 250*time.Millisecond + 250*time.Millisecond + 250*time.Millisecond; clk.Slept() != want {
		t.Fatalf("slept %v, want %v", clk.Slept(), want)
	}
	s := tr.Stats()
	if s.Requests != 4 || s.Retried != 3 || s.Waits != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestGETRetriedOnConnectionErrors(t *testing.T) {
	calls := 0
	base := funcBase(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls <= 2 {
			return nil, errConnRefused
		}
		return scripted().RoundTrip(r)
	})
	clk := fakeClock()
	tr := New(Options{Base: base, Clock: clk, Jitter: jitters(1.0/2, 1.0/2)})
	if _, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x"); err != nil {
		t.Fatal(err)
	}
	if calls != 3 || clk.Slept() != 250*time.Millisecond+500*time.Millisecond {
		t.Fatalf("calls %d, slept %v", calls, clk.Slept())
	}
}

func TestRetriesAreBounded(t *testing.T) {
	b := scripted(503, 503, 503, 503, 503, 503, 503, 503)
	tr := New(Options{Base: b, Clock: fakeClock(), Jitter: noJitter, MaxRetries: 2})
	resp, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x")
	if err != nil || resp.StatusCode != 503 {
		t.Fatalf("got %v %v, want the last 503", resp, err)
	}
	if n := len(b.requests()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}

	b = scripted(503, 503, 503, 503, 503, 503, 503, 503)
	tr = New(Options{Base: b, Clock: fakeClock(), Jitter: noJitter})
	get(t, tr, context.Background(), "https://api.github.invalid/x")
	if n := len(b.requests()); n != 1+DefaultMaxRetries {
		t.Fatalf("%d requests with the default, want %d", n, 1+DefaultMaxRetries)
	}

	b = scripted(503)
	tr = New(Options{Base: b, Clock: fakeClock(), Jitter: noJitter, MaxRetries: -1})
	resp, _, _ = get(t, tr, context.Background(), "https://api.github.invalid/x")
	if n := len(b.requests()); n != 1 || resp.StatusCode != 503 {
		t.Fatalf("negative MaxRetries: %d requests, status %d", n, resp.StatusCode)
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		b := scripted(502, 503)
		clk := fakeClock()
		tr := New(Options{Base: b, Clock: clk, Jitter: noJitter})
		resp, _, err := do(t, tr, context.Background(), method, "https://api.github.invalid/x", `{"a":1}`)
		if err != nil || resp.StatusCode != 502 {
			t.Fatalf("%s: got %v %v, want the 502", method, resp, err)
		}
		if n := len(b.requests()); n != 1 || clk.Slept() != 0 || tr.Stats().Retried != 0 {
			t.Fatalf("%s: %d requests, slept %v", method, n, clk.Slept())
		}
	}
	calls := 0
	base := funcBase(func(r *http.Request) (*http.Response, error) { calls++; return nil, errConnRefused })
	tr := New(Options{Base: base, Clock: fakeClock(), Jitter: noJitter})
	if _, _, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}"); !errors.Is(err, errConnRefused) || calls != 1 {
		t.Fatalf("POST connection error: %v after %d calls", err, calls)
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	base := funcBase(func(r *http.Request) (*http.Response, error) {
		calls++
		cancel()
		return nil, context.Canceled
	})
	tr := New(Options{Base: base, Clock: fakeClock(), Jitter: noJitter})
	if _, _, err := get(t, tr, ctx, "https://api.github.invalid/x"); !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("err %v after %d calls", err, calls)
	}

	// A backoff that does not fit the deadline gives back the last answer at once.
	b := scripted(503, 503)
	clk := fakeClock()
	tr = New(Options{Base: b, Clock: clk, Jitter: func() float64 { return 0.999 }})
	ctx, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	resp, _, err := get(t, tr, ctx, "https://api.github.invalid/x")
	if err != nil || resp.StatusCode != 503 || clk.Slept() != 0 {
		t.Fatalf("got %v %v, slept %v", resp, err, clk.Slept())
	}
}
