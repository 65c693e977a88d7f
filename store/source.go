package store

import (
	"context"
	"time"
)

// This file is the store's one seam to GitHub: githubAPI is every request the store makes, and
// ghIssue and ghComment are what it reads of the answers, decoded with only the fields the store
// reads. The rest of the package knows no client library; source_gogithub.go implements githubAPI
// over go-github (DESIGN.md: every request goes through it or its http.Client), and a second
// source (recorded traffic, GraphQL) is one more file implementing it.
//
// A source is bound to one repository. Its errors for requests GitHub answered with an error
// status wrap a *responseError (statusOf reads it), so that the store maps them (apiErr) and
// decides whether a failed write may have been applied (ambiguous) whatever the source.

// githubAPI is every request the store sends to GitHub, for one repository.
type githubAPI interface {
	// listIssues GETs one page (from 1) of the repository's issues matching q, pull requests
	// included (ghIssue.pull), 100 a page, with the next and last pages its Link header names.
	// The same q and page make the same request every time, so that an ETag cache can answer a
	// repeat with a 304.
	listIssues(ctx context.Context, q issueQuery, page int) (issuePage, error)
	// getIssue GETs issue number.
	getIssue(ctx context.Context, number int) (*ghIssue, error)
	// createIssue POSTs an issue.
	createIssue(ctx context.Context, title, body string, labels []string) (*ghIssue, error)
	// editIssue PATCHes what e sets of issue number and returns the issue as answered.
	editIssue(ctx context.Context, number int, e issueEdit) (*ghIssue, error)
	// listComments GETs one page of issue number's comments, perPage a page (page 0 is the
	// first, asked for without a page parameter), oldest first.
	listComments(ctx context.Context, number, perPage, page int) (commentPage, error)
	// listRepoComments GETs one page (from 1) of the repository's issue comments updated at
	// or after since (zero: all), created ascending, 100 a page; each names its issue.
	listRepoComments(ctx context.Context, since time.Time, page int) (commentPage, error)
	// createComment POSTs a comment on issue number.
	createComment(ctx context.Context, number int, body string) (*ghComment, error)
	// createReaction POSTs a reaction (content "+1") to comment commentID.
	createReaction(ctx context.Context, commentID int64, content string) error
	// getRepo GETs the repository and reports whether it has Issues enabled.
	getRepo(ctx context.Context) (hasIssues bool, err error)
	// getUser GETs the token's own user and returns its login.
	getUser(ctx context.Context) (string, error)
	// server names the API the source talks to (what a mirror file is of).
	server() string
}

// issueQuery selects the issues of a list: every label in labels, state ("open", "closed",
// "all"), updated at or after since when not zero, in ascending order of sort ("created" or
// "updated").
type issueQuery struct {
	labels []string
	state  string
	sort   string
	since  time.Time
}

// issuePage is one page of an issue list, with where the list goes on (0: nowhere).
type issuePage struct {
	issues     []ghIssue
	next, last int
}

// commentPage is one page of a comment list; next is the page the Link header names next (0: none).
type commentPage struct {
	comments []ghComment
	next     int
}

// issueEdit is what a PATCH of an issue sets; nil fields are left as they are.
type issueEdit struct {
	body   *string
	state  *string
	labels []string // nil: unchanged
}

// ghIssue is what the store reads of an issue.
type ghIssue struct {
	number    int
	state     string // "open" or "closed"
	body      string
	login     string // the author
	assoc     string // author_association
	labels    []string
	comments  int
	createdAt time.Time
	updatedAt time.Time
	pull      bool // a pull request, which the issues list also returns
}

// ghComment is what the store reads of an issue comment.
type ghComment struct {
	id        int64
	issue     int // the issue it is on: set by listRepoComments only
	body      string
	login     string // the author
	assoc     string // author_association
	createdAt time.Time
	plusOne   int // the +1 count of the reactions rollup
}

// responseError is a request that GitHub answered with an error status (or, limited, with its
// rate limit); Error and Unwrap are the source's own error's.
type responseError struct {
	status  int  // the HTTP status; 0 for a rate limit
	limited bool // GitHub refused the request for its rate limit: nothing was applied
	err     error
}

func (e *responseError) Error() string { return e.err.Error() }
func (e *responseError) Unwrap() error { return e.err }
