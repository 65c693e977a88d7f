package localgh

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/go-github/v66/github"
)

// loadSpec loads GitHub's own description of the operations (testdata/SOURCE.md) and routes it.
func loadSpec(t *testing.T) routers.Router {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("testdata/openapi-subset.json")
	must(t, err)
	must(t, doc.Validate(loader.Context))
	router, err := gorillamux.NewRouter(doc)
	must(t, err)
	return router
}

// exchange is one request and its answer.
type exchange struct {
	method, path, query string
	status              int
	header              http.Header
	body                []byte
}

// recorder is a RoundTripper that keeps every exchange.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	log  []exchange
}

func (rt *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := rt.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	rt.mu.Lock()
	rt.log = append(rt.log, exchange{r.Method, r.URL.Path, r.URL.RawQuery, resp.StatusCode, resp.Header.Clone(), b})
	rt.mu.Unlock()
	return resp, nil
}

// validate checks one answer against the spec's response for its operation.
func validate(router routers.Router, x exchange) error {
	u := "https://api.github.com" + x.path
	if x.query != "" {
		u += "?" + x.query
	}
	req, err := http.NewRequest(x.method, u, nil)
	if err != nil {
		return err
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no route: %w", err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: x.status < 300, MultiError: true}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 x.status,
		Header:                 x.header,
		Options:                opts,
	}
	if in.Header == nil || in.Header.Get("Content-Type") == "" {
		in.Header = http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	}
	in.SetBodyBytes(x.body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// TestConformanceScenario validates every answer localgh gives in a representative scenario
// against GitHub's OpenAPI description.
func TestConformanceScenario(t *testing.T) {
	router := loadSpec(t)
	f := newFixture(t, "inprocess", Options{})
	rec := &recorder{base: f.srv.Transport()}
	client := func(token string) *github.Client {
		c := github.NewClient(&http.Client{Transport: &tokenTransport{token: token, base: rec}})
		c.BaseURL, _ = url.Parse("https://api.github.com/")
		return c
	}
	acme, mallory := client(tokAcme), client(tokMallory)
	_, _, err := acme.Repositories.Get(ctx, "acme", "data")
	must(t, err)
	_, _, err = acme.Users.Get(ctx, "")
	must(t, err)
	_, _, err = acme.RateLimit.Get(ctx)
	must(t, err)
	is, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("Stored Object: a"), Body: github.String("{}"), Labels: &[]string{"gh-store", "UID:a"}})
	must(t, err)
	_, _, err = mallory.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("stranger")})
	must(t, err)
	c, _, err := acme.Issues.CreateComment(ctx, "acme", "data", is.GetNumber(), &github.IssueComment{Body: github.String("c")})
	must(t, err)
	_, _, err = mallory.Issues.CreateComment(ctx, "acme", "data", is.GetNumber(), &github.IssueComment{Body: github.String("m")})
	must(t, err)
	_, _, err = acme.Issues.EditComment(ctx, "acme", "data", c.GetID(), &github.IssueComment{Body: github.String("c2")})
	must(t, err)
	_, _, err = acme.Issues.GetComment(ctx, "acme", "data", c.GetID())
	must(t, err)
	r, _, err := acme.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c.GetID(), "+1")
	must(t, err)
	_, _, err = acme.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c.GetID(), "+1")
	must(t, err)
	_, _, err = acme.Reactions.CreateIssueReaction(ctx, "acme", "data", is.GetNumber(), "rocket")
	must(t, err)
	_, _, err = acme.Reactions.ListIssueCommentReactions(ctx, "acme", "data", c.GetID(), nil)
	must(t, err)
	_, _, err = acme.Reactions.ListIssueReactions(ctx, "acme", "data", is.GetNumber(), nil)
	must(t, err)
	_, err = acme.Reactions.DeleteIssueCommentReaction(ctx, "acme", "data", c.GetID(), r.GetID())
	must(t, err)
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", is.GetNumber(), &github.IssueRequest{Body: github.String(`{"a":1}`), State: github.String("closed")})
	must(t, err)
	_, _, err = acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", Labels: []string{"gh-store"}})
	must(t, err)
	_, _, err = acme.Issues.Get(ctx, "acme", "data", is.GetNumber())
	must(t, err)
	// Assignees, and a locked issue (locked through the server directly: the spec subset has no
	// lock operation).
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", is.GetNumber(), &github.IssueRequest{Assignees: &[]string{"acme", "carol"}})
	must(t, err)
	_, err = f.client(tokAcme).Issues.Lock(ctx, "acme", "data", is.GetNumber(), &github.LockIssueOptions{LockReason: "resolved"})
	must(t, err)
	_, _, err = acme.Issues.Get(ctx, "acme", "data", is.GetNumber())
	must(t, err)
	_, _, err = acme.Issues.ListComments(ctx, "acme", "data", is.GetNumber(), nil)
	must(t, err)
	_, _, err = acme.Issues.ListComments(ctx, "acme", "data", 0, nil)
	must(t, err)
	_, _, err = acme.Issues.ListLabels(ctx, "acme", "data", nil)
	must(t, err)
	_, _, err = acme.Issues.GetLabel(ctx, "acme", "data", "gh-store")
	must(t, err)
	_, _, err = acme.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String("new"), Color: github.String("aabbcc")})
	must(t, err)
	_, _, err = acme.Issues.AddLabelsToIssue(ctx, "acme", "data", is.GetNumber(), []string{"new"})
	must(t, err)
	_, _, err = acme.Issues.ListLabelsByIssue(ctx, "acme", "data", is.GetNumber(), nil)
	must(t, err)
	_, err = acme.Issues.DeleteComment(ctx, "acme", "data", c.GetID())
	must(t, err)
	// Errors: 404, 422, 410.
	_, _, _ = acme.Issues.Get(ctx, "acme", "data", 99)
	_, _, _ = acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{})
	_, _, _ = acme.Issues.CreateLabel(ctx, "acme", "data", &github.Label{Name: github.String("NEW")})
	must(t, f.srv.SetIssuesEnabled("acme", "data", false))
	_, _, _ = acme.Issues.Get(ctx, "acme", "data", 1)

	if len(rec.log) < 30 {
		t.Fatalf("only %d exchanges", len(rec.log))
	}
	statuses := map[int]int{}
	for _, x := range rec.log {
		statuses[x.status]++
		if err := validate(router, x); err != nil {
			t.Errorf("%s %s → %d does not conform: %v\nbody: %.600s", x.method, x.path, x.status, err, x.body)
		}
	}
	for _, want := range []int{200, 201, 204, 404, 410, 422} {
		if statuses[want] == 0 {
			t.Errorf("scenario gave no %d", want)
		}
	}
}

// realResponse is one recorded api.github.com exchange (testdata/SOURCE.md).
type realResponse struct {
	Src    string          `json:"src"`
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Query  string          `json:"query"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// knownSpecGaps are the two places where GitHub's description and its real answers disagree
// (testdata/SOURCE.md): exempt from validation, and nothing else is.
func knownSpecGap(r realResponse) string {
	switch {
	case r.Method == "DELETE" && strings.Contains(r.Path, "/labels/") && r.Status == 404:
		return "a real 404 on label delete is undocumented"
	case r.Path == "/search/issues":
		return "search_type is required by the spec but absent in older answers"
	}
	return ""
}

// TestRealResponsesConform runs recorded real GitHub answers through the same validator (so the
// validator is shown to accept GitHub itself) and decodes them through go-github's types.
func TestRealResponsesConform(t *testing.T) {
	router := loadSpec(t)
	fh, err := os.Open("testdata/real-responses.jsonl")
	must(t, err)
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 4<<20), 4<<20)
	var n, validated, skipped int
	var noRoute []string
	for sc.Scan() {
		var r realResponse
		must(t, json.Unmarshal(sc.Bytes(), &r))
		n++
		body := []byte(r.Body)
		var text string
		if json.Unmarshal(r.Body, &text) == nil { // some recordings keep the body as JSON text in a string
			body, r.Body = []byte(text), json.RawMessage(text)
		}
		if r.Status == http.StatusNoContent {
			body = nil
		}
		x := exchange{method: r.Method, path: r.Path, query: r.Query, status: r.Status, body: body}
		if gap := knownSpecGap(r); gap != "" {
			skipped++
		} else if err := validate(router, x); err != nil {
			if strings.HasPrefix(err.Error(), "no route") {
				noRoute = append(noRoute, r.Method+" "+r.Path) // an operation outside the subset (issue lock)
			} else {
				t.Errorf("%s %s %s → %d: %v", r.Src, r.Method, r.Path, r.Status, err)
			}
		} else {
			validated++
		}
		if err := decodeAsGoGitHub(r); err != nil {
			t.Errorf("%s %s %s: go-github decode: %v", r.Src, r.Method, r.Path, err)
		}
	}
	must(t, sc.Err())
	t.Logf("%d real answers: %d validated, %d skipped as known spec gaps, outside the subset: %v", n, validated, skipped, noRoute)
	sort.Strings(noRoute)
	for _, nr := range noRoute {
		if !strings.HasSuffix(nr, "/lock") {
			t.Errorf("unexpected route missing from the spec: %s", nr)
		}
	}
	if n != 67 || skipped > 2 || validated < 60 {
		t.Fatalf("%d records, %d validated, %d skipped as known spec gaps, no route: %v", n, validated, skipped, noRoute)
	}
}

// decodeAsGoGitHub decodes a recorded body into the go-github type its operation answers with.
func decodeAsGoGitHub(r realResponse) error {
	if r.Status == http.StatusNoContent || len(r.Body) == 0 || string(r.Body) == `""` {
		return nil
	}
	segs := strings.Split(strings.Trim(r.Path, "/"), "/")
	var v any
	switch {
	case r.Status >= 400:
		v = &github.ErrorResponse{}
	case r.Path == "/search/issues":
		v = &github.IssuesSearchResult{}
	case len(segs) >= 4 && segs[3] == "labels", len(segs) == 6 && segs[5] == "labels":
		if (len(segs) == 4 && r.Method == "GET") || len(segs) == 6 {
			v = &[]*github.Label{}
		} else {
			v = &github.Label{}
		}
	case len(segs) == 5 && segs[4] == "comments", len(segs) == 6 && segs[5] == "comments":
		if r.Method == "GET" {
			v = &[]*github.IssueComment{}
		} else {
			v = &github.IssueComment{}
		}
	case len(segs) == 6 && segs[4] == "comments":
		v = &github.IssueComment{}
	case len(segs) == 4:
		if r.Method == "GET" {
			v = &[]*github.Issue{}
		} else {
			v = &github.Issue{}
		}
	case len(segs) == 5:
		v = &github.Issue{}
	default:
		return fmt.Errorf("no go-github type chosen")
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	switch x := v.(type) {
	case *github.Issue:
		if x.GetNumber() == 0 || x.User == nil {
			return fmt.Errorf("issue decoded empty")
		}
	case *github.IssueComment:
		if x.GetID() == 0 || x.User == nil {
			return fmt.Errorf("comment decoded empty")
		}
	case *github.Label:
		if x.GetName() == "" {
			return fmt.Errorf("label decoded empty")
		}
	case *github.ErrorResponse:
		if x.Message == "" {
			return fmt.Errorf("error decoded empty")
		}
	}
	return nil
}

// TestShapesMatchGhStoreWire: localgh's issue, comment and reaction JSON have every key the real
// answers in testdata/gh-store-wire have, and no others.
func TestShapesMatchGhStoreWire(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	acme := f.client(tokAcme)
	_, _, err := acme.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Body: github.String("b"), Labels: &[]string{"gh-store"}})
	must(t, err)
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{State: github.String("closed")})
	must(t, err)
	c, _, err := acme.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("c")})
	must(t, err)
	_, _, err = acme.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", c.GetID(), "+1")
	must(t, err)
	get := func(path string) any {
		resp := f.raw("GET", path, tokAcme, nil, "")
		var v any
		must(t, json.NewDecoder(resp.Body).Decode(&v))
		return v
	}
	load := func(name string) any {
		b, err := os.ReadFile("testdata/gh-store-wire/" + name)
		must(t, err)
		var v any
		must(t, json.Unmarshal(b, &v))
		return v
	}
	compare := func(what string, got, want any) {
		g, w := keys("", got), keys("", want)
		if strings.Join(g, " ") != strings.Join(w, " ") {
			t.Errorf("%s keys differ:\n got %v\nwant %v", what, g, w)
		}
	}
	compare("issue", get("/repos/acme/data/issues/1"), load("issue.json"))
	compare("comment", get("/repos/acme/data/issues/1/comments").([]any)[0], load("comments.json").([]any)[0])
	var firstReaction any
	for _, v := range load("comment-reactions.json").(map[string]any) {
		firstReaction = v.([]any)[0]
	}
	compare("reaction", get(fmt.Sprintf("/repos/acme/data/issues/comments/%d/reactions", c.GetID())).([]any)[0], firstReaction)
}

// keys lists the key paths of a JSON value (objects recursively; the first element of arrays).
func keys(prefix string, v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = append(out, prefix+k)
			out = append(out, keys(prefix+k+".", e)...)
		}
	case []any:
		if len(x) > 0 {
			out = append(out, keys(prefix+"[].", x[0])...)
		}
	}
	sort.Strings(out)
	return out
}
