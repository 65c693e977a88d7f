package localgh

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestQueryAndPathNumbersAreRangeChecked: no number in a URL can make the server panic or
// name another object: a page past int's range is an empty page, per_page is clamped, and an
// issue or comment number with a sign or spaces is 404, as on GitHub.
func TestQueryAndPathNumbersAreRangeChecked(t *testing.T) {
	f := newFixture(t, "socket", Options{})
	createIssues(t, f, 3)
	for _, tc := range []struct {
		path string
		want int
		body string // a prefix of the body, when it matters
	}{
		{"/repos/acme/data/issues?page=9223372036854775807", 200, "[]"},
		{"/repos/acme/data/issues?page=9223372036854775807&per_page=100", 200, "[]"},
		{"/repos/acme/data/issues?page=-9223372036854775808", 200, "[{"},
		{"/repos/acme/data/issues?page=99999999999999999999999", 200, "[{"},
		{"/repos/acme/data/issues?per_page=9223372036854775807", 200, "[{"},
		{"/repos/acme/data/issues?per_page=-1&page=0", 200, "[{"},
		{"/repos/acme/data/labels?page=9223372036854775807", 200, "[]"},
		{"/repos/acme/data/issues/1/comments?page=9223372036854775807", 200, "[]"},
		{"/repos/acme/data/issues/comments?page=9223372036854775807", 200, "[]"},
		{"/repos/acme/data/issues/1/reactions?page=9223372036854775807", 200, "[]"},
		{"/repos/acme/data/issues/+1", 404, ""},
		{"/repos/acme/data/issues/-1", 404, ""},
		{"/repos/acme/data/issues/%201", 404, ""},
		{"/repos/acme/data/issues/0x1", 404, ""},
		{"/repos/acme/data/issues/9223372036854775807", 404, ""},
		{"/repos/acme/data/issues/99999999999999999999999", 404, ""},
		{"/repos/acme/data/issues/1", 200, "{"},
		{"/repos/acme/data/issues/comments/+1", 404, ""},
		{"/repos/acme/data/issues?since=not-a-time", 422, ""},
		{"/repos/acme/data/issues?state=everything", 422, ""},
		{"/repos/acme/data/issues?sort=" + strings.Repeat("x", 10000), 422, ""},
	} {
		resp := f.raw("GET", tc.path, tokAcme, nil, "")
		body := readAll(t, resp)
		if resp.StatusCode != tc.want || !strings.HasPrefix(body, tc.body) {
			t.Errorf("GET %.80s: %d %.60s, want %d %s…", tc.path, resp.StatusCode, body, tc.want, tc.body)
		}
	}
}

// TestLinkPutsPageLast: every Link URL ends with page=N, as GitHub's do (PyGithub reads the
// last page's number from there), and keeps the request's other parameters.
func TestLinkPutsPageLast(t *testing.T) {
	f := newFixture(t, "socket", Options{})
	createIssues(t, f, 5)
	resp := f.raw("GET", "/repos/acme/data/issues?state=all&page=2&per_page=2&sort=created", tokAcme, nil, "")
	readAll(t, resp)
	link := resp.Header.Get("Link")
	parts := strings.Split(link, ", ")
	if len(parts) != 4 {
		t.Fatalf("Link %q: want prev, next, last, first", link)
	}
	for _, p := range parts {
		u, _, _ := strings.Cut(strings.TrimPrefix(p, "<"), ">")
		if !strings.Contains(u, "per_page=2&") || !strings.Contains(u, "state=all") || !strings.Contains(u, "sort=created") {
			t.Errorf("Link URL %s lost a parameter", u)
		}
		if i := strings.LastIndex(u, "&page="); i < 0 || strings.Contains(u[i+1:], "&") {
			t.Errorf("Link URL %s: page is not last", u)
		}
	}
	if !strings.HasSuffix(parts[2], `&page=3>; rel="last"`) {
		t.Errorf("last: %s", parts[2])
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return string(b)
}

func createIssues(t *testing.T, f *fixture, n int) {
	t.Helper()
	for range n {
		resp := f.raw("POST", "/repos/acme/data/issues", tokAcme, nil, `{"title":"t"}`)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", resp.StatusCode, readAll(t, resp))
		}
		resp.Body.Close()
	}
}
