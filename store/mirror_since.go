package store

import (
	"net/http"
	"time"
)

// A second that holds many updated issues (issue 15, point 4). The mirror's since is inclusive
// and whole-second, and it never moves past the newest updated_at it has seen, so that a change
// made later in that very second is still listed. When more than a page of issues share that
// second (a bulk import by another tool, 100 issues relabelled by a script), every refresh lists
// them all again: ceil(k/100) requests a statement, answered 304 while nothing changes, and all
// counted again with a new token or after any change, for as long as no later change moves since.
//
// Once that second is over by the server's own clock (the Date header of the walk's answer), no
// change can be stamped with it any more, so since may move past it: to the next second. Margins:
// the read lag GitHub's lists may show (Options.ReadLag: a change stamped in the second may be
// listed that much later) and mirrorClockSlack for the server's clocks disagreeing.
//
// Hook mirror.go needs (not wired here): its walk counts the issues of its newest second and
// keeps its answers' Date; run then calls sinceAfterBusySecond where it would leave since at a
// walk's newest, and walks the new URL once more so that the next refresh is answered 304.

// mirrorClockSlack is how far the server's Date and its updated_at stamps may disagree.
const mirrorClockSlack = time.Second

// sinceAfterBusySecond returns the since to walk from next when a walk's newest updated_at is
// newest, atNewest of its issues have it, and the server said serverNow: the second after newest
// when that second holds more than mirrorMoveSince issues and is over by serverNow with lag and
// mirrorClockSlack to spare; otherwise newest itself (ok false: nothing to move past).
func sinceAfterBusySecond(newest time.Time, atNewest int, serverNow time.Time, lag time.Duration) (next time.Time, ok bool) {
	second := newest.Truncate(time.Second)
	if atNewest <= mirrorMoveSince || serverNow.IsZero() {
		return newest, false
	}
	after := second.Add(time.Second)
	if serverNow.Before(after.Add(lag + mirrorClockSlack)) {
		return newest, false
	}
	return after, true
}

// serverNow is the server's clock as an answer's Date header gives it; zero when absent or not
// an HTTP date.
func serverNow(h http.Header) time.Time {
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}
