package store

import (
	"context"
	"fmt"
	"time"
)

// The repository-wide comment stream (issue 15, point 3): GET /repos/{o}/{r}/issues/comments
// ?since=S lists every issue comment of the repository updated at or after S, whatever its
// issue. One request (while fewer than 100 comments changed) thus brings the new comments of
// every open object, where listing each open issue's comments costs a request per issue.
//
// The list is sorted by creation, ascending (the endpoint's default), not by updated_at: a
// comment edited while the stream is paged enters the set where it was created and pushes the
// later ones back a row, which repeats one (it is dropped by id) but never skips one; a list
// sorted by updated_at would move it to the end and pull the later ones forward, skipping one.
// A comment deleted meanwhile can still make the walk skip one: the caller walks again when
// the comment count says a comment is missing.
//
// Comments are decoded as ghComments carrying only what a log entry reads (id, its issue, author
// and association, body, created_at, the +1 count), straight from the answer's bytes.
//
// Hook mirror.go needs (not wired here): a refresh walks the stream from its since once, after
// its issue list, and folds each changed open issue from the log it mirrors plus the stream's
// comments of that issue, listing the issue's own comments only when the counts disagree.

// commentStream pages through the comments updated at or after since (zero: all), created
// ascending, calling visit with each page in order (each comment names its issue); visit returns
// false to stop. Requests are built the same way every time so that the ETag cache can answer a
// repeat with a 304.
func (s *storeImpl) commentStream(ctx context.Context, since time.Time, visit func([]ghComment) (bool, error)) error {
	seen := map[int64]bool{}
	for page := 1; page != 0; {
		p, err := s.gh.listRepoComments(ctx, since, page)
		if err != nil {
			return s.apiErr(err, fmt.Sprintf("ghstore: listing the repository's comments, page %d", page))
		}
		fresh := p.comments[:0]
		for _, c := range p.comments {
			if !seen[c.id] {
				seen[c.id] = true
				fresh = append(fresh, c)
			}
		}
		if more, err := visit(fresh); err != nil || !more {
			return err
		}
		page = p.next
	}
	return nil
}
