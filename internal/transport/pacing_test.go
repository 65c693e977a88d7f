package transport

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// sendLog is a base that records when (on the clock) each request reached it.
type sendLog struct {
	clock clock.Clock
	mu    sync.Mutex
	at    []time.Time
}

func (s *sendLog) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.at = append(s.at, s.clock.Now())
	s.mu.Unlock()
	return scripted().RoundTrip(r)
}

// checkWindows fails unless no span-long window holds more than limit of the sorted times.
func checkWindows(t *testing.T, times []time.Time, limit int, span time.Duration) {
	t.Helper()
	for i := 0; i+limit < len(times); i++ {
		if d := times[i+limit].Sub(times[i]); d < span {
			t.Fatalf("sends %d and %d are %v apart: %d sends within %v, limit %d", i, i+limit, d, limit+1, span, limit)
		}
	}
}

// minimalSchedule is when the i-th write (from 0) may go at the earliest under perMinute and
// perHour sliding windows, sent one after another: bursts of perMinute a minute apart, and each
// hour's first write one hour after the previous hour's.
func minimalSchedule(i, perMinute, perHour int) time.Duration {
	hour, inHour := i/perHour, i%perHour
	return time.Duration(hour)*time.Hour + time.Duration(inHour/perMinute)*time.Minute
}

func TestPacingKeepsSlidingWindowsAtMinimalCost(t *testing.T) {
	for _, n := range []int{500, 1100} {
		clk := fakeClock()
		log := &sendLog{clock: clk}
		tr := New(Options{Base: log, Clock: clk, WritesPerMinute: 80, WritesPerHour: 500})
		for i := range n {
			if _, _, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/repos/o/r/issues", `{}`); err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
		if len(log.at) != n || !slices.IsSortedFunc(log.at, func(a, b time.Time) int { return a.Compare(b) }) {
			t.Fatalf("%d sends, sorted %v", len(log.at), slices.IsSortedFunc(log.at, func(a, b time.Time) int { return a.Compare(b) }))
		}
		checkWindows(t, log.at, 80, time.Minute)
		checkWindows(t, log.at, 500, time.Hour)
		for i, at := range log.at {
			if want := epoch.Add(minimalSchedule(i, 80, 500)); !at.Equal(want) {
				t.Fatalf("n=%d: write %d went at +%v, the earliest the windows allow is +%v", n, i, at.Sub(epoch), want.Sub(epoch))
			}
		}
		total := clk.Now().Sub(epoch)
		if want := minimalSchedule(n-1, 80, 500); total != want {
			t.Fatalf("n=%d: took %v of fake time, want the minimum %v", n, total, want)
		}
		if n == 500 && total != 6*time.Minute {
			t.Fatalf("500 writes took %v, want 6m", total)
		}
		if s := tr.Stats(); s.ContentCreating != int64(n) || s.Waited != total {
			t.Fatalf("stats %+v", s)
		}
	}
}

func TestPacingLeavesReadsAlone(t *testing.T) {
	clk := fakeClock()
	tr := New(Options{Base: &sendLog{clock: clk}, Clock: clk, WritesPerMinute: 1, WritesPerHour: 1})
	for range 50 {
		get(t, tr, context.Background(), "https://api.github.invalid/x")
	}
	if clk.Slept() != 0 {
		t.Fatalf("reads waited %v", clk.Slept())
	}
}

func TestPacingOffWhenBoundsAreZero(t *testing.T) {
	clk := fakeClock()
	tr := New(Options{Base: &sendLog{clock: clk}, Clock: clk})
	for range 200 {
		do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	}
	if clk.Slept() != 0 {
		t.Fatalf("unpaced writes waited %v", clk.Slept())
	}
	// One bound alone.
	clk = fakeClock()
	log := &sendLog{clock: clk}
	tr = New(Options{Base: log, Clock: clk, WritesPerHour: 3})
	for range 7 {
		do(t, tr, context.Background(), http.MethodDelete, "https://api.github.invalid/x", "")
	}
	if clk.Now().Sub(epoch) != 2*time.Hour {
		t.Fatalf("7 writes at 3/hour took %v", clk.Now().Sub(epoch))
	}
}

func TestPacingFailsFastPastTheDeadline(t *testing.T) {
	clk := fakeClock()
	log := &sendLog{clock: clk}
	tr := New(Options{Base: log, Clock: clk, WritesPerMinute: 2, WritesPerHour: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 2 {
		if _, _, err := do(t, tr, ctx, http.MethodPost, "https://api.github.invalid/x", "{}"); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := do(t, tr, ctx, http.MethodPost, "https://api.github.invalid/x", "{}")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Secondary || rl.Status != 0 || !rl.Reset.Equal(epoch.Add(time.Minute)) {
		t.Fatalf("err %v (%+v), want a client-side secondary RateLimitError resetting at +1m", err, rl)
	}
	if len(log.at) != 2 || clk.Slept() != 0 {
		t.Fatalf("%d sends, slept %v", len(log.at), clk.Slept())
	}
	// The refused write took no slot: a patient caller goes at +1m.
	if _, _, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}"); err != nil {
		t.Fatal(err)
	}
	if !log.at[2].Equal(epoch.Add(time.Minute)) {
		t.Fatalf("third write at +%v, want +1m", log.at[2].Sub(epoch))
	}
}

func TestPacingWaitStopsWhenContextIsCancelled(t *testing.T) {
	clk := fakeClock()
	log := &sendLog{clock: clk}
	tr := New(Options{Base: log, Clock: clk, WritesPerMinute: 1})
	do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := do(t, tr, ctx, http.MethodPost, "https://api.github.invalid/x", "{}")
	if !errors.Is(err, context.Canceled) || len(log.at) != 1 || clk.Slept() != 0 {
		t.Fatalf("err %v, %d sends, slept %v", err, len(log.at), clk.Slept())
	}
	// The cancelled write gave its slot back.
	do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	if !log.at[1].Equal(epoch.Add(time.Minute)) {
		t.Fatalf("next write at +%v, want +1m", log.at[1].Sub(epoch))
	}
}

func TestSlidingWindowsUnderConcurrency(t *testing.T) {
	w := newSlidingWindows(80, 500)
	var mu sync.Mutex
	var got []time.Time
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				// Callers see different "nows"; some reservations are cancelled.
				now := epoch.Add(time.Duration(g*i) * time.Second)
				at, ok := w.reserve(now, now, func(time.Duration) bool { return true })
				if !ok || at.Before(now) {
					t.Errorf("reserve(%v) = %v, %v", now, at, ok)
					return
				}
				if (g+i)%7 == 0 {
					w.cancel(at)
					continue
				}
				mu.Lock()
				got = append(got, at)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(got, func(a, b time.Time) int { return a.Compare(b) })
	checkWindows(t, got, 80, time.Minute)
	checkWindows(t, got, 500, time.Hour)
}

func TestConcurrentWritesThroughTransport(t *testing.T) {
	clk := fakeClock()
	log := &sendLog{clock: clk}
	tr := New(Options{Base: log, Clock: clk, WritesPerMinute: 10, WritesPerHour: 100})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				req, _ := http.NewRequest(http.MethodPost, "https://api.github.invalid/x", nil)
				resp, err := tr.RoundTrip(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if s := tr.Stats(); s.ContentCreating != 40 || s.Requests != 40 {
		t.Fatalf("stats %+v", s)
	}
}
