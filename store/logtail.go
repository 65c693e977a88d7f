package store

import (
	"context"
	"fmt"

	"github.com/ghstore/ghstore/internal/transport"
)

// logTail is the end of an issue's log, from the page that holds the fold's base (DESIGN.md §3b):
// the newest trusted checkpoint, else the initial state. An object updated 10,000 times is read
// from its last page or two, as cheaply as a new one.
//
// GitHub lists an issue's comments oldest first, in pages of per_page (at most 100) that are full
// except the last, so the issue's `comments` count names the last page, and a tail that starts on
// page p holds comments (p-1)·per_page+1 onwards. The page size is chosen for each read so that the
// last page holds at least tailWindow comments (tailPage): the newest checkpoint is at most about
// checkpointEvery comments from the end, so one page is nearly always enough.
type logTail struct {
	comments  []ghComment
	entries   []logEntry // comments read as log entries, trust decided
	pageSize  int        // per_page of every page listed
	firstPage int        // the page the tail starts on (1: the whole log)
}

// total is the comment count the tail shows (what a PATCH answer's `comments` is checked
// against).
func (t *logTail) total() int { return (t.firstPage-1)*t.pageSize + len(t.comments) }

// tailWindow is how many of the newest comments the first page of a tail read should hold: the
// newest checkpoint and its `through` lie within about checkpointEvery+2 of the end.
const tailWindow = checkpointEvery + 14

// tailPage chooses the page size and page for the last count comments of a log: the largest size
// from 100 down whose last page holds at least tailWindow comments (for count past 100 there
// nearly always is one), else the size whose last page holds the most.
func tailPage(count int) (size, page int) {
	if count <= perPage {
		return perPage, 1
	}
	best, bestHeld := perPage, 0
	for p := perPage; p >= tailWindow; p-- {
		held := (count-1)%p + 1 // comments on the last page
		if held >= tailWindow {
			return p, (count + p - 1) / p
		}
		if held > bestHeld {
			best, bestHeld = p, held
		}
	}
	return best, (count + best - 1) / best
}

// holds reports whether the tail holds comment id.
func (t *logTail) holds(id int64) bool {
	for _, c := range t.comments {
		if c.id == id {
			return true
		}
	}
	return false
}

// readLog lists the tail of issue n's log that holds the fold's base, knowing (from the issue as
// read) that it has about count comments: the last page, the pages after it if comments arrived
// meanwhile, and the pages before it until the base is in the tail. One request while the
// newest checkpoint is among the last tailWindow comments.
func (s *storeImpl) readLog(ctx context.Context, n, count int) (*logTail, error) {
	size, last := tailPage(count)
	t := &logTail{pageSize: size, firstPage: last}
	var guard transport.PageGuard
	for page := last; page != 0; {
		if err := guard.Next(pageURL(page, fmt.Sprintf("issues/%d/comments?per_page=%d", n, size), nil)); err != nil {
			return nil, s.apiErr(err, fmt.Sprintf("ghstore: listing the comments of issue #%d", n))
		}
		cs, next, err := s.commentPage(ctx, n, size, page)
		if err != nil {
			return nil, err
		}
		if err := t.appendPage(ctx, s, cs); err != nil {
			return nil, err
		}
		page = next
	}
	for t.firstPage > 1 && !t.holdsBase() {
		cs, _, err := s.commentPage(ctx, n, size, t.firstPage-1)
		if err != nil {
			return nil, err
		}
		head := &logTail{}
		if err := head.appendPage(ctx, s, cs); err != nil {
			return nil, err
		}
		t.comments = append(head.comments, t.comments...)
		t.entries = append(head.entries, t.entries...)
		t.firstPage--
	}
	return t, nil
}

func (t *logTail) appendPage(ctx context.Context, s *storeImpl, cs []ghComment) error {
	es, err := s.entries(ctx, cs)
	if err != nil {
		return err
	}
	t.comments = append(t.comments, cs...)
	t.entries = append(t.entries, es...)
	return nil
}

// holdsBase reports whether the tail holds the fold's base: a trusted initial state, or a trusted
// checkpoint with every comment after its `through`.
func (t *logTail) holdsBase() bool {
	if len(t.comments) == 0 {
		return false
	}
	var sorted []*logEntry
	for i := range t.entries {
		if e := &t.entries[i]; e.isEntry && e.trusted {
			sorted = append(sorted, e)
		}
	}
	base := foldBase(sorted, true)
	switch {
	case base == nil:
		return false
	case base.parsed.kind == KindCheckpoint:
		return t.comments[0].id <= base.parsed.through
	default:
		return true
	}
}

// commentPage lists one page of issue n's comments, size a page; next is the page the answer's
// Link names next (0: none).
func (s *storeImpl) commentPage(ctx context.Context, n, size, page int) ([]ghComment, int, error) {
	if page == 1 && size == perPage {
		page = 0 // the request the rest of the store sends for page 1, so ETags match
	}
	p, err := s.gh.listComments(ctx, n, size, page)
	if err != nil {
		return nil, 0, s.apiErr(err, fmt.Sprintf("ghstore: listing the comments of issue #%d", n))
	}
	return p.comments, p.next, nil
}
