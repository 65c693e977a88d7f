package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/clock"
)

// progressInterval is how often a running statement's progress line is redrawn; a statement that
// ends sooner shows none.
const progressInterval = 250 * time.Millisecond

// progress draws one line on a terminal (stderr) while a statement runs: the rows it has
// produced, the requests it has sent (and how many GitHub answered 304, which it does not count),
// the rate-limit budget left, and the time spent. It redraws on each tick and erases itself when
// stopped, so the statement's own output is left clean.
type progress struct {
	w      io.Writer
	clock  clock.Clock
	stats  func() driver.Stats
	ticker func(time.Duration) (<-chan time.Time, func())

	rows atomic.Int64 // set by the statement as it reads
	// write is how far a write has got (set through driver.WithProgress); nil for a read.
	write atomic.Pointer[driver.WriteProgress]

	stop func() // ends the drawing goroutine and erases the line
}

// startProgress begins drawing on w. Its stop method must be called.
func startProgress(w io.Writer, clk clock.Clock, ticker func(time.Duration) (<-chan time.Time, func()),
	stats func() driver.Stats) *progress {
	p := &progress{w: w, clock: clk, stats: stats, ticker: ticker}
	base, start := stats(), clk.Now()
	ticks, stopTicker := ticker(progressInterval)
	done := make(chan struct{})
	var wg sync.WaitGroup
	drawn := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-ticks:
				fmt.Fprintf(w, "\r\x1b[K%s", p.line(base, stats(), clk.Now().Sub(start)))
				drawn = true
			}
		}
	}()
	var once sync.Once
	p.stop = func() {
		once.Do(func() {
			stopTicker()
			close(done)
			wg.Wait()
			if drawn {
				fmt.Fprint(w, "\r\x1b[K")
			}
		})
	}
	return p
}

// line is the progress text for the requests between base and now, after elapsed: for a read,
// the rows and pages read; for a write, the objects written of how many and the one under way;
// while a request waits for write pacing or a rate limit, what for and how much longer.
func (p *progress) line(base, now driver.Stats, elapsed time.Duration) string {
	var s string
	if w := p.write.Load(); w != nil {
		s = fmt.Sprintf("… %s: %d of %s written", w.Verb, w.Done, objectsNoun(w.Total))
		if w.ID != "" {
			s += fmt.Sprintf(" (%q under way)", abbreviate(w.ID, 24))
		}
		s += fmt.Sprintf(" · %d requests, %d content-creating", now.Requests-base.Requests, now.ContentCreating-base.ContentCreating)
	} else {
		s = fmt.Sprintf("… %s · %s read · %d requests", rowsNoun(p.rows.Load()), pagesNoun(now.Pages-base.Pages), now.Requests-base.Requests)
	}
	if nm := now.NotModified - base.NotModified; nm > 0 {
		s += fmt.Sprintf(" (%d unchanged, not counted)", nm)
	}
	if now.WaitingFor != "" {
		left := now.WaitingUntil.Sub(p.clock.Now())
		s += fmt.Sprintf(" · waiting %s for %s", max(left, 0).Round(100*time.Millisecond), now.WaitingFor)
	}
	if now.Limit > 0 {
		s += fmt.Sprintf(" · budget %d/%d", now.Remaining, now.Limit)
	}
	return s + fmt.Sprintf(" · %s", elapsed.Round(100*time.Millisecond))
}

// abbreviate cuts s to n runes, marking the cut with "…".
func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// pagesNoun is "1 page" or "n pages": pages of issue and comment lists read.
func pagesNoun(n int64) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}
