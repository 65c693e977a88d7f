package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// process materialises issue's pending updates: GET the issue, list its comments, fold, PATCH body +
// close (checked by the answer's comment count), +1 each newly applied or superseded update:
// 3 + N requests while the newest checkpoint is on the log's last page (DESIGN.md §3b), at any
// history length. A closed issue whose body already is the fold is left alone.
func (s *storeImpl) process(ctx context.Context, issue int) (*Object, error) {
	iss, err := s.gh.getIssue(ctx, issue)
	if err != nil {
		if statusOf(err) == 404 {
			return nil, fmt.Errorf("%w: issue #%d (or the repository %s/%s is not readable): %v", ErrNotFound, issue, s.owner, s.repo, err)
		}
		return nil, s.apiErr(err, fmt.Sprintf("ghstore: reading issue #%d", issue))
	}
	ok, err := s.isObjectIssue(ctx, iss)
	if err != nil {
		return nil, err
	}
	if !ok || iss.pull {
		return nil, fmt.Errorf("%w: issue #%d is not a live object by a trusted author", ErrNotFound, issue)
	}
	return s.processIssue(ctx, iss)
}

func (s *storeImpl) processIssue(ctx context.Context, iss *ghIssue) (*Object, error) {
	n := iss.number
	id, _ := objectID(iss.labels)
	t, err := s.readLog(ctx, n, iss.comments)
	if err != nil {
		return nil, err
	}
	f, err := fold(n, iss.body, true, t.entries)
	if err != nil {
		return nil, err
	}
	if iss.state != "open" {
		if bv, ok := parseObject([]byte(iss.body)); ok && f.pending == 0 && valueEqual(bv, f.data) {
			obj := objectFromFold(iss, f)
			s.mirror.observe(iss, obj, true)
			return obj, nil
		}
	}
	return s.settle(ctx, id, n, iss.body, t, f)
}

// processAll processes every open object; it returns how many it processed.
//
// The open issues are listed first (ceil(O/100) requests), then processed concurrently with at most
// Options.Concurrency issues in flight: each issue's processing is a chain of dependent requests
// (comments, PATCH, +1s), so running issues side by side cuts the wall time by about the
// concurrency while sending exactly the requests the one-by-one order sent. GitHub's secondary limit
// counts content-creating requests, not their order, and the transport paces them whatever the
// concurrency. After the first failure no further issue is started; those in flight finish (an
// interrupted settle leaves its issue open, which loses nothing), and the first error is returned
// with the count of issues that were processed.
func (s *storeImpl) processAll(ctx context.Context) (int, error) {
	var open []*ghIssue
	err := s.listIssues(ctx, []string{labelObject}, "open", time.Time{}, func(page []*ghIssue) (bool, error) {
		for _, iss := range page {
			ok, err := s.isObjectIssue(ctx, iss)
			if err != nil {
				return false, err
			}
			if ok {
				open = append(open, iss)
			}
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	var done atomic.Int64
	err = eachBounded(ctx, len(open), s.concurrency, false, func(ctx context.Context, i int) error {
		if _, err := s.processIssue(oneRequestAtATime(ctx), open[i]); err != nil {
			return fmt.Errorf("ghstore: processing issue #%d: %w", open[i].number, err)
		}
		done.Add(1)
		return nil
	})
	n := int(done.Load())
	if err != nil {
		return n, fmt.Errorf("ghstore: processed %d of %d open objects: %w", n, len(open), err)
	}
	return n, nil
}
