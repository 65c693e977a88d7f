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

// sleep waits d on the clock and counts the wait; it returns ctx's error if ctx ends first.
func (w *waiter) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
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
