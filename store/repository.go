package store

import (
	"context"
	"fmt"
	"net/http"
)

// checkRepository GETs the repository: what the driver's ping asks, in this package's sentinels.
// The sentinels' own words say what is wrong, so GitHub's message (which names the request's URL)
// is left out of them.
func (s *storeImpl) checkRepository(ctx context.Context) error {
	hasIssues, err := s.gh.getRepo(ctx)
	if err != nil {
		switch statusOf(err) {
		case http.StatusNotFound:
			return fmt.Errorf("%w (%s/%s)", ErrRepoNotFound, s.owner, s.repo)
		case http.StatusUnauthorized:
			return fmt.Errorf("%w (%s/%s)", ErrBadCredentials, s.owner, s.repo)
		case http.StatusGone:
			return fmt.Errorf("%w (%s/%s)", ErrIssuesDisabled, s.owner, s.repo)
		}
		return s.apiErr(err, fmt.Sprintf("ghstore: ping %s/%s", s.owner, s.repo))
	}
	if !hasIssues {
		return fmt.Errorf("%w (%s/%s)", ErrIssuesDisabled, s.owner, s.repo)
	}
	return nil
}
