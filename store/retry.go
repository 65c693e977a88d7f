package store

import (
	"context"
	"errors"
	"fmt"
)

// writeTries bounds how often one write is sent when its answers are lost.
const writeTries = 3

// ambiguous reports whether a failed write may nevertheless have been applied: the answer was lost
// (a transport error) or GitHub answered 5xx. A 4xx, a rate limit (the transport's
// *RateLimitError: nothing was applied) or the caller's own cancellation is not ambiguous.
func ambiguous(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return false
	}
	var re *responseError
	if errors.As(err, &re) {
		return !re.limited && re.status >= 500
	}
	return true
}

// createIssue POSTs an issue; when the answer is lost it looks for the issue (by our login and body
// among the issues carrying its labels) before sending it again, so no object is ever created twice.
func (s *storeImpl) createIssue(ctx context.Context, id, title, body string, labels []string) (*ghIssue, error) {
	var lastErr error
	for try := 0; try < writeTries; try++ {
		sentAt := s.clock.Now()
		iss, err := s.gh.createIssue(ctx, title, body, labels)
		if err == nil {
			s.learnLogin(iss.login)
			return iss, nil
		}
		if !ambiguous(ctx, err) {
			return nil, s.apiErr(err, fmt.Sprintf("ghstore: creating the issue of %q", id))
		}
		lastErr = err
		// lag.go: an issue made by the lost POST can be missing from listings for the lag
		// bound; looking sooner would send it again and make a duplicate.
		if s.recent.lag > 0 {
			if err := s.sleepUntil(ctx, sentAt.Add(s.recent.lag)); err != nil {
				return nil, fmt.Errorf("ghstore: creating the issue of %q: the answer was lost (%v), and waiting to check for it failed: %w", id, lastErr, err)
			}
		}
		found, ferr := s.findOwnIssue(ctx, id, body)
		if ferr != nil {
			return nil, fmt.Errorf("ghstore: creating the issue of %q: the answer was lost (%v), and checking for it failed: %w", id, err, ferr)
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, s.apiErr(lastErr, fmt.Sprintf("ghstore: creating the issue of %q (%d tries)", id, writeTries))
}

// findOwnIssue returns the newest live issue of id with this body by the token's login (or by a
// trusted author when the login is not known), or nil.
func (s *storeImpl) findOwnIssue(ctx context.Context, id, body string) (*ghIssue, error) {
	all, err := s.findIssues(ctx, id)
	if err != nil {
		return nil, err
	}
	me := s.knownLogin()
	for i := len(all) - 1; i >= 0; i-- {
		iss := all[i]
		if iss.body == body && (me == "" || iss.login == me) {
			s.learnLogin(iss.login)
			return iss, nil
		}
	}
	return nil, nil
}

// errMaybeWritten marks a failed comment that may be on GitHub all the same: its answer was lost
// (or the caller gave up while it was on its way) and no listing could tell. The writer leaves the
// issue open (write.go), so that readers fold the log, which is right either way.
var errMaybeWritten = errors.New("the comment may have been written")

// createComment POSTs a comment; when the answer is lost it lists the comments and adopts ours
// (matched by body and author) before sending it again, so no update is ever written twice.
// When it cannot tell whether the comment was written, its error wraps errMaybeWritten.
func (s *storeImpl) createComment(ctx context.Context, issue int, body string) (*ghComment, error) {
	var lastErr error
	for try := 0; try < writeTries; try++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ghstore: commenting on issue #%d: %w", issue, err) // nothing sent
		}
		c, err := s.gh.createComment(ctx, issue, body)
		if err == nil {
			s.learnLogin(c.login)
			return c, nil
		}
		if ctx.Err() != nil && statusOf(err) == 0 {
			// Given up on (canceled, timed out) with no answer: it may have arrived.
			return nil, fmt.Errorf("ghstore: commenting on issue #%d: given up while it was on its way, so %w: %w", issue, errMaybeWritten, err)
		}
		if !ambiguous(ctx, err) {
			return nil, s.apiErr(err, fmt.Sprintf("ghstore: commenting on issue #%d", issue))
		}
		lastErr = err
		cs, lerr := s.listComments(ctx, issue)
		if lerr != nil && s.recent.lag > 0 && errors.Is(lerr, ErrRepoNotFound) {
			// lag.go: a young issue's comments can 404 for the lag bound; ask once it has passed.
			if serr := s.clock.Sleep(ctx, s.recent.lag); serr == nil {
				cs, lerr = s.listComments(ctx, issue)
			}
		}
		if lerr != nil {
			return nil, fmt.Errorf("ghstore: commenting on issue #%d: the answer was lost (%v), and checking for it failed, so %w: %w", issue, err, errMaybeWritten, lerr)
		}
		me := s.knownLogin()
		for i := len(cs) - 1; i >= 0; i-- {
			c := cs[i]
			if c.body != body {
				continue
			}
			if me == "" {
				ok, terr := s.isTrusted(ctx, c.login, c.assoc)
				if terr != nil || !ok {
					continue
				}
				s.learnLogin(c.login)
			} else if c.login != me {
				continue
			}
			return &cs[i], nil
		}
	}
	return nil, s.apiErr(lastErr, fmt.Sprintf("ghstore: commenting on issue #%d (%d tries)", issue, writeTries))
}

// editIssue PATCHes an issue; a PATCH sets fields to values, so resending one whose answer was lost
// is harmless.
func (s *storeImpl) editIssue(ctx context.Context, issue int, req issueEdit) (*ghIssue, error) {
	var err error
	for try := 0; try < writeTries; try++ {
		var iss *ghIssue
		iss, err = s.gh.editIssue(ctx, issue, req)
		if err == nil {
			return iss, nil
		}
		if !ambiguous(ctx, err) {
			break
		}
	}
	return nil, s.apiErr(err, fmt.Sprintf("ghstore: editing issue #%d", issue))
}

// sequentialKey marks a context whose work already runs beside other work under the
// Concurrency bound (ProcessAll's issues), so it sends its own requests one at a time.
type sequentialKey struct{}

func oneRequestAtATime(ctx context.Context) context.Context {
	return context.WithValue(ctx, sequentialKey{}, true)
}

// plusOnes marks the comments applied, at most Options.Concurrency reactions in flight: the
// reactions are independent and idempotent (GitHub answers 200 to a repeated one), so processing
// 40 pending updates takes a few round trips instead of 40. It returns the first failure.
func (s *storeImpl) plusOnes(ctx context.Context, commentIDs []int64) error {
	if len(commentIDs) <= 1 || ctx.Value(sequentialKey{}) != nil {
		for _, id := range commentIDs {
			if err := s.plusOne(ctx, id); err != nil {
				return err
			}
		}
		return nil
	}
	return eachBounded(ctx, len(commentIDs), s.concurrency, false, func(ctx context.Context, i int) error {
		return s.plusOne(ctx, commentIDs[i])
	})
}

// plusOne marks one comment applied with a +1, retrying a lost answer (the reaction is idempotent).
func (s *storeImpl) plusOne(ctx context.Context, commentID int64) error {
	var err error
	for try := 0; try < writeTries; try++ {
		err = s.gh.createReaction(ctx, commentID, "+1")
		if err == nil {
			return nil
		}
		if !ambiguous(ctx, err) {
			break
		}
	}
	return s.apiErr(err, fmt.Sprintf("ghstore: reacting +1 to comment %d", commentID))
}
