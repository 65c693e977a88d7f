package store

import (
	"context"
	"fmt"
	"math"
)

// create stores a new object in at most 4 requests, 3 of them content-creating, in 3 round trips
// (the duplicate check beside the initial-state comment):
//
//  1. POST the issue (title, 2-space-indented body, labels gh-store, stored-object, UID:<id>);
//  2. list the issues of id, to catch an existing object or a racing Create: when an older live
//     issue by a trusted author has the id (case-insensitively, as labels compare), ours is archived
//     and the caller gets ErrDuplicateKey naming the id and the existing issue;
//  3. POST the initial-state comment;
//  4. PATCH the issue closed (body current, nothing pending).
//
// Everything is validated before the first request.
func (s *storeImpl) create(ctx context.Context, id string, data []byte) (*Object, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	v, err := validateData(id, data)
	if err != nil {
		return nil, err
	}
	compact := v.compact()
	if err := checkIndented(id, "issue body", compact); err != nil {
		return nil, err
	}
	body := indentJSON(compact, "")
	// The largest issue number an envelope can carry, so the check holds whatever number GitHub gives.
	if err := checkIndented(id, "initial-state comment", envelopeCompact(compact, "append", math.MaxInt32, s.clock.Now(), true)); err != nil {
		return nil, err
	}

	title, bodyStr, labels := titlePrefix+id, string(body), liveLabels(id)
	iss, err := s.createIssue(ctx, id, title, bodyStr, labels)
	if err != nil {
		return nil, err
	}
	n := iss.number
	madeAt := s.clock.Now()
	s.recent.noteCreate(id, n)

	env := envelope(compact, "append", n, s.stamps.next(), true)
	if s.recent.lag <= 0 {
		// Without lag the listing shows every older issue of the id now. The check is a read,
		// so it goes beside the initial-state comment (one round trip fewer): when it finds an
		// older issue, ours is archived, initial state and all.
		checked := make(chan error, 1)
		go func() { checked <- s.checkNoOlder(ctx, id, n) }()
		_, cerr := s.createComment(ctx, n, string(env))
		if err := <-checked; err != nil {
			return nil, err
		}
		if cerr != nil {
			return nil, s.abandon(ctx, id, n, cerr)
		}
	} else if _, err := s.createComment(ctx, n, string(env)); err != nil {
		return nil, s.abandon(ctx, id, n, err)
	}
	closed := "closed"
	done, err := s.editIssue(ctx, n, issueEdit{state: &closed})
	if err != nil {
		// The object exists and reads correctly while open (its log holds the initial state).
		return nil, fmt.Errorf("ghstore: created %q as issue #%d but could not close it: %w", id, n, err)
	}
	if s.recent.lag > 0 {
		// lag.go: a racing Create's issue may be missing from a listing for the lag bound; once
		// it has passed since ours was made, every older issue of the id shows, so the check is
		// made then (its wait overlaps the comment and the close; a duplicate found then archives
		// ours, initial state and all).
		if err := s.sleepUntil(ctx, madeAt.Add(s.recent.lag)); err != nil {
			return nil, s.abandon(ctx, id, n, err)
		}
		if err := s.checkNoOlder(ctx, id, n); err != nil {
			return nil, err
		}
	}
	obj := &Object{
		ID:        id,
		Data:      compact,
		Issue:     n,
		Version:   1,
		CreatedAt: iss.createdAt,
		UpdatedAt: done.updatedAt,
		seen:      seenOf(done),
	}
	s.mirror.observe(done, obj, true)
	return obj, nil
}

// checkNoOlder lists the issues of id and, when an older live issue by a trusted author has it
// (case-insensitively, as labels compare), archives ours (issue n) and returns ErrDuplicateKey
// naming the existing issue: readers use the oldest, so ours would never be read.
func (s *storeImpl) checkNoOlder(ctx context.Context, id string, n int) error {
	all, err := s.listIssuesOf(ctx, id) // not findIssues: ours need not show yet
	if err != nil {
		return s.abandon(ctx, id, n, err)
	}
	for _, other := range all {
		if other.number < n {
			if aerr := s.archive(ctx, id, n); aerr != nil {
				return fmt.Errorf("%w: %q is issue #%d (and archiving the new issue #%d failed: %v)", ErrDuplicateKey, id, other.number, n, aerr)
			}
			return fmt.Errorf("%w: %q already exists as issue #%d", ErrDuplicateKey, id, other.number)
		}
	}
	return nil
}

// abandon archives a half-made object's issue so that it is not left as a live object without its
// initial state, and returns cause.
func (s *storeImpl) abandon(ctx context.Context, id string, issue int, cause error) error {
	if aerr := s.archive(ctx, id, issue); aerr != nil {
		return fmt.Errorf("ghstore: creating %q: %w (issue #%d is left half-made: %v)", id, cause, issue, aerr)
	}
	return fmt.Errorf("ghstore: creating %q: %w (issue #%d was archived)", id, cause, issue)
}

// archive soft-deletes an issue: labels archived, gh-store, UID:<id>, closed.
func (s *storeImpl) archive(ctx context.Context, id string, issue int) error {
	labels, closed := archivedLabels(id), "closed"
	got, err := s.editIssue(ctx, issue, issueEdit{labels: labels, state: &closed})
	if err == nil {
		s.recent.noteArchive(issue)
	}
	s.mirror.observe(got, nil, true) // evicts the object
	return err
}
