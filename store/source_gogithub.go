package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v66/github"
)

// goGitHub is githubAPI over go-github: every request goes through its client (and so through
// the http.Client the Store was given). Issue lists and the repository's comment stream are
// fetched as raw pages and decoded with only the fields the store reads (source_decode.go), which
// for a scan of thousands of issues is much cheaper than go-github's whole structs; the rest is
// go-github's typed calls, converted to the store's types here.
type goGitHub struct {
	gh          *github.Client
	owner, repo string
}

var _ githubAPI = (*goGitHub)(nil)

// DefaultBaseURL is GitHub's REST API.
const DefaultBaseURL = "https://api.github.com/"

// newGoGitHub makes the source for owner/repo that sends its requests through hc to baseURL (""
// is DefaultBaseURL). go-github joins request paths to its BaseURL, which must end in a slash, so
// one is added when missing.
func newGoGitHub(hc *http.Client, baseURL, owner, repo string) (*goGitHub, error) {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("ghstore: base URL %q is not an absolute URL", baseURL)
	}
	gh := github.NewClient(hc)
	gh.BaseURL, gh.UploadURL = u, u
	return &goGitHub{gh: gh, owner: owner, repo: repo}, nil
}

func (g *goGitHub) server() string { return g.gh.BaseURL.String() }

func (g *goGitHub) listIssues(ctx context.Context, q issueQuery, page int) (issuePage, error) {
	v := url.Values{}
	v.Set("labels", joinComma(q.labels))
	v.Set("state", q.state)
	v.Set("sort", q.sort)
	v.Set("direction", "asc")
	v.Set("per_page", strconv.Itoa(perPage))
	if !q.since.IsZero() {
		v.Set("since", q.since.Format(time.RFC3339))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	body, resp, err := g.getRaw(ctx, fmt.Sprintf("repos/%s/%s/issues?%s", g.owner, g.repo, v.Encode()))
	if err != nil {
		return issuePage{}, err
	}
	issues, err := decodeIssuePage(body)
	if err != nil {
		return issuePage{}, err
	}
	return issuePage{issues: issues, next: resp.NextPage, last: resp.LastPage}, nil
}

func (g *goGitHub) listRepoComments(ctx context.Context, since time.Time, page int) (commentPage, error) {
	v := url.Values{}
	v.Set("sort", "created")
	v.Set("direction", "asc")
	v.Set("per_page", strconv.Itoa(perPage))
	if !since.IsZero() {
		v.Set("since", since.UTC().Format(time.RFC3339))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	body, resp, err := g.getRaw(ctx, fmt.Sprintf("repos/%s/%s/issues/comments?%s", g.owner, g.repo, v.Encode()))
	if err != nil {
		return commentPage{}, err
	}
	cs, err := decodeCommentPage(body)
	if err != nil {
		return commentPage{}, err
	}
	return commentPage{comments: cs, next: resp.NextPage}, nil
}

// getRaw GETs path and returns the answer's body, read into one string of its announced size (a
// Builder's String does not copy), which the decoders read in place.
func (g *goGitHub) getRaw(ctx context.Context, path string) (string, *github.Response, error) {
	req, err := g.gh.NewRequest("GET", path, nil)
	if err != nil {
		return "", nil, err
	}
	resp, err := g.gh.BareDo(ctx, req)
	if err != nil {
		return "", nil, wrapErr(err)
	}
	var body strings.Builder
	if n := resp.ContentLength; n > 0 && n <= maxPageBytes {
		body.Grow(int(n))
	}
	_, err = io.Copy(&body, io.LimitReader(resp.Body, maxPageBytes+1))
	resp.Body.Close()
	if err != nil {
		return "", nil, fmt.Errorf("reading the answer: %w", err)
	}
	if body.Len() > maxPageBytes {
		return "", nil, fmt.Errorf("the answer is larger than %d bytes", maxPageBytes)
	}
	return body.String(), resp, nil
}

func (g *goGitHub) getIssue(ctx context.Context, number int) (*ghIssue, error) {
	iss, _, err := g.gh.Issues.Get(ctx, g.owner, g.repo, number)
	return issueFromGoGitHub(iss), wrapErr(err)
}

func (g *goGitHub) createIssue(ctx context.Context, title, body string, labels []string) (*ghIssue, error) {
	iss, _, err := g.gh.Issues.Create(ctx, g.owner, g.repo, &github.IssueRequest{Title: &title, Body: &body, Labels: &labels})
	return issueFromGoGitHub(iss), wrapErr(err)
}

func (g *goGitHub) editIssue(ctx context.Context, number int, e issueEdit) (*ghIssue, error) {
	req := &github.IssueRequest{Body: e.body, State: e.state}
	if e.labels != nil {
		req.Labels = &e.labels
	}
	iss, _, err := g.gh.Issues.Edit(ctx, g.owner, g.repo, number, req)
	return issueFromGoGitHub(iss), wrapErr(err)
}

func (g *goGitHub) listComments(ctx context.Context, number, size, page int) (commentPage, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: size, Page: page}}
	cs, resp, err := g.gh.Issues.ListComments(ctx, g.owner, g.repo, number, opts)
	if err != nil {
		return commentPage{}, wrapErr(err)
	}
	out := make([]ghComment, len(cs))
	for i, c := range cs {
		out[i] = *commentFromGoGitHub(c)
	}
	return commentPage{comments: out, next: resp.NextPage}, nil
}

func (g *goGitHub) createComment(ctx context.Context, number int, body string) (*ghComment, error) {
	c, _, err := g.gh.Issues.CreateComment(ctx, g.owner, g.repo, number, &github.IssueComment{Body: &body})
	if err != nil {
		return nil, wrapErr(err)
	}
	return commentFromGoGitHub(c), nil
}

func (g *goGitHub) createReaction(ctx context.Context, commentID int64, content string) error {
	_, _, err := g.gh.Reactions.CreateIssueCommentReaction(ctx, g.owner, g.repo, commentID, content)
	return wrapErr(err)
}

func (g *goGitHub) getRepo(ctx context.Context) (bool, error) {
	r, _, err := g.gh.Repositories.Get(ctx, g.owner, g.repo)
	if err != nil {
		return false, wrapErr(err)
	}
	return r.GetHasIssues(), nil
}

func (g *goGitHub) getUser(ctx context.Context) (string, error) {
	u, _, err := g.gh.Users.Get(ctx, "")
	if err != nil {
		return "", wrapErr(err)
	}
	return u.GetLogin(), nil
}

// wrapErr gives the store's types to go-github's errors for answers with an error status
// (responseError) and to the transport's refusal for the rate limit (RateLimitError).
func wrapErr(err error) error {
	if err == nil {
		return nil
	}
	if rl, ok := asRateLimitError(err); ok {
		return rl
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		status := 0
		if er.Response != nil {
			status = er.Response.StatusCode
		}
		return &responseError{status: status, err: err}
	}
	var ae *github.AbuseRateLimitError
	var rle *github.RateLimitError
	if errors.As(err, &ae) || errors.As(err, &rle) {
		return &responseError{limited: true, err: err}
	}
	return err
}

// issueFromGoGitHub is what the store reads of a go-github Issue (nil for nil).
func issueFromGoGitHub(iss *github.Issue) *ghIssue {
	if iss == nil {
		return nil
	}
	labels := make([]string, 0, len(iss.Labels))
	for _, l := range iss.Labels {
		labels = append(labels, l.GetName())
	}
	return &ghIssue{
		number:    iss.GetNumber(),
		state:     iss.GetState(),
		body:      iss.GetBody(),
		login:     iss.GetUser().GetLogin(),
		assoc:     iss.GetAuthorAssociation(),
		labels:    labels,
		comments:  iss.GetComments(),
		createdAt: iss.GetCreatedAt().Time,
		updatedAt: iss.GetUpdatedAt().Time,
		pull:      iss.IsPullRequest(),
	}
}

// commentFromGoGitHub is what the store reads of a go-github IssueComment.
func commentFromGoGitHub(c *github.IssueComment) *ghComment {
	return &ghComment{
		id:        c.GetID(),
		body:      c.GetBody(),
		login:     c.GetUser().GetLogin(),
		assoc:     c.GetAuthorAssociation(),
		createdAt: c.GetCreatedAt().Time,
		plusOne:   c.GetReactions().GetPlusOne(),
	}
}
