package store

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ghstore/ghstore/internal/transport"
)

// perPage is the page size of every list: GitHub's largest.
const perPage = 100

// apiErr wraps an error of a request to GitHub with what was being done, mapping the statuses that
// say something about the repository or the token to this package's sentinels. go-github's
// messages name the URL, never the token (it travels in a header).
func (s *storeImpl) apiErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if s.scrub != nil {
		// The transport has cut the token out of what the server said; an owner/repo (or a
		// base_url) a token was pasted into could still carry it into this message.
		err = scrubbedError{err: err, msg: s.scrub(err.Error())}
		what = s.scrub(what)
	}
	switch statusOf(err) {
	case http.StatusUnauthorized:
		return fmt.Errorf("%s: %w: %v", what, ErrBadCredentials, err)
	case http.StatusGone:
		return fmt.Errorf("%s: %w (%s/%s): %v", what, ErrIssuesDisabled, s.owner, s.repo, err)
	case http.StatusNotFound:
		return fmt.Errorf("%s: %w (%s/%s): %v", what, ErrRepoNotFound, s.owner, s.repo, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// pageURL names one page of a listing for transport.PageGuard, which stops a listing whose
// server's Link headers lead back to a page it had, or never end.
func pageURL(page int, path string, labels []string) string {
	return fmt.Sprintf("%s?labels=%s&page=%d", path, strings.Join(labels, ","), page)
}

// pageOf is the page go-github asks for: 0 is the first.
func pageOf(page int) int { return max(1, page) }

// statusOf returns the HTTP status of a GitHub error answer, 0 when there was none.
func statusOf(err error) int {
	var re *responseError
	if errors.As(err, &re) {
		return re.status
	}
	return 0
}

// listIssues lists the repository's issues carrying every label in labels, oldest first, 100 a
// page, calling page for each page as it arrives; page returns false to stop. Requests are built
// the same way every time so that the transport's ETag cache can answer a repeat with a 304.
func (s *storeImpl) listIssues(ctx context.Context, labels []string, state string, since time.Time,
	page func([]*ghIssue) (bool, error)) error {
	return s.listIssuesSorted(ctx, labels, state, "created", since, page)
}

// listIssuesSorted is listIssues in ascending order of sort ("created" or "updated").
func (s *storeImpl) listIssuesSorted(ctx context.Context, labels []string, state, sort string, since time.Time,
	page func([]*ghIssue) (bool, error)) error {
	q := issueQuery{labels: labels, state: state, sort: sort, since: since}
	var guard transport.PageGuard
	for n := 0; ; {
		if err := guard.Next(pageURL(pageOf(n), "issues", labels)); err != nil {
			return s.apiErr(err, fmt.Sprintf("ghstore: listing issues labelled %v", labels))
		}
		p, err := s.gh.listIssues(ctx, q, pageOf(n))
		if err != nil {
			return s.apiErr(err, fmt.Sprintf("ghstore: listing issues labelled %v", labels))
		}
		var keep []*ghIssue
		for i := range p.issues {
			if iss := &p.issues[i]; !iss.pull {
				keep = append(keep, iss)
			}
		}
		more, err := page(keep)
		if err != nil || !more || p.next == 0 {
			return err
		}
		n = p.next
	}
}

// listComments lists every comment of an issue (ascending id), 100 a page.
func (s *storeImpl) listComments(ctx context.Context, issue int) ([]ghComment, error) {
	var all []ghComment
	var guard transport.PageGuard
	for n := 0; ; {
		if err := guard.Next(pageURL(pageOf(n), fmt.Sprintf("issues/%d/comments", issue), nil)); err != nil {
			return nil, s.apiErr(err, fmt.Sprintf("ghstore: listing the comments of issue #%d", issue))
		}
		p, err := s.gh.listComments(ctx, issue, perPage, n)
		if err != nil {
			return nil, s.apiErr(err, fmt.Sprintf("ghstore: listing the comments of issue #%d", issue))
		}
		all = append(all, p.comments...)
		if p.next == 0 {
			return all, nil
		}
		n = p.next
	}
}

// entries reads comments as log entries, deciding each author's trust.
func (s *storeImpl) entries(ctx context.Context, comments []ghComment) ([]logEntry, error) {
	out := make([]logEntry, 0, len(comments))
	for i := range comments {
		c := &comments[i]
		ok, err := s.isTrusted(ctx, c.login, c.assoc)
		if err != nil {
			return nil, err
		}
		out = append(out, newLogEntry(c, ok))
	}
	return out, nil
}

// scrubbedError is err with its message scrubbed of the token (errors.Is and As still see err).
type scrubbedError struct {
	err error
	msg string
}

func (e scrubbedError) Error() string { return e.msg }
func (e scrubbedError) Unwrap() error { return e.err }
