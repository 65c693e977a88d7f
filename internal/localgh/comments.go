package localgh

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	docsCreateComment = "https://docs.github.com/rest/issues/comments#create-an-issue-comment"
	docsUpdateComment = "https://docs.github.com/rest/issues/comments#update-an-issue-comment"
	docsListComments  = "https://docs.github.com/rest/issues/comments#list-issue-comments"
)

func parseSince(rc *reqCtx) (time.Time, *answer) {
	v := rc.query.Get("since")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, validationFailed(docsListComments, fieldError{Resource: "IssueComment", Field: "since", Code: "invalid", Value: v})
	}
	return t, nil
}

// listComments lists an issue's comments in ascending id, since (updated_at, inclusive) if asked.
func (s *server) listComments(rc *reqCtx, r *repo, is *issue) *answer {
	since, bad := parseSince(rc)
	if bad != nil {
		return bad
	}
	var cs []*comment
	for _, c := range is.Comments {
		if !since.IsZero() && c.UpdatedAt.Before(since) {
			continue
		}
		cs = append(cs, c)
	}
	return paginateRendered(rc, cs, func(c *comment) commentJSON { return s.renderComment(rc, r, c) })
}

// listRepoComments lists every issue comment of a repository: sort created|updated, direction
// asc by default.
func (s *server) listRepoComments(rc *reqCtx, r *repo) *answer {
	since, bad := parseSince(rc)
	if bad != nil {
		return bad
	}
	var cs []*comment
	for _, c := range r.comments {
		if !since.IsZero() && c.UpdatedAt.Before(since) {
			continue
		}
		cs = append(cs, c)
	}
	byUpdated := rc.query.Get("sort") == "updated"
	desc := rc.query.Get("direction") == "desc"
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if byUpdated && !a.UpdatedAt.Equal(b.UpdatedAt) {
			if desc {
				return a.UpdatedAt.After(b.UpdatedAt)
			}
			return a.UpdatedAt.Before(b.UpdatedAt)
		}
		if desc {
			return a.ID > b.ID
		}
		return a.ID < b.ID
	})
	return paginateRendered(rc, cs, func(c *comment) commentJSON { return s.renderComment(rc, r, c) })
}

func (s *server) getComment(rc *reqCtx, r *repo, c *comment) *answer {
	return jsonAnswer(http.StatusOK, s.renderComment(rc, r, c))
}

func checkCommentBody(body *string, doc string) *answer {
	if body == nil || strings.TrimSpace(*body) == "" {
		return validationFailed(doc, fieldError{Resource: "IssueComment", Field: "body", Code: "missing_field"})
	}
	if utf8.RuneCountInString(*body) > maxBodyChars {
		return bodyTooLong("IssueComment", doc)
	}
	return nil
}

// createComment adds a comment (anyone who can read the repo may), bumping the issue's
// updated_at and comments count.
func (s *server) createComment(rc *reqCtx, r *repo, is *issue) *answer {
	var req struct {
		Body *string `json:"body"`
	}
	if bad := decode(rc, &req); bad != nil {
		return bad
	}
	if bad := checkCommentBody(req.Body, docsCreateComment); bad != nil {
		return bad
	}
	id := s.st.nextID
	if err := s.commit(mutation{Op: opCreateComment, Repo: r.Owner + "/" + r.Name, Number: is.Number, ID: id,
		Login: rc.login, Body: req.Body, At: s.now()}); err != nil {
		return serverError(err)
	}
	c := r.comments[id]
	a := jsonAnswer(http.StatusCreated, s.renderComment(rc, r, c))
	a.header.Set("Location", rc.repoAPI(r)+fmt.Sprintf("/issues/comments/%d", id))
	return a
}

// mayEdit: a comment's author, or anyone with push access.
func mayEdit(r *repo, login, author string) bool {
	return strings.EqualFold(login, author) || r.canPush(login)
}

func (s *server) updateComment(rc *reqCtx, r *repo, c *comment) *answer {
	if !mayEdit(r, rc.login, c.User) {
		return forbidden()
	}
	var req struct {
		Body *string `json:"body"`
	}
	if bad := decode(rc, &req); bad != nil {
		return bad
	}
	if bad := checkCommentBody(req.Body, docsUpdateComment); bad != nil {
		return bad
	}
	if *req.Body != c.Body {
		if err := s.commit(mutation{Op: opUpdateComment, Repo: r.Owner + "/" + r.Name, TargetID: c.ID,
			Login: rc.login, Body: req.Body, At: s.now()}); err != nil {
			return serverError(err)
		}
	}
	return jsonAnswer(http.StatusOK, s.renderComment(rc, r, c))
}

func (s *server) deleteComment(rc *reqCtx, r *repo, c *comment) *answer {
	if !mayEdit(r, rc.login, c.User) {
		return forbidden()
	}
	if err := s.commit(mutation{Op: opDeleteComment, Repo: r.Owner + "/" + r.Name, TargetID: c.ID, Login: rc.login, At: s.now()}); err != nil {
		return serverError(err)
	}
	return noContent()
}
