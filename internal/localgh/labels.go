package localgh

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

const (
	docsLabels           = "https://docs.github.com/rest/issues/labels"
	docsCreateLabel      = "https://docs.github.com/rest/issues/labels#create-a-label"
	maxLabelDescChars    = 100
	msgLabelDoesNotExist = "Label does not exist"
)

var colorRE = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// listLabels lists a repository's labels by name, case-insensitively.
func (s *server) listLabels(rc *reqCtx, r *repo) *answer {
	ls := append([]*label(nil), r.labels...)
	sort.SliceStable(ls, func(i, j int) bool { return strings.ToLower(ls[i].Name) < strings.ToLower(ls[j].Name) })
	return paginate(rc, renderLabels(rc, r, ls))
}

func (s *server) getLabel(rc *reqCtx, r *repo, name string) *answer {
	l := r.label(name)
	if l == nil {
		return notFound()
	}
	return jsonAnswer(http.StatusOK, renderLabel(rc, r, l))
}

func checkLabelFields(name, color *string, desc *string) *answer {
	if name != nil {
		if strings.TrimSpace(*name) == "" {
			return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "name", Code: "missing_field"})
		}
		if utf8.RuneCountInString(*name) > maxLabelNameChars {
			return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "name", Code: "invalid", Value: *name,
				Message: fmt.Sprintf("name is too long (maximum is %d characters)", maxLabelNameChars)})
		}
	}
	if color != nil && !colorRE.MatchString(*color) {
		return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "color", Code: "invalid", Value: *color})
	}
	if desc != nil && utf8.RuneCountInString(*desc) > maxLabelDescChars {
		return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "description", Code: "custom",
			Message: fmt.Sprintf("description is too long (maximum is %d characters)", maxLabelDescChars)})
	}
	return nil
}

func (s *server) createLabel(rc *reqCtx, r *repo) *answer {
	if !r.canPush(rc.login) {
		return forbidden()
	}
	var req struct {
		Name        *string `json:"name"`
		Color       *string `json:"color"`
		Description *string `json:"description"`
	}
	if bad := decode(rc, &req); bad != nil {
		return bad
	}
	if req.Name == nil {
		return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "name", Code: "missing_field"})
	}
	color := autoLabelColor
	if req.Color != nil {
		color = strings.TrimPrefix(*req.Color, "#")
	}
	if bad := checkLabelFields(req.Name, &color, req.Description); bad != nil {
		return bad
	}
	if r.label(*req.Name) != nil {
		return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "name", Code: "already_exists"})
	}
	id := s.st.nextID
	if err := s.commit(mutation{Op: opCreateLabel, Repo: r.Owner + "/" + r.Name, ID: id, Name: *req.Name,
		Color: strings.ToLower(color), Description: req.Description, At: s.now()}); err != nil {
		return serverError(err)
	}
	l := r.label(*req.Name)
	a := jsonAnswer(http.StatusCreated, renderLabel(rc, r, l))
	a.header.Set("Location", renderLabel(rc, r, l).URL)
	return a
}

func (s *server) updateLabel(rc *reqCtx, r *repo, name string) *answer {
	l := r.label(name)
	if l == nil {
		return notFound()
	}
	if !r.canPush(rc.login) {
		return forbidden()
	}
	var req struct {
		NewName     *string `json:"new_name"`
		Color       *string `json:"color"`
		Description *string `json:"description"`
	}
	if bad := decode(rc, &req); bad != nil {
		return bad
	}
	var color *string
	if req.Color != nil {
		c := strings.TrimPrefix(*req.Color, "#")
		color = &c
	}
	if bad := checkLabelFields(req.NewName, color, req.Description); bad != nil {
		return bad
	}
	m := mutation{Op: opUpdateLabel, Repo: r.Owner + "/" + r.Name, Name: l.Name, Description: req.Description, At: s.now()}
	if req.NewName != nil {
		if other := r.label(*req.NewName); other != nil && other != l {
			return validationFailed(docsCreateLabel, fieldError{Resource: "Label", Field: "name", Code: "already_exists"})
		}
		m.NewName = *req.NewName
	}
	if color != nil {
		m.Color = strings.ToLower(*color)
	}
	if err := s.commit(m); err != nil {
		return serverError(err)
	}
	return jsonAnswer(http.StatusOK, renderLabel(rc, r, l))
}

func (s *server) deleteLabel(rc *reqCtx, r *repo, name string) *answer {
	l := r.label(name)
	if l == nil {
		return notFound()
	}
	if !r.canPush(rc.login) {
		return forbidden()
	}
	if err := s.commit(mutation{Op: opDeleteLabel, Repo: r.Owner + "/" + r.Name, Name: l.Name, At: s.now()}); err != nil {
		return serverError(err)
	}
	return noContent()
}

// routeIssueLabels serves /issues/{n}/labels: list, add (POST), replace (PUT), clear (DELETE) and
// remove one (DELETE …/labels/{name}). Changing them needs push access.
func (s *server) routeIssueLabels(rc *reqCtx, r *repo, is *issue, rest []string) *answer {
	if rc.method == http.MethodGet && len(rest) == 0 {
		return paginate(rc, renderLabels(rc, r, is.Labels))
	}
	if !isCreating(rc.method) || (len(rest) > 0 && rc.method != http.MethodDelete) {
		return notFound()
	}
	if !r.canPush(rc.login) {
		return forbidden()
	}
	current := make([]string, 0, len(is.Labels))
	for _, l := range is.Labels {
		current = append(current, l.Name)
	}
	var names []string
	switch {
	case len(rest) > 0: // DELETE one
		gone := strings.Join(rest, "/")
		found := false
		for _, n := range current {
			if strings.EqualFold(n, gone) {
				found = true
			} else {
				names = append(names, n)
			}
		}
		if !found {
			return errAnswer(http.StatusNotFound, msgLabelDoesNotExist, docsLabels)
		}
	case rc.method == http.MethodDelete:
		names = []string{}
	default: // POST adds, PUT replaces; a bare array or {"labels": [...]}
		var raw json.RawMessage
		if bad := decode(rc, &raw); bad != nil {
			return bad
		}
		var wrapped struct {
			Labels json.RawMessage `json:"labels"`
		}
		if json.Unmarshal(raw, &wrapped) == nil && wrapped.Labels != nil {
			raw = wrapped.Labels
		}
		given, ok := labelNames(raw)
		if !ok {
			return validationFailed(docsLabels, fieldError{Resource: "Label", Field: "labels", Code: "invalid"})
		}
		if bad := checkLabelNames(docsLabels, given); bad != nil {
			return bad
		}
		if rc.method == http.MethodPost {
			names = append(current, given...)
		} else {
			names = given
		}
	}
	at := s.now()
	kept, ms := s.labelMutations(rc, r, names, at)
	if !sameLabels(r, is.Labels, kept) {
		ms = append(ms, mutation{Op: opUpdateIssue, Repo: r.Owner + "/" + r.Name, Number: is.Number, Login: rc.login, Labels: &kept, At: at})
		if err := s.commit(ms...); err != nil {
			return serverError(err)
		}
	}
	if rc.method == http.MethodDelete && len(rest) == 0 {
		return noContent()
	}
	return jsonAnswer(http.StatusOK, renderLabels(rc, r, is.Labels))
}
