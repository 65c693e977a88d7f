package store

import (
	"context"
	"fmt"
)

// remove archives object id: the read (1 request) and one PATCH that sets the labels archived,
// gh-store, UID:<id> and closes the issue, as gh-store does.
func (s *storeImpl) remove(ctx context.Context, id string) error {
	if err := ValidateID(id); err != nil {
		return err
	}
	all, err := s.findIssues(ctx, id)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return notFound(id)
	}
	got, _ := objectID(all[0].labels)
	return s.removeIssue(ctx, got, all[0].number, issueNumbers(all[1:]))
}

// removeIssue archives the object's issue, then every younger live duplicate of its id the read
// met. A duplicate is what a Create leaves when it lost a race and then could not archive its own
// issue (its token revoked, say); readers use the oldest issue, so until now it was hidden, but
// archiving the oldest alone would make it the object: data nobody acknowledged, after a delete
// that was. The duplicates cost one PATCH each, and only when there are any.
func (s *storeImpl) removeIssue(ctx context.Context, id string, issue int, duplicates []int) error {
	if err := s.archive(ctx, id, issue); err != nil {
		return fmt.Errorf("ghstore: deleting %q (issue #%d): %w", id, issue, err)
	}
	for _, d := range duplicates {
		if err := s.archive(ctx, id, d); err != nil {
			return fmt.Errorf("ghstore: deleted %q (issue #%d), but archiving its duplicate issue #%d failed: %w", id, issue, d, err)
		}
	}
	return nil
}

func issueNumbers(issues []*ghIssue) []int {
	var ns []int
	for _, iss := range issues {
		ns = append(ns, iss.number)
	}
	return ns
}
