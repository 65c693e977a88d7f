package transport

import (
	"sync"
	"time"
)

// slidingWindows admits events (sends of content-creating requests) so that no window of the
// given lengths holds more than its limit. They are sliding windows, not a refilling bucket: a
// new event is admitted at the earliest time t such that the limit-th most recent event is at
// least one window before t. Admissions are handed out in order, so the recorded times are
// sorted. Safe for concurrent use.
type slidingWindows struct {
	mu     sync.Mutex
	bounds []windowBound
	span   time.Duration // the longest window: older events can no longer matter
	times  []time.Time   // admitted (or reserved) send times, oldest first, none older than span
	// horizon is the latest "now" events were forgotten by; no admission goes before it, so
	// nothing forgotten could have counted.
	horizon time.Time
}

type windowBound struct {
	limit int
	span  time.Duration
}

// newSlidingWindows bounds events to perMinute per 60 s and perHour per hour; a bound ≤ 0 is off.
func newSlidingWindows(perMinute, perHour int) *slidingWindows {
	w := &slidingWindows{}
	for _, b := range []windowBound{{perMinute, time.Minute}, {perHour, time.Hour}} {
		if b.limit > 0 {
			w.bounds = append(w.bounds, b)
			w.span = max(w.span, b.span)
		}
	}
	return w
}

// earliestLocked is the earliest time at or after now at which one more event fits every window.
func (w *slidingWindows) earliestLocked(now time.Time) time.Time {
	t := now
	if w.horizon.After(t) {
		t = w.horizon
	}
	if n := len(w.times); n > 0 && w.times[n-1].After(t) {
		t = w.times[n-1] // keep admissions in order
	}
	for _, b := range w.bounds {
		if n := len(w.times); n >= b.limit {
			if free := w.times[n-b.limit].Add(b.span); free.After(t) {
				t = free
			}
		}
	}
	return t
}

// reserve admits one event at the earliest time it fits, at or after now and notBefore (another
// bound's earliest, e.g. writeSpacing's), and records it. When fits refuses the wait from now
// until then, nothing is recorded and ok is false.
func (w *slidingWindows) reserve(now, notBefore time.Time, fits func(wait time.Duration) bool) (at time.Time, ok bool) {
	if len(w.bounds) == 0 {
		at = maxTime(now, notBefore)
		return at, fits(at.Sub(now))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	at = w.earliestLocked(maxTime(now, notBefore))
	if !fits(at.Sub(now)) {
		return at, false
	}
	w.times = append(w.times, at)
	w.forgetLocked(now)
	return at, true
}

// forgetLocked drops the events that no window reaching now or later can hold. Events are kept
// by time, not by count, so that cancelling the newest reservations never loses older events
// that still count.
func (w *slidingWindows) forgetLocked(now time.Time) {
	if now.After(w.horizon) {
		w.horizon = now
	}
	drop := 0
	for drop < len(w.times) && !w.times[drop].Add(w.span).After(now) {
		drop++
	}
	if drop > 0 {
		w.times = append(w.times[:0], w.times[drop:]...)
	}
}

// cancel forgets a reservation that was not used (its wait was cut short). Later reservations
// counted it, so they stay within the bounds.
func (w *slidingWindows) cancel(at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := len(w.times) - 1; i >= 0; i-- {
		if w.times[i].Equal(at) {
			w.times = append(w.times[:i], w.times[i+1:]...)
			return
		}
	}
}

// maxTime is the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
