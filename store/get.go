package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ghstore/ghstore/internal/idkey"
)

// findIssues returns every live issue of id by a trusted author, oldest first, with ONE request
// (while at most 100 issues carry its labels): the issues labelled stored-object and UID:<id>, any
// state. Issues whose author is not trusted are not objects (a stranger's issue that copies an
// object's labels is ignored); among several, the oldest (lowest number) is the object.
func (s *storeImpl) findIssues(ctx context.Context, id string) ([]*ghIssue, error) {
	wait := lagWait
	for {
		found, err := s.listIssuesOf(ctx, id)
		if err != nil {
			return nil, err
		}
		// lag.go: an issue this Store created may be missing from the listing for a moment.
		mine, until, recent := s.recent.createdRecently(id)
		if !recent || hasIssue(found, mine) || !s.clock.Now().Before(until) {
			return found, nil
		}
		if err := s.sleepUntil(ctx, minTime(until, s.clock.Now().Add(wait))); err != nil {
			return nil, err
		}
		wait *= 2
	}
}

// listIssuesOf lists the live issues of id by trusted authors, oldest first, leaving out those
// this Store archived within the lag bound (a listing may still show their old labels).
func (s *storeImpl) listIssuesOf(ctx context.Context, id string) ([]*ghIssue, error) {
	var found []*ghIssue
	err := s.listIssues(ctx, []string{labelObject, uidLabel(id)}, "all", time.Time{}, func(page []*ghIssue) (bool, error) {
		for _, iss := range page {
			ok, err := s.isObjectIssue(ctx, iss)
			if err != nil {
				return false, err
			}
			if got, _ := objectID(iss.labels); ok && idkey.Equal(got, id) && !s.recent.archivedRecently(iss.number) {
				found = append(found, iss)
			}
		}
		return true, nil
	})
	sortByNumber(found)
	return found, err
}

func hasIssue(issues []*ghIssue, n int) bool {
	for _, iss := range issues {
		if iss.number == n {
			return true
		}
	}
	return false
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// isObjectIssue: a live object's issue (labels) written by a trusted author.
func (s *storeImpl) isObjectIssue(ctx context.Context, iss *ghIssue) (bool, error) {
	if _, live := objectID(iss.labels); !live {
		return false, nil
	}
	return s.isTrusted(ctx, iss.login, iss.assoc)
}

func notFound(id string) error {
	return fmt.Errorf("%w: no object %q", ErrNotFound, id)
}

// readState is an object as read, with what a write needs to go on from it.
type readState struct {
	issue *ghIssue
	tail  *logTail // nil unless the log was read
	fold  *folded  // nil unless the log was read
	obj   *Object
}

// get reads object id: one request for a closed issue (its body is the state), plus the tail of
// the log (logTail: one request while the newest checkpoint is on the last page) for an open one,
// whose state is the fold of its trusted log.
func (s *storeImpl) get(ctx context.Context, id string, exact bool) (*readState, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	all, err := s.findIssues(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, notFound(id)
	}
	rs, err := s.readIssue(ctx, all[0], exact)
	if err != nil {
		return nil, err
	}
	rs.obj.duplicates = issueNumbers(all[1:])
	return rs, nil
}

// readIssue reads an object's issue; exact lists the comments of a closed issue too, so that the
// state is the fold of the log rather than the body.
func (s *storeImpl) readIssue(ctx context.Context, iss *ghIssue, exact bool) (*readState, error) {
	rs := &readState{issue: iss}
	open := iss.state == "open"
	if !open && !exact {
		obj, err := objectFromBody(iss)
		if err != nil {
			return nil, err
		}
		rs.obj = obj
		return rs, nil
	}
	t, err := s.readLog(ctx, iss.number, iss.comments)
	if err != nil {
		return nil, err
	}
	f, err := fold(iss.number, iss.body, open, t.entries)
	if err != nil {
		return nil, err
	}
	rs.tail, rs.fold = t, f
	rs.obj = objectFromFold(iss, f)
	return rs, nil
}

// objectFromBody reads a closed issue: its body is the state and nothing is pending. Version is the
// issue's comment count (the initial state + one per update), which is exact while only trusted
// clients comment; reading the log (History, or any write) gives the exact figure.
func objectFromBody(iss *ghIssue) (*Object, error) {
	v, ok := parseObject([]byte(iss.body))
	if !ok {
		return nil, corruptBody(iss.number)
	}
	id, _ := objectID(iss.labels)
	return &Object{
		ID:        id,
		Data:      v.compact(),
		Issue:     iss.number,
		Version:   max(1, iss.comments),
		CreatedAt: iss.createdAt,
		UpdatedAt: iss.updatedAt,
		seen:      seenOf(iss),
	}, nil
}

func objectFromFold(iss *ghIssue, f *folded) *Object {
	id, _ := objectID(iss.labels)
	return &Object{
		ID:        id,
		Data:      f.data.compact(),
		Issue:     iss.number,
		Version:   f.version,
		Pending:   f.pending,
		CreatedAt: iss.createdAt,
		UpdatedAt: iss.updatedAt,
		seen:      seenOf(iss),
	}
}

// issueSeen is what a write based on an object needs to know of its issue as read, so that it
// need not read it again: the body (what was processed) and the comment count (where the log ends).
type issueSeen struct {
	known    bool
	body     string
	comments int
}

func seenOf(iss *ghIssue) issueSeen {
	return issueSeen{known: true, body: iss.body, comments: iss.comments}
}

// sortByNumber orders issues oldest first (GitHub numbers issues in creation order).
func sortByNumber(issues []*ghIssue) {
	sort.SliceStable(issues, func(i, j int) bool { return issues[i].number < issues[j].number })
}

// getMany reads ids concurrently (at most Options.Concurrency at once), leaving out ids with no
// object and keeping the order of ids.
func (s *storeImpl) getMany(ctx context.Context, ids []string) ([]*Object, error) {
	for _, id := range ids {
		if err := ValidateID(id); err != nil {
			return nil, err
		}
	}
	out := make([]*Object, len(ids))
	err := eachBounded(ctx, len(ids), s.concurrency, true, func(ctx context.Context, i int) error {
		rs, err := s.get(ctx, ids[i], false)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			out[i] = rs.obj
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	found := out[:0]
	for _, o := range out {
		if o != nil {
			found = append(found, o)
		}
	}
	return found, nil
}
