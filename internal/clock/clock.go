// Package clock lets ghstore's code tell time and wait without touching the real clock in tests.
//
// Every wait in ghstore (retry backoff, rate-limit waits, write pacing) goes through a Clock, so a
// test can drive hours of pacing in microseconds with a Fake. Sleep always honours its context: it
// returns ctx.Err() as soon as the context is done.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first; it returns ctx.Err() in the
	// second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Sleep waits on a timer or the context.
func (Real) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fake is a clock that moves only when told to, or when someone sleeps on it: Sleep advances the
// fake time by d at once (so code that waits runs straight through), unless the context is done.
// It is safe for concurrent use.
type Fake struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

// NewFake returns a Fake clock reading start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// Sleep advances the fake time by d and returns at once, or returns ctx.Err() if ctx is done.
// A sleep longer than what is left of the context's deadline fails with
// context.DeadlineExceeded without moving the clock.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// Deadlines are set on the real clock: a fake sleep longer than what is left of one would not
	// fit in real time either, so it fails at once, as a real sleep would at the deadline.
	if dl, ok := ctx.Deadline(); ok && d > time.Until(dl) {
		return context.DeadlineExceeded
	}
	if d > 0 {
		f.now = f.now.Add(d)
		f.slept += d
	}
	return nil
}

// Slept returns the total time callers have slept on this clock.
func (f *Fake) Slept() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.slept
}
