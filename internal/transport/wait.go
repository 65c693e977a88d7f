package transport

import (
	"context"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// waiter makes the waits of pacing and rate limits: through the Clock, honouring the context,
// and counted in Stats.
type waiter struct {
	clock clock.Clock
	stats *counters
}

// What a wait is for, as Stats.WaitingFor says it.
const (
	WaitPacing    = "write pacing"
	WaitSecondary = "GitHub's secondary rate limit (Retry-After)"
	WaitPrimary   = "the reset of GitHub's hourly budget"
)

// sleep waits d on the clock for reason (shown in Stats while it lasts) and counts the wait;
// it returns ctx's error if ctx ends first.
func (w *waiter) sleep(ctx context.Context, d time.Duration, reason string) error {
	if d <= 0 {
		return ctx.Err()
	}
	done := w.stats.waiting(reason, w.clock.Now().Add(d))
	defer done()
	if err := w.clock.Sleep(ctx, d); err != nil {
		return err
	}
	w.stats.waited(d)
	return nil
}

// fitsDeadline reports whether a wait of d ends before ctx's deadline (if it has one). Context
// deadlines are set on the wall clock, so what is left of one is measured there; the wait itself
// goes through the Clock.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || d < time.Until(dl)
}
