package localgh

import (
	"encoding/json"
	"net/http"
	"strings"
)

// route dispatches a request to its handler. Callers hold s.mu. A path GitHub does not serve, or a
// method it does not take there, is 404 as on GitHub; a GitHub endpoint localgh lacks is 501
// naming it (unimplemented.go).
func (s *server) route(rc *reqCtx) *answer {
	sg := rc.segs
	method := rc.method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	rc.method = method
	refused, after := s.admit(rc) // realism.go: lags and secondary limits, when Options.Realism has them
	if refused != nil {
		return refused
	}
	defer after()
	switch {
	case len(sg) == 1 && sg[0] == "user" && method == http.MethodGet:
		return s.getUser(rc)
	case len(sg) == 1 && sg[0] == "rate_limit" && method == http.MethodGet:
		return s.getRateLimit(rc)
	case len(sg) >= 3 && sg[0] == "repos":
		return s.routeRepo(rc, sg[1], sg[2], sg[3:])
	}
	return unimplemented(rc)
}

// access finds the repository a request is about and checks that the caller may see it (else 404,
// as GitHub hides private repositories), may write (anonymous writes: 401) and, for issue routes,
// that Issues are enabled (410).
func (s *server) access(rc *reqCtx, owner, name string, issues bool) (*repo, *answer) {
	r := s.st.repo(owner, name)
	if r == nil || !r.canRead(rc.login) {
		return nil, notFound()
	}
	if isCreating(rc.method) && rc.login == "" {
		return nil, needAuth()
	}
	if issues && !r.IssuesEnabled {
		return nil, errAnswer(http.StatusGone, msgIssuesDisabled, "https://docs.github.com/rest/issues/issues")
	}
	return r, nil
}

func (s *server) routeRepo(rc *reqCtx, owner, name string, rest []string) *answer {
	m := rc.method
	if len(rest) == 0 {
		if m == http.MethodGet {
			return s.getRepo(rc, owner, name)
		}
		return unimplemented(rc)
	}
	switch rest[0] {
	case "labels":
		r, bad := s.access(rc, owner, name, false)
		if bad != nil {
			return bad
		}
		if len(rest) == 1 {
			switch m {
			case http.MethodGet:
				return s.listLabels(rc, r)
			case http.MethodPost:
				return s.createLabel(rc, r)
			}
			return notFound()
		}
		labelName := strings.Join(rest[1:], "/") // go-github does not escape '/' in label names
		switch m {
		case http.MethodGet:
			return s.getLabel(rc, r, labelName)
		case http.MethodPatch:
			return s.updateLabel(rc, r, labelName)
		case http.MethodDelete:
			return s.deleteLabel(rc, r, labelName)
		}
		return notFound()
	case "issues":
		r, bad := s.access(rc, owner, name, true)
		if bad != nil {
			return bad
		}
		return s.routeIssues(rc, r, rest[1:])
	}
	return unimplemented(rc)
}

func (s *server) routeIssues(rc *reqCtx, r *repo, rest []string) *answer {
	m := rc.method
	if len(rest) == 0 {
		switch m {
		case http.MethodGet:
			return s.listIssues(rc, r)
		case http.MethodPost:
			return s.createIssue(rc, r)
		}
		return notFound()
	}
	if rest[0] == "comments" {
		if len(rest) == 1 {
			if m == http.MethodGet {
				return s.listRepoComments(rc, r)
			}
			return notFound()
		}
		id, ok := parseNumber(rest[1])
		if !ok {
			return notFound()
		}
		c := r.comments[id]
		if c == nil {
			return notFound()
		}
		switch {
		case len(rest) == 2 && m == http.MethodGet:
			return s.getComment(rc, r, c)
		case len(rest) == 2 && m == http.MethodPatch:
			return s.updateComment(rc, r, c)
		case len(rest) == 2 && m == http.MethodDelete:
			return s.deleteComment(rc, r, c)
		case len(rest) >= 3 && rest[2] == "reactions":
			return s.routeReactions(rc, r, targetComment, c.ID, &c.Reactions, rest[3:])
		}
		return notFound()
	}
	n, ok := parseNumber(rest[0])
	if !ok {
		return unimplemented(rc) // /issues/events is GitHub's
	}
	if n > int64(len(r.issues)) {
		return notFound()
	}
	is := r.issue(int(n))
	if is == nil {
		return notFound()
	}
	if len(rest) == 1 {
		switch m {
		case http.MethodGet:
			return jsonAnswer(http.StatusOK, s.renderIssue(rc, r, is))
		case http.MethodPatch:
			return s.updateIssue(rc, r, is)
		}
		return notFound()
	}
	switch rest[1] {
	case "comments":
		if len(rest) == 2 {
			switch m {
			case http.MethodGet:
				return s.listComments(rc, r, is)
			case http.MethodPost:
				return s.createComment(rc, r, is)
			}
		}
	case "reactions":
		return s.routeReactions(rc, r, targetIssue, int64(is.Number), &is.Reactions, rest[2:])
	case "labels":
		return s.routeIssueLabels(rc, r, is, rest[2:])
	case "lock":
		if len(rest) == 2 {
			return s.routeIssueLock(rc, r, is)
		}
	}
	return unimplemented(rc)
}

// decode reads the request's JSON body into v; malformed JSON is GitHub's 400.
func decode(rc *reqCtx, v any) *answer {
	if len(strings.TrimSpace(string(rc.body))) == 0 {
		return badRequest("Problems parsing JSON")
	}
	if err := json.Unmarshal(rc.body, v); err != nil {
		return badRequest("Problems parsing JSON")
	}
	return nil
}
