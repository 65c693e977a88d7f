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
	iss, err := s.findIssue(ctx, id)
	if err != nil {
		return err
	}
	if iss == nil {
		return notFound(id)
	}
	got, _ := objectID(labelNames(iss))
	return s.removeIssue(ctx, got, iss.GetNumber())
}

func (s *storeImpl) removeIssue(ctx context.Context, id string, issue int) error {
	if err := s.archive(ctx, id, issue); err != nil {
		return fmt.Errorf("ghstore: deleting %q (issue #%d): %w", id, issue, err)
	}
	return nil
}
