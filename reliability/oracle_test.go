package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/google/go-github/v66/github"
)

// The oracle reads the repository back with go-github, as the auditor (never faulted), and
// checks it with its own reading of the wire format (DESIGN.md §2–§3), independent of package
// store: no duplicate live object, no duplicate update comment, every closed issue's body equals
// the fold of its trusted log.

// objectIssue is one issue carrying an object's labels, as the oracle reads it.
type objectIssue struct {
	Number   int
	ID       string
	Live     bool // labelled stored-object (not archived)
	Open     bool
	Trusted  bool // authored by a trusted user: an object, not a stranger's copy
	Body     string
	Comments []*github.IssueComment
	Fold     any    // the fold of the trusted log (nil when it cannot be read)
	FoldErr  string // why the fold could not be read
}

// repoView is what the oracle saw.
type repoView struct {
	Issues   []*objectIssue
	Live     map[string]*objectIssue // lower-cased id → the oldest live trusted issue
	Problems []string
}

// trustedAssoc are the author associations DESIGN.md §3 trusts.
var trustedAssoc = map[string]bool{"OWNER": true, "MEMBER": true, "COLLABORATOR": true}

// inspect reads every issue and comment and checks the invariants; extraTrusted are logins
// trusted besides the associations.
func (w *world) inspect(extraTrusted ...string) *repoView {
	w.t.Helper()
	gh := w.rawClient(auditorToken)
	trusted := func(login, assoc string) bool {
		if trustedAssoc[assoc] {
			return true
		}
		for _, l := range extraTrusted {
			if strings.EqualFold(l, login) {
				return true
			}
		}
		return false
	}
	v := &repoView{Live: map[string]*objectIssue{}}
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := gh.Issues.ListByRepo(w.ctx, repoOwner, repoName, opts)
		must(w.t, err)
		for _, iss := range page {
			oi := &objectIssue{Number: iss.GetNumber(), Open: iss.GetState() == "open", Body: iss.GetBody(),
				Trusted: trusted(iss.GetUser().GetLogin(), iss.GetAuthorAssociation())}
			gs := false
			for _, l := range iss.Labels {
				switch name := l.GetName(); {
				case strings.HasPrefix(name, "UID:"):
					oi.ID = strings.TrimPrefix(name, "UID:")
				case name == "stored-object":
					oi.Live = true
				case name == "gh-store":
					gs = true
				}
			}
			if !gs || oi.ID == "" {
				continue
			}
			copts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
			for {
				cs, cresp, err := gh.Issues.ListComments(w.ctx, repoOwner, repoName, oi.Number, copts)
				must(w.t, err)
				oi.Comments = append(oi.Comments, cs...)
				if cresp.NextPage == 0 {
					break
				}
				copts.Page = cresp.NextPage
			}
			oi.Fold, oi.FoldErr = foldLog(oi.Body, oi.Comments, trusted)
			v.Issues = append(v.Issues, oi)
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	sort.Slice(v.Issues, func(i, j int) bool { return v.Issues[i].Number < v.Issues[j].Number })
	for _, oi := range v.Issues {
		if !oi.Live || !oi.Trusted {
			continue
		}
		key := strings.ToLower(oi.ID)
		if first, dup := v.Live[key]; dup {
			// A younger live issue with no initial state is an abandoned Create: it lost to the
			// object and could not archive itself (its PATCH refused). Readers use the oldest and
			// a delete archives both (checkObject and the deletes' checks show it), so it is
			// garbage, not a second object. Two issues that both carry an initial state are.
			if hasInitialState(oi, trusted) {
				v.Problems = append(v.Problems, fmt.Sprintf("duplicate object %q: issues #%d and #%d are both live", oi.ID, first.Number, oi.Number))
			}
			continue
		}
		v.Live[key] = oi
		seen := map[string]int64{}
		for _, c := range oi.Comments {
			if !trusted(c.GetUser().GetLogin(), c.GetAuthorAssociation()) {
				continue
			}
			if prev, ok := seen[c.GetBody()]; ok {
				v.Problems = append(v.Problems, fmt.Sprintf("duplicate comment on #%d (%q): comments %d and %d have the same body %s", oi.Number, oi.ID, prev, c.GetID(), c.GetBody()))
			}
			seen[c.GetBody()] = c.GetID()
		}
		if oi.FoldErr != "" {
			v.Problems = append(v.Problems, fmt.Sprintf("issue #%d (%q): %s", oi.Number, oi.ID, oi.FoldErr))
			continue
		}
		if !oi.Open {
			body, err := decodeJSON([]byte(oi.Body))
			if err != nil || !reflect.DeepEqual(body, oi.Fold) {
				v.Problems = append(v.Problems, fmt.Sprintf("closed issue #%d (%q): body %s is not the fold %s", oi.Number, oi.ID, oi.Body, mustJSON(oi.Fold)))
			}
		}
	}
	return v
}

// data is what object id reads as (the fold), and whether it is live.
func (v *repoView) data(id string) (any, bool) {
	oi, ok := v.Live[strings.ToLower(id)]
	if !ok {
		return nil, false
	}
	return oi.Fold, true
}

// foldLog folds the trusted log as DESIGN.md §3 says: the initial state (or, for a legacy object,
// the body), then each trusted update in (created_at, id) order; objects merge recursively,
// everything else replaces; update_mode replace replaces the whole state; non-JSON comments are
// ignored.
func foldLog(body string, comments []*github.IssueComment, trusted func(login, assoc string) bool) (any, string) {
	cs := append([]*github.IssueComment(nil), comments...)
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i].GetCreatedAt().Time, cs[j].GetCreatedAt().Time
		if !a.Equal(b) {
			return a.Before(b)
		}
		return cs[i].GetID() < cs[j].GetID()
	})
	var state any
	haveInitial := false
	type upd struct {
		data    any
		replace bool
	}
	var updates []upd
	for _, c := range cs {
		if !trusted(c.GetUser().GetLogin(), c.GetAuthorAssociation()) {
			continue
		}
		parsed, err := decodeJSON([]byte(c.GetBody()))
		obj, isObj := parsed.(map[string]any)
		if err != nil || !isObj {
			continue
		}
		d, hasData := obj["_data"]
		meta, hasMeta := obj["_meta"].(map[string]any)
		if !hasData || !hasMeta {
			updates = append(updates, upd{data: obj}) // legacy bare-JSON update
			continue
		}
		if obj["type"] == "initial_state" {
			if !haveInitial {
				state, haveInitial = d, true
			}
			continue
		}
		updates = append(updates, upd{data: d, replace: meta["update_mode"] == "replace"})
	}
	if !haveInitial {
		b, err := decodeJSON([]byte(body))
		if _, ok := b.(map[string]any); err != nil || !ok {
			return nil, fmt.Sprintf("no initial state and the body is not a JSON object: %q", body)
		}
		state = b
	}
	for _, u := range updates {
		if u.replace {
			state = u.data
		} else {
			state = deepMerge(state, u.data)
		}
	}
	return state, ""
}

// deepMerge is gh-store's merge: objects recurse; arrays, scalars and null replace.
func deepMerge(base, patch any) any {
	p, ok := patch.(map[string]any)
	b, ok2 := base.(map[string]any)
	if !ok || !ok2 {
		return patch
	}
	out := make(map[string]any, len(b)+len(p))
	for k, v := range b {
		out[k] = v
	}
	for k, v := range p {
		out[k] = deepMerge(out[k], v)
	}
	return out
}

// decodeJSON decodes one JSON value keeping numbers as written (json.Number).
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

// mustJSON is v as compact JSON, for messages.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a, b []byte) bool {
	va, err1 := decodeJSON(a)
	vb, err2 := decodeJSON(b)
	return err1 == nil && err2 == nil && reflect.DeepEqual(va, vb)
}

// liveIssues lists the numbers of the live issues (labelled stored-object and UID:<id>, by a
// trusted author) of id that are objects: the oldest, and any younger one that carries an initial
// state (an abandoned Create, which lost and could not archive itself, carries none: see
// inspect). One request, as the auditor, plus a comment list per younger live issue. More than
// one is a duplicate object.
func (w *world) liveIssues(id string) []int {
	w.t.Helper()
	gh := w.rawClient(auditorToken)
	var out []int
	opts := &github.IssueListByRepoOptions{State: "all", Labels: []string{"stored-object", "UID:" + id}, ListOptions: github.ListOptions{PerPage: 100}}
	iss, _, err := gh.Issues.ListByRepo(w.ctx, repoOwner, repoName, opts)
	must(w.t, err)
	sort.Slice(iss, func(i, j int) bool { return iss[i].GetNumber() < iss[j].GetNumber() })
	for _, i := range iss {
		if !trustedAssoc[i.GetAuthorAssociation()] {
			continue
		}
		if len(out) > 0 {
			cs, _, err := gh.Issues.ListComments(w.ctx, repoOwner, repoName, i.GetNumber(), &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}})
			must(w.t, err)
			oi := &objectIssue{Number: i.GetNumber(), Comments: cs}
			if !hasInitialState(oi, func(_, assoc string) bool { return trustedAssoc[assoc] }) {
				continue
			}
		}
		out = append(out, i.GetNumber())
	}
	return out
}

// requestLogFor formats the request log entries that touch issue n (and its comments), with the
// faults injected into them.
func requestLogFor(w *world, n int) string {
	faults := map[int]string{}
	for _, f := range w.faults.injectedLog() {
		faults[f.Seq] = f.Kind
	}
	var b []byte
	p := fmt.Sprintf("/issues/%d", n)
	for _, r := range w.srv.Requests() {
		if strings.HasSuffix(r.Path, p) || strings.Contains(r.Path, p+"/") || strings.Contains(r.Path, "/issues/comments/") {
			b = fmt.Appendf(b, "  %d %s %s as %s → %d %s\n", r.Seq, r.Method, r.Path, r.Login, r.Status, faults[r.Seq])
		}
	}
	return string(b)
}

// hasInitialState reports whether a trusted author wrote an initial-state comment on the issue.
func hasInitialState(oi *objectIssue, trusted func(login, association string) bool) bool {
	for _, c := range oi.Comments {
		if !trusted(c.GetUser().GetLogin(), c.GetAuthorAssociation()) {
			continue
		}
		var env struct {
			Type string `json:"type"`
		}
		if json.Unmarshal([]byte(c.GetBody()), &env) == nil && env.Type == "initial_state" {
			return true
		}
	}
	return false
}
