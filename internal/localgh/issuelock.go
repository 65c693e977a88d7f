package localgh

import (
	"encoding/json"
	"net/http"
	"strings"
)

// PUT /repos/{o}/{r}/issues/{n}/lock locks an issue's conversation (with an optional
// lock_reason) and DELETE unlocks it; both need push access and answer 204.

const docsLockIssue = "https://docs.github.com/rest/issues/issues#lock-an-issue"

var lockReasons = map[string]bool{"off-topic": true, "too heated": true, "resolved": true, "spam": true}

func (s *server) routeIssueLock(rc *reqCtx, r *repo, is *issue) *answer {
	if rc.method != http.MethodPut && rc.method != http.MethodDelete {
		return notFound()
	}
	if !r.canPush(rc.login) {
		return forbidden()
	}
	m := mutation{Op: opUnlockIssue, Repo: r.Owner + "/" + r.Name, Number: is.Number, At: s.now()}
	if rc.method == http.MethodPut {
		m.Op = opLockIssue
		if len(strings.TrimSpace(string(rc.body))) > 0 {
			var req struct {
				LockReason *string `json:"lock_reason"`
			}
			if json.Unmarshal(rc.body, &req) != nil {
				return badRequest("Problems parsing JSON")
			}
			if req.LockReason != nil && !lockReasons[*req.LockReason] {
				return validationFailed(docsLockIssue, fieldError{Resource: "Issue", Field: "lock_reason", Code: "invalid", Value: *req.LockReason})
			}
			m.LockReason = req.LockReason
		}
	}
	if err := s.commit(m); err != nil {
		return serverError(err)
	}
	return noContent()
}
