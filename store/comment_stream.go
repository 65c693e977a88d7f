package store

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v66/github"
	"github.com/tidwall/gjson"
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
// the issue's comment count says a comment is missing.
//
// Comments are decoded into go-github IssueComments carrying only what a log entry reads (id,
// author and association, body, created_at, the +1 count), straight from the answer's bytes.
//
// Hook mirror.go needs (not wired here): a refresh walks the stream from its since once, after
// its issue list, and folds each changed open issue from the log it mirrors plus the stream's
// comments of that issue, listing the issue's own comments only when the counts disagree.

// streamedComment is one comment of the stream and the issue it is on.
type streamedComment struct {
	issue   int
	comment *github.IssueComment
}

// commentStream pages through the comments updated at or after since (zero: all), created
// ascending, calling visit with each page in order; visit returns false to stop. Requests are
// built the same way every time so that the ETag cache can answer a repeat with a 304.
func (s *storeImpl) commentStream(ctx context.Context, since time.Time, visit func([]streamedComment) (bool, error)) error {
	q := url.Values{}
	q.Set("sort", "created")
	q.Set("direction", "asc")
	q.Set("per_page", strconv.Itoa(perPage))
	if !since.IsZero() {
		q.Set("since", since.UTC().Format(time.RFC3339))
	}
	seen := map[int64]bool{}
	for page := 1; page != 0; {
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		cs, next, err := s.fetchCommentPage(ctx, q, page)
		if err != nil {
			return err
		}
		fresh := cs[:0]
		for _, c := range cs {
			if id := c.comment.GetID(); !seen[id] {
				seen[id] = true
				fresh = append(fresh, c)
			}
		}
		if more, err := visit(fresh); err != nil || !more {
			return err
		}
		page = next
	}
	return nil
}

// fetchCommentPage GETs one page of the stream and where it goes on (0: it ends).
func (s *storeImpl) fetchCommentPage(ctx context.Context, q url.Values, n int) ([]streamedComment, int, error) {
	what := fmt.Sprintf("ghstore: listing the repository's comments, page %d", n)
	req, err := s.gh.NewRequest("GET", fmt.Sprintf("repos/%s/%s/issues/comments?%s", s.owner, s.repo, q.Encode()), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	resp, err := s.gh.BareDo(ctx, req)
	if err != nil {
		return nil, 0, s.apiErr(err, what)
	}
	var body strings.Builder
	if n := resp.ContentLength; n > 0 && n <= maxPageBytes {
		body.Grow(int(n))
	}
	_, err = io.Copy(&body, io.LimitReader(resp.Body, maxPageBytes+1))
	resp.Body.Close()
	if err == nil && body.Len() > maxPageBytes {
		err = fmt.Errorf("the answer is larger than %d bytes", maxPageBytes)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	cs, err := decodeCommentPage(body.String())
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	return cs, resp.NextPage, nil
}

// decodeCommentPage reads one page of the stream; its strings share no memory with body.
func decodeCommentPage(body string) ([]streamedComment, error) {
	if !gjson.Valid(body) {
		return nil, errBadPage
	}
	arr := gjson.Parse(body)
	if !arr.IsArray() {
		return nil, errBadPage
	}
	var out []streamedComment
	var bad error
	arr.ForEach(func(_, v gjson.Result) bool {
		if !v.IsObject() {
			bad = errBadPage
			return false
		}
		var (
			sc                 streamedComment
			id                 int64
			login, assoc, text string
			created, updated   time.Time
			plusOne            int
		)
		v.ForEach(func(k, f gjson.Result) bool {
			switch k.Str {
			case "id":
				id = f.Int()
			case "issue_url":
				u := f.String()
				sc.issue, _ = strconv.Atoi(u[strings.LastIndexByte(u, '/')+1:])
			case "user":
				login = strings.Clone(f.Get("login").String())
			case "author_association":
				assoc = known(f.Str, "OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "NONE")
			case "body":
				text = strings.Clone(f.String())
			case "created_at":
				created, bad = parseListedTime(f)
			case "updated_at":
				updated, bad = parseListedTime(f)
			case "reactions":
				plusOne = int(f.Get("+1").Int())
			}
			return bad == nil
		})
		if bad == nil && (id <= 0 || sc.issue <= 0) {
			bad = fmt.Errorf("%w: a comment without an id or an issue", errBadPage)
		}
		if bad != nil {
			return false
		}
		sc.comment = &github.IssueComment{
			ID:                &id,
			User:              &github.User{Login: &login},
			AuthorAssociation: &assoc,
			Body:              &text,
			CreatedAt:         &github.Timestamp{Time: created},
			UpdatedAt:         &github.Timestamp{Time: updated},
			Reactions:         &github.Reactions{PlusOne: &plusOne},
		}
		out = append(out, sc)
		return true
	})
	if bad != nil {
		return nil, bad
	}
	return out, nil
}
