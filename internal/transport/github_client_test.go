package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

// issueServer serves one issue the way GitHub does (ETag, 304, rate-limit headers), refusing
// the requests listed in refuse by their number (from 1) with the given answer.
type issueServer struct {
	mu     sync.Mutex
	n      int
	title  string
	refuse map[int]func(http.ResponseWriter)
	// remaining is what X-RateLimit-Remaining says on ordinary answers.
	remaining int
}

func (s *issueServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if f := s.refuse[s.n]; f != nil {
		f(w)
		return
	}
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(s.remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	if r.Method == http.MethodPatch {
		s.title = fmt.Sprint("title ", s.n)
	}
	etag := fmt.Sprintf(`"%s"`, s.title)
	w.Header().Set("ETag", etag)
	if r.Method == http.MethodGet && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"number":1,"title":%q}`, s.title)
}

func newGitHubClient(t *testing.T, tr *Transport) *github.Client {
	t.Helper()
	c := github.NewClient(&http.Client{Transport: tr})
	c.BaseURL, _ = url.Parse("https://api.github.invalid/")
	return c
}

func TestGoGitHubNeverSees304(t *testing.T) {
	srv := &issueServer{title: "first", remaining: 4000}
	tr := New(Options{Base: &handlerBase{h: srv}, Clock: fakeClock()})
	c := newGitHubClient(t, tr)
	ctx := context.Background()
	for i := range 3 {
		issue, resp, err := c.Issues.Get(ctx, "o", "r", 1)
		if err != nil || issue.GetTitle() != "first" || resp.StatusCode != 200 {
			t.Fatalf("read %d: %v %v", i, issue, err)
		}
	}
	if _, _, err := c.Issues.Edit(ctx, "o", "r", 1, &github.IssueRequest{Title: github.String("x")}); err != nil {
		t.Fatal(err)
	}
	issue, _, err := c.Issues.Get(ctx, "o", "r", 1)
	if err != nil || issue.GetTitle() != "title 4" {
		t.Fatalf("read after write: %v %v, want the new title", issue.GetTitle(), err)
	}
	if s := tr.Stats(); s.Requests != 5 || s.NotModified != 2 || s.ContentCreating != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestGoGitHubNeverSeesALimitWeCanWaitFor(t *testing.T) {
	srv := &issueServer{title: "t", remaining: 0, refuse: map[int]func(http.ResponseWriter){
		2: secondaryLimit(403, "30"),
		3: primaryLimit(403, epoch.Add(time.Minute)),
	}}
	clk := fakeClock()
	tr := New(Options{Base: &handlerBase{h: srv}, Clock: clk})
	c := newGitHubClient(t, tr)
	ctx := context.Background()
	// The first answer spends the budget: go-github must not refuse the next call on its own.
	for i := range 2 {
		if _, _, err := c.Issues.Edit(ctx, "o", "r", 1, &github.IssueRequest{Title: github.String("x")}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if s := tr.Stats(); s.Requests != 4 || s.Waits != 2 || s.Remaining != 0 {
		t.Fatalf("stats %+v", s)
	}
}
