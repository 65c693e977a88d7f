package main

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/clock"
)

// manualTicker is a ticker the test drives.
type manualTicker struct {
	ch      chan time.Time
	stopped bool
	mu      sync.Mutex
}

func (m *manualTicker) start(time.Duration) (<-chan time.Time, func()) {
	return m.ch, func() { m.mu.Lock(); m.stopped = true; m.mu.Unlock() }
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressDrawsOnTicksAndErasesItself(t *testing.T) {
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	tick := &manualTicker{ch: make(chan time.Time)}
	var mu sync.Mutex
	stats := driver.Stats{Requests: 10, Pages: 1, NotModified: 2, Limit: 5000, Remaining: 4990}
	current := func() driver.Stats { mu.Lock(); defer mu.Unlock(); return stats }
	var out syncBuffer

	p := startProgress(&out, clk, tick.start, current)
	mu.Lock()
	stats.Requests, stats.Pages, stats.NotModified, stats.Remaining = 14, 4, 3, 4987
	mu.Unlock()
	p.rows.Store(250)
	clk.Advance(1500 * time.Millisecond)
	tick.ch <- clk.Now()
	p.stop()
	p.stop() // a second stop does nothing

	want := "\r\x1b[K… 250 rows · 3 pages read · 4 requests (1 unchanged, not counted) · budget 4987/5000 · 1.5s\r\x1b[K"
	if got := out.String(); got != want {
		t.Errorf("progress wrote\n%q\nwant\n%q", got, want)
	}
	if !tick.stopped {
		t.Error("the ticker was not stopped")
	}
}

func TestProgressQuickStatementShowsNothing(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	tick := &manualTicker{ch: make(chan time.Time)}
	var out syncBuffer
	p := startProgress(&out, clk, tick.start, func() driver.Stats { return driver.Stats{} })
	p.stop()
	if out.String() != "" {
		t.Errorf("a statement that ends before the first tick drew %q", out.String())
	}
}

func TestProgressWithoutRateLimitHeaders(t *testing.T) {
	p := &progress{}
	p.rows.Store(1)
	got := p.line(driver.Stats{}, driver.Stats{Requests: 2, Pages: 1}, 300*time.Millisecond)
	if want := "… 1 row · 1 page read · 2 requests · 300ms"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
