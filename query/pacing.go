package query

import "time"

// Pacing is how a Connector spaces its content-creating requests (DESIGN.md §5, §6), for
// EXPLAIN's least wall time: a burst of Burst requests may go back to back, then one every
// Interval, and no sliding minute may hold more than PerMinute of them nor any sliding hour more
// than PerHour. A zero bound is off.
type Pacing struct {
	PerMinute, PerHour int
	Interval           time.Duration
	// Burst is how many may go back to back before Interval spaces them; 0 means DefaultBurst.
	Burst int
}

// DefaultBurst is Pacing.Burst when it is 0: the transport's default (one statement's worth).
const DefaultBurst = 3

// maxPacedWrites bounds the simulation of LeastTime: more writes are timed as that many, which
// keeps the figure a lower bound.
const maxPacedWrites = 1 << 20

// LeastTime is the least wall time n content-creating requests take under p when they are sent
// one after another from an idle start: from the first send to the last, as the transport's
// pacer schedules them, with no time for the requests themselves (so it is a lower bound).
//
// It replays the pacer's rules: the i-th send (from 0) goes no earlier than Interval after the
// spacing's theoretical arrival time less Burst−1 intervals (a generic cell rate algorithm),
// and no earlier than a minute after the (i−PerMinute)-th and an hour after the (i−PerHour)-th.
func (p Pacing) LeastTime(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	if n > maxPacedWrites {
		n = maxPacedWrites
	}
	burst := p.Burst
	if burst <= 0 {
		burst = DefaultBurst
	}
	sends := make([]time.Duration, n)
	var tat time.Duration // the spacing's theoretical arrival time, from the first send
	for i := range sends {
		var at time.Duration
		if p.Interval > 0 {
			at = max(at, tat-time.Duration(burst-1)*p.Interval)
		}
		if p.PerMinute > 0 && i >= p.PerMinute {
			at = max(at, sends[i-p.PerMinute]+time.Minute)
		}
		if p.PerHour > 0 && i >= p.PerHour {
			at = max(at, sends[i-p.PerHour]+time.Hour)
		}
		if i > 0 {
			at = max(at, sends[i-1]) // one at a time
		}
		sends[i] = at
		if p.Interval > 0 {
			tat = max(tat, at) + p.Interval
		}
	}
	return sends[n-1]
}
