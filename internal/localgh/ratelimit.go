package localgh

import (
	"time"
)

// unlimitedBudget is what the headers report when Options.RateLimit is negative.
const unlimitedBudget = 1_000_000_000

// limiter keeps GitHub's primary budget (a fixed hourly window per token, starting with its first
// request) and the secondary limit on content-creating requests (sliding minute and hour windows).
// All windows run on Options.Now. Callers hold server.mu.
type limiter struct {
	limit           int // <0: no primary limit
	perMin, perHour int // <0: no bound
	budgets         map[string]*budget
	writes          map[string][]time.Time
	sweep           int // calls until the next forget
}

// sweepEvery is how many calls to allowWrite pass between sweeps of windows that are over:
// keys are per token, and a token seen once must not be kept for ever.
const sweepEvery = 1024

// maxWriteWindows bounds how many write windows are kept at once; past it, tokens not yet seen
// share overflowWindow's budget (any token is valid with Options.AnyTokenAs).
const maxWriteWindows = 4096

const overflowWindow = "\x00overflow"

// forget drops every budget and write window that has run out by now.
func (l *limiter) forget(now time.Time) {
	for k, b := range l.budgets {
		if !now.Before(b.reset) {
			delete(l.budgets, k)
		}
	}
	for k, ts := range l.writes {
		if len(ts) == 0 || !ts[len(ts)-1].After(now.Add(-time.Hour)) {
			delete(l.writes, k)
		}
	}
}

type budget struct {
	reset time.Time
	used  int
}

func newLimiter(o Options) *limiter {
	l := &limiter{limit: o.RateLimit, perMin: o.WritesPerMinute, perHour: o.WritesPerHour,
		budgets: map[string]*budget{}, writes: map[string][]time.Time{}}
	if l.limit == 0 {
		l.limit = 5000
	}
	if l.perMin == 0 {
		l.perMin = 80
	}
	if l.perHour == 0 {
		l.perHour = 500
	}
	return l
}

func (l *limiter) budget(key string, now time.Time) *budget {
	b := l.budgets[key]
	if b == nil || !now.Before(b.reset) {
		b = &budget{reset: now.Add(time.Hour).Truncate(time.Second)}
		l.budgets[key] = b
	}
	return b
}

// status reports the budget as the X-RateLimit headers show it.
func (l *limiter) status(key string, now time.Time) (limit, remaining, used int, reset time.Time) {
	b := l.budget(key, now)
	limit = l.limit
	if limit < 0 {
		limit = unlimitedBudget
	}
	remaining = limit - b.used
	if remaining < 0 {
		remaining = 0
	}
	return limit, remaining, b.used, b.reset
}

func (l *limiter) spent(key string, now time.Time) bool {
	if l.limit < 0 {
		return false
	}
	return l.budget(key, now).used >= l.limit
}

func (l *limiter) charge(key string, now time.Time) { l.budget(key, now).used++ }

// allowWrite records a content-creating request if the secondary limit allows it; otherwise it
// says how many seconds until it would.
func (l *limiter) allowWrite(key string, now time.Time) (ok bool, retryAfter int) {
	if l.sweep++; l.sweep >= sweepEvery {
		l.sweep = 0
		l.forget(now)
	}
	if _, ok := l.writes[key]; !ok && len(l.writes) >= maxWriteWindows {
		l.forget(now)
		if len(l.writes) >= maxWriteWindows {
			key = overflowWindow // so many tokens at once: the newest share one budget
		}
	}
	ts := l.writes[key]
	// Forget what left the hour window.
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-time.Hour)) {
		i++
	}
	ts = ts[i:]
	wait := time.Duration(0)
	if l.perHour >= 0 && len(ts) >= l.perHour {
		wait = ts[len(ts)-l.perHour].Add(time.Hour).Sub(now)
	}
	if l.perMin >= 0 {
		inMinute := 0
		for _, t := range ts {
			if t.After(now.Add(-time.Minute)) {
				inMinute++
			}
		}
		if inMinute >= l.perMin {
			if w := ts[len(ts)-l.perMin].Add(time.Minute).Sub(now); w > wait {
				wait = w
			}
		}
	}
	if wait > 0 {
		l.writes[key] = ts
		secs := int((wait + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		return false, secs
	}
	l.writes[key] = append(ts, now)
	return true, 0
}
