package localgh

import (
	"net/http"
	"strconv"
	"strings"
)

const docsReactions = "https://docs.github.com/rest/reactions/reactions"

// routeReactions serves /reactions under an issue or a comment: list, create, delete.
func (s *server) routeReactions(rc *reqCtx, r *repo, target string, targetID int64, list *[]*reaction, rest []string) *answer {
	switch {
	case len(rest) == 0 && rc.method == http.MethodGet:
		content := rc.query.Get("content")
		if content != "" && !validReaction(content) {
			return validationFailed(docsReactions, fieldError{Resource: "Reaction", Field: "content", Code: "invalid", Value: content})
		}
		out := []reactionJSON{}
		for _, x := range *list {
			if content == "" || x.Content == content {
				out = append(out, s.renderReaction(rc, x))
			}
		}
		return paginate(rc, out)
	case len(rest) == 0 && rc.method == http.MethodPost:
		var req struct {
			Content string `json:"content"`
		}
		if bad := decode(rc, &req); bad != nil {
			return bad
		}
		if !validReaction(req.Content) {
			return validationFailed(docsReactions, fieldError{Resource: "Reaction", Field: "content", Code: "invalid", Value: req.Content})
		}
		for _, x := range *list {
			if x.Content == req.Content && strings.EqualFold(x.User, rc.login) {
				return jsonAnswer(http.StatusOK, s.renderReaction(rc, x))
			}
		}
		id := s.st.nextID
		if err := s.commit(mutation{Op: opCreateReaction, Repo: r.Owner + "/" + r.Name, Target: target, TargetID: targetID,
			ID: id, Login: rc.login, Content: req.Content, At: s.now()}); err != nil {
			return serverError(err)
		}
		x := (*list)[len(*list)-1]
		return jsonAnswer(http.StatusCreated, s.renderReaction(rc, x))
	case len(rest) == 1 && rc.method == http.MethodDelete:
		id, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil {
			return notFound()
		}
		for _, x := range *list {
			if x.ID != id {
				continue
			}
			if !strings.EqualFold(x.User, rc.login) {
				return forbidden()
			}
			if err := s.commit(mutation{Op: opDeleteReaction, Repo: r.Owner + "/" + r.Name, Target: target, TargetID: targetID,
				ID: id, Login: rc.login, At: s.now()}); err != nil {
				return serverError(err)
			}
			return noContent()
		}
		return notFound()
	}
	return notFound()
}
