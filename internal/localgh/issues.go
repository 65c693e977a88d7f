package localgh

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	docsCreateIssue = "https://docs.github.com/rest/issues/issues#create-an-issue"
	docsUpdateIssue = "https://docs.github.com/rest/issues/issues#update-an-issue"
	docsListIssues  = "https://docs.github.com/rest/issues/issues#list-repository-issues"
)

func (s *server) listIssues(rc *reqCtx, r *repo) *answer {
	q := rc.query
	state := q.Get("state")
	if state == "" {
		state = stateOpen
	}
	if state != stateOpen && state != stateClosed && state != "all" {
		return validationFailed(docsListIssues, fieldError{Resource: "Issue", Field: "state", Code: "invalid", Value: state})
	}
	var wantLabels []string
	if l := q.Get("labels"); l != "" {
		for _, n := range strings.Split(l, ",") {
			if n = strings.TrimSpace(n); n != "" {
				wantLabels = append(wantLabels, n)
			}
		}
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return validationFailed(docsListIssues, fieldError{Resource: "Issue", Field: "since", Code: "invalid", Value: v})
		}
		since = t
	}
	creator := q.Get("creator")
	var out []*issue
	for _, is := range r.issues {
		if is = s.listed(is); is == nil { // realism.go: the lag window
			continue
		}
		if state != "all" && is.State != state {
			continue
		}
		if !since.IsZero() && is.UpdatedAt.Before(since) {
			continue
		}
		if creator != "" && !strings.EqualFold(creator, is.User) {
			continue
		}
		if !hasAllLabels(is, wantLabels) {
			continue
		}
		out = append(out, is)
	}
	key := func(is *issue) int64 { return is.CreatedAt.Unix() }
	switch q.Get("sort") {
	case "", "created":
	case "updated":
		key = func(is *issue) int64 { return is.UpdatedAt.Unix() }
	case "comments":
		key = func(is *issue) int64 { return int64(len(is.Comments)) }
	default:
		return validationFailed(docsListIssues, fieldError{Resource: "Issue", Field: "sort", Code: "invalid"})
	}
	asc := q.Get("direction") == "asc"
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ka, kb := key(a), key(b)
		if ka == kb {
			ka, kb = int64(a.Number), int64(b.Number)
		}
		if asc {
			return ka < kb
		}
		return ka > kb
	})
	return paginateRendered(rc, out, func(is *issue) issueJSON { return s.renderIssue(rc, r, is) })
}

func hasAllLabels(is *issue, names []string) bool {
	for _, n := range names {
		found := false
		for _, l := range is.Labels {
			if strings.EqualFold(l.Name, n) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// checkLabelNames is GitHub's validation of label names named on an issue.
func checkLabelNames(doc string, names []string) *answer {
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			return validationFailed(doc, fieldError{Resource: "Label", Field: "name", Code: "missing_field"})
		}
		if utf8.RuneCountInString(n) > maxLabelNameChars {
			return validationFailed(doc, fieldError{Resource: "Label", Field: "name", Code: "invalid", Value: n,
				Message: fmt.Sprintf("name is too long (maximum is %d characters)", maxLabelNameChars)})
		}
	}
	return nil
}

// labelMutations creates the labels among names the repository lacks (colour ededed, case kept),
// when the caller has push access; otherwise the names are dropped (nil), as GitHub does.
func (s *server) labelMutations(rc *reqCtx, r *repo, names []string, at time.Time) (kept []string, ms []mutation) {
	if !r.canPush(rc.login) {
		return nil, nil
	}
	id := s.st.nextID
	made := map[string]bool{}
	for _, n := range names {
		kept = append(kept, n)
		if r.label(n) == nil && !made[strings.ToLower(n)] {
			made[strings.ToLower(n)] = true
			ms = append(ms, mutation{Op: opCreateLabel, Repo: r.Owner + "/" + r.Name, ID: id, Name: n, Color: autoLabelColor, At: at})
			id++
		}
	}
	if kept == nil {
		kept = []string{}
	}
	return kept, ms
}

func bodyTooLong(resource string, doc string) *answer {
	return validationFailed(doc, fieldError{Resource: resource, Field: "body", Code: "custom",
		Message: fmt.Sprintf("body is too long (maximum is %d characters)", maxBodyChars)})
}

// labelNames accepts GitHub's forms of a labels list: each element a name, or an object with
// a name (other fields ignored).
func labelNames(raw json.RawMessage) ([]string, bool) {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, false
	}
	names := make([]string, 0, len(elems))
	for _, e := range elems {
		var name string
		if json.Unmarshal(e, &name) != nil {
			var obj struct {
				Name *string `json:"name"`
			}
			if json.Unmarshal(e, &obj) != nil || obj.Name == nil {
				return nil, false
			}
			name = *obj.Name
		}
		names = append(names, name)
	}
	return names, true
}

func (s *server) createIssue(rc *reqCtx, r *repo) *answer {
	var req struct {
		Title     *string         `json:"title"`
		Body      *string         `json:"body"`
		Labels    json.RawMessage `json:"labels"`
		Assignees json.RawMessage `json:"assignees"`
		Assignee  json.RawMessage `json:"assignee"`
	}
	if bad := decode(rc, &req); bad != nil {
		return bad
	}
	given := map[string]json.RawMessage{}
	for k, v := range map[string]json.RawMessage{"assignees": req.Assignees, "assignee": req.Assignee} {
		if v != nil {
			given[k] = v
		}
	}
	var assignees *[]string
	if r.canPush(rc.login) { // only those with push access assign; GitHub drops anyone else's
		var bad *answer
		if assignees, bad = assigneesOf(r, given, docsCreateIssue); bad != nil {
			return bad
		}
	}
	if req.Title == nil || strings.TrimSpace(*req.Title) == "" {
		return validationFailed(docsCreateIssue, fieldError{Resource: "Issue", Field: "title", Code: "missing_field"})
	}
	if utf8.RuneCountInString(*req.Title) > maxTitleChars {
		return validationFailed(docsCreateIssue, fieldError{Resource: "Issue", Field: "title", Code: "custom",
			Message: fmt.Sprintf("title is too long (maximum is %d characters)", maxTitleChars)})
	}
	if req.Body != nil && utf8.RuneCountInString(*req.Body) > maxBodyChars {
		return bodyTooLong("Issue", docsCreateIssue)
	}
	var names []string
	if len(req.Labels) > 0 && string(req.Labels) != "null" {
		n, ok := labelNames(req.Labels)
		if !ok {
			return validationFailed(docsCreateIssue, fieldError{Resource: "Issue", Field: "labels", Code: "invalid"})
		}
		if bad := checkLabelNames(docsCreateIssue, n); bad != nil {
			return bad
		}
		names = n
	}
	at := s.now()
	kept, ms := s.labelMutations(rc, r, names, at)
	number := len(r.issues) + 1
	id := s.st.nextID + int64(len(ms))
	m := mutation{Op: opCreateIssue, Repo: r.Owner + "/" + r.Name, ID: id, Number: number, Login: rc.login,
		Title: req.Title, Body: req.Body, At: at}
	if kept != nil {
		m.Labels = &kept
	}
	if assignees != nil && len(*assignees) > 0 {
		m.Assignees = assignees
	}
	if err := s.commit(append(ms, m)...); err != nil {
		return serverError(err)
	}
	is := r.issue(number)
	a := jsonAnswer(http.StatusCreated, s.renderIssue(rc, r, is))
	a.header.Set("Location", rc.repoAPI(r)+fmt.Sprintf("/issues/%d", number))
	return a
}

var validStateReasons = map[string]bool{"completed": true, "not_planned": true, "reopened": true, "duplicate": true}

func (s *server) updateIssue(rc *reqCtx, r *repo, is *issue) *answer {
	var req map[string]json.RawMessage
	if bad := decode(rc, &req); bad != nil {
		return bad
	}
	push := r.canPush(rc.login)
	author := strings.EqualFold(rc.login, is.User)
	if !push && !author {
		return forbidden()
	}
	at := s.now()
	m := mutation{Op: opUpdateIssue, Repo: r.Owner + "/" + r.Name, Number: is.Number, Login: rc.login, At: at}
	changed := false
	str := func(field string) (*string, bool, *answer) {
		raw, ok := req[field]
		if !ok {
			return nil, false, nil
		}
		if string(raw) == "null" {
			return nil, true, nil
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, true, validationFailed(docsUpdateIssue, fieldError{Resource: "Issue", Field: field, Code: "invalid"})
		}
		return &v, true, nil
	}
	title, has, bad := str("title")
	if bad != nil {
		return bad
	}
	if has {
		if title == nil || strings.TrimSpace(*title) == "" {
			return validationFailed(docsUpdateIssue, fieldError{Resource: "Issue", Field: "title", Code: "missing_field"})
		}
		if utf8.RuneCountInString(*title) > maxTitleChars {
			return validationFailed(docsUpdateIssue, fieldError{Resource: "Issue", Field: "title", Code: "custom",
				Message: fmt.Sprintf("title is too long (maximum is %d characters)", maxTitleChars)})
		}
		if *title != is.Title {
			m.Title, changed = title, true
		}
	}
	body, has, bad := str("body")
	if bad != nil {
		return bad
	}
	if has && body != nil && s.dropsBody(*body) {
		has = false // realism.go: GitHub was seen to answer 200 and keep the old body
	}
	if has {
		if body != nil && utf8.RuneCountInString(*body) > maxBodyChars {
			return bodyTooLong("Issue", docsUpdateIssue)
		}
		if body == nil || *body == "" {
			if is.Body != nil {
				m.ClearBody, changed = true, true
			}
		} else if is.Body == nil || *is.Body != *body {
			m.Body, changed = body, true
		}
	}
	state, has, bad := str("state")
	if bad != nil {
		return bad
	}
	if has && state != nil {
		if *state != stateOpen && *state != stateClosed {
			return validationFailed(docsUpdateIssue, fieldError{Resource: "Issue", Field: "state", Code: "invalid", Value: *state})
		}
		if *state != is.State {
			m.State, changed = state, true
		}
	}
	reason, has, bad := str("state_reason")
	if bad != nil {
		return bad
	}
	if has && reason != nil {
		if !validStateReasons[*reason] {
			return validationFailed(docsUpdateIssue, fieldError{Resource: "Issue", Field: "state_reason", Code: "invalid", Value: *reason})
		}
		if is.StateReason == nil || *is.StateReason != *reason || m.State != nil {
			m.StateReason, changed = reason, true
		}
	}
	if push {
		assignees, bad := assigneesOf(r, req, docsUpdateIssue)
		if bad != nil {
			return bad
		}
		if assignees != nil && !sameAssignees(is.Assignees, *assignees) {
			m.Assignees, changed = assignees, true
		}
	}
	var ms []mutation
	if raw, ok := req["labels"]; ok && push {
		var names []string
		if string(raw) != "null" {
			n, ok := labelNames(raw)
			if !ok {
				return validationFailed(docsUpdateIssue, fieldError{Resource: "Issue", Field: "labels", Code: "invalid"})
			}
			if bad := checkLabelNames(docsUpdateIssue, n); bad != nil {
				return bad
			}
			names = n
		}
		kept, lms := s.labelMutations(rc, r, names, at)
		if !sameLabels(r, is.Labels, kept) {
			ms, m.Labels, changed = lms, &kept, true
		}
	}
	if changed {
		if err := s.commit(append(ms, m)...); err != nil {
			return serverError(err)
		}
	}
	return jsonAnswer(http.StatusOK, s.renderIssue(rc, r, is))
}

// sameLabels reports whether names resolve to exactly the labels an issue has.
func sameLabels(r *repo, have []*label, names []string) bool {
	want := map[string]bool{}
	for _, n := range names {
		want[strings.ToLower(n)] = true
	}
	if len(want) != len(have) {
		return false
	}
	for _, l := range have {
		if !want[strings.ToLower(l.Name)] {
			return false
		}
	}
	return true
}
