package localgh

import (
	"encoding/json"
	"strings"
)

// An issue's assignees are logins that may be assigned in its repository: its owner, members
// and collaborators. They are set on create and edit (assignees, or the older single
// assignee) by a caller with push access; from anyone else they are dropped, as GitHub does.

const maxAssignees = 10

// assigneesOf reads the assignees a create or edit request sets: nil when it sets none. An
// unknown or unassignable login is GitHub's 422.
func assigneesOf(r *repo, req map[string]json.RawMessage, doc string) (*[]string, *answer) {
	var logins []string
	set := false
	if raw, ok := req["assignees"]; ok {
		set = true
		if string(raw) != "null" {
			if err := json.Unmarshal(raw, &logins); err != nil {
				return nil, validationFailed(doc, fieldError{Resource: "Issue", Field: "assignees", Code: "invalid"})
			}
		}
	}
	if raw, ok := req["assignee"]; ok && !set {
		set = true
		if string(raw) != "null" {
			var one string
			if err := json.Unmarshal(raw, &one); err != nil {
				return nil, validationFailed(doc, fieldError{Resource: "Issue", Field: "assignee", Code: "invalid"})
			}
			if one != "" {
				logins = []string{one}
			}
		}
	}
	if !set {
		return nil, nil
	}
	out := []string{}
	seen := map[string]bool{}
	for _, l := range logins {
		if seen[strings.ToLower(l)] {
			continue
		}
		seen[strings.ToLower(l)] = true
		if !r.canPush(l) {
			return nil, validationFailed(doc, fieldError{Resource: "Issue", Field: "assignees", Code: "invalid", Value: l})
		}
		out = append(out, l)
	}
	if len(out) > maxAssignees {
		return nil, validationFailed(doc, fieldError{Resource: "Issue", Field: "assignees", Code: "custom",
			Message: "You can assign up to 10 users"})
	}
	return &out, nil
}

// sameAssignees reports whether an issue has exactly these assignees, in this order.
func sameAssignees(have, want []string) bool {
	if len(have) != len(want) {
		return false
	}
	for i := range have {
		if !strings.EqualFold(have[i], want[i]) {
			return false
		}
	}
	return true
}

// renderAssignees is an issue's assignee (the first) and assignees.
func (s *server) renderAssignees(rc *reqCtx, is *issue) (*userJSON, []userJSON) {
	out := make([]userJSON, 0, len(is.Assignees))
	for _, l := range is.Assignees {
		out = append(out, *s.renderUser(rc, l))
	}
	if len(out) == 0 {
		return nil, out
	}
	return &out[0], out
}
