package store

import (
	"context"
	"sync"
	"time"

	"github.com/ghstore/ghstore/internal/idkey"
)

// GitHub's reads lag its writes (Options.ReadLag): for a moment after an issue is created, a GET
// of it or of its comments can answer 404 and listings omit it, and after its labels change,
// listings show the labels it had (octokit.js #900; judell/bram #254; HubTurbo #502). Writes see
// no lag. So within the lag bound a Store trusts what it wrote over what a read shows it:
//
//   - an id it created is looked up again (waiting, doubling, up to the bound since the create)
//     while the listing lacks its issue, so an UPDATE or DELETE right after an INSERT finds it;
//   - an issue it archived is not read as live while a listing still shows its old labels;
//   - a Create re-lists its id once the bound has passed since its issue was made, so that a
//     racing Create whose issue the first listing could not yet show is found, and the younger
//     issue's caller is told ErrDuplicateKey (readers use the oldest);
//   - a 404 for the comments of an issue younger than the bound is asked again;
//   - a scan waits until the bound has passed since this Store's last create or archive.
//
// With ReadLag 0 (the embedded backend, any consistent server) none of this waits or resends.

// recentWrites is what this Store wrote within the lag bound.
type recentWrites struct {
	lag time.Duration
	now func() time.Time

	mu       sync.Mutex
	created  map[string]recentCreate // by idkey.Of(id)
	archived map[int]time.Time       // by issue number
	last     time.Time               // the newest create or archive
}

type recentCreate struct {
	issue int
	at    time.Time
}

func newRecentWrites(lag time.Duration, now func() time.Time) *recentWrites {
	return &recentWrites{lag: lag, now: now, created: map[string]recentCreate{}, archived: map[int]time.Time{}}
}

// forget drops what is older than the bound. Callers hold r.mu.
func (r *recentWrites) forgetLocked(now time.Time) {
	for k, c := range r.created {
		if now.Sub(c.at) >= r.lag {
			delete(r.created, k)
		}
	}
	for n, at := range r.archived {
		if now.Sub(at) >= r.lag {
			delete(r.archived, n)
		}
	}
}

func (r *recentWrites) noteCreate(id string, issue int) {
	r.note(func(now time.Time) { r.created[idkey.Of(id)] = recentCreate{issue: issue, at: now} })
}

func (r *recentWrites) noteArchive(issue int) {
	r.note(func(now time.Time) { r.archived[issue] = now })
}

// note records a write made now (when there is a lag bound at all), forgetting what is past it.
func (r *recentWrites) note(record func(now time.Time)) {
	if r.lag <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	r.forgetLocked(now)
	record(now)
	r.last = now
}

// createdRecently returns the issue this Store created for id within the bound, and when the
// bound passes for it.
func (r *recentWrites) createdRecently(id string) (issue int, until time.Time, ok bool) {
	if r.lag <= 0 {
		return 0, time.Time{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.created[idkey.Of(id)]
	if !ok || r.now().Sub(c.at) >= r.lag {
		return 0, time.Time{}, false
	}
	return c.issue, c.at.Add(r.lag), true
}

// archivedRecently reports whether this Store archived issue within the bound.
func (r *recentWrites) archivedRecently(issue int) bool {
	if r.lag <= 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.archived[issue]
	return ok && r.now().Sub(at) < r.lag
}

// settled is when every write of this Store is past the bound (zero when none is within it).
func (r *recentWrites) settled() time.Time {
	if r.lag <= 0 {
		return time.Time{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last.IsZero() || r.now().Sub(r.last) >= r.lag {
		return time.Time{}
	}
	return r.last.Add(r.lag)
}

// sleepUntil waits on the Store's clock until t (now when t has passed).
func (s *storeImpl) sleepUntil(ctx context.Context, t time.Time) error {
	if d := t.Sub(s.clock.Now()); d > 0 {
		return s.clock.Sleep(ctx, d)
	}
	return ctx.Err()
}

// waitForOwnWrites waits until this Store's writes are past the lag bound (a scan's
// read-your-writes under lag).
func (s *storeImpl) waitForOwnWrites(ctx context.Context) error {
	if t := s.recent.settled(); !t.IsZero() {
		return s.sleepUntil(ctx, t)
	}
	return nil
}
