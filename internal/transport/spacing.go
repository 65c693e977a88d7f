package transport

import (
	"sync"
	"time"
)

// DefaultWriteBurst is how many content-creating requests may go back to back before
// Options.WriteInterval spaces them, when Options.WriteBurst is 0: one statement's worth (an
// insert or an inline update sends 3), so that interactive use never waits.
const DefaultWriteBurst = 3

// writeSpacing spaces events (sends of content-creating requests) interval apart after a burst
// of up to burst: a token bucket of burst tokens that refills one token every interval, kept as
// the generic cell rate algorithm's one "theoretical arrival time" (tat). An event may go at t
// when t ≥ tat − (burst−1)·interval; it then moves tat to max(tat, t) + interval. So after a
// burst, events go exactly interval apart, and an idle spell of burst·interval restores the
// whole burst. Safe for concurrent use.
type writeSpacing struct {
	interval time.Duration
	burst    int

	mu  sync.Mutex
	tat time.Time
}

// newWriteSpacing spaces events interval apart after burst of them (burst ≤ 0: DefaultWriteBurst);
// nil when interval ≤ 0 (no spacing).
func newWriteSpacing(interval time.Duration, burst int) *writeSpacing {
	if interval <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = DefaultWriteBurst
	}
	return &writeSpacing{interval: interval, burst: burst}
}

// earliest is the earliest time at or after t at which one more event may go. A nil spacing
// admits every event at once.
func (s *writeSpacing) earliest(t time.Time) time.Time {
	if s == nil {
		return t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if free := s.tat.Add(-time.Duration(s.burst-1) * s.interval); free.After(t) {
		return free
	}
	return t
}

// take records an event sent at t (no earlier than earliest said).
func (s *writeSpacing) take(t time.Time) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.After(s.tat) {
		s.tat = t
	}
	s.tat = s.tat.Add(s.interval)
}
