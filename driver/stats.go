package driver

import "time"

// Stats are the request counters of a Connector's transport (Connector.Stats).
type Stats struct {
	Requests        int64 // requests sent, retries included
	Pages           int64 // of those, GETs of one page of a list (they carry per_page)
	NotModified     int64 // of those, answered 304 (GitHub does not count them)
	ContentCreating int64 // of those, POST/PATCH/PUT/DELETE
	Retried         int64 // retries sent
	Waits           int64 // waits for pacing or rate limits
	Waited          time.Duration
	// WaitingFor and WaitingUntil describe a wait under way (the latest one to begin, when
	// several requests wait at once): what it waits for, in words ("write pacing", GitHub's
	// secondary rate limit, the reset of its hourly budget) and when it ends. "" and the zero
	// time when nothing waits.
	WaitingFor   string
	WaitingUntil time.Time
	// The last rate-limit headers seen (zero before any).
	Limit, Remaining int
	Reset            time.Time
}

// Counted is how many requests GitHub charged: all but the 304s.
func (s Stats) Counted() int64 { return s.Requests - s.NotModified }
