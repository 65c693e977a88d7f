package store

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"encoding/json"

	"github.com/ghstore/ghstore/internal/transport"
)

// loopingLinks answers as the server does but gives every listing a Link whose next page is
// page 2, so that page 2's next is page 2 again: a listing that would never end.
type loopingLinks struct{ next http.RoundTripper }

func (l loopingLinks) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err == nil && r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/issues") || strings.HasSuffix(r.URL.Path, "/comments")) {
		u := *r.URL
		q := u.Query()
		q.Set("page", "2")
		u.RawQuery = q.Encode()
		resp.Header.Set("Link", `<`+u.String()+`>; rel="next"`)
	}
	return resp, err
}

// TestLoopingLinkStops: a server whose Link headers loop ends a listing with an error naming the
// page, instead of paging for ever (lookups, scans' point reads and log reads alike).
func TestLoopingLinkStops(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.store("acme").Create(e.ctx, "a", json.RawMessage(`{}`))
	check(t, err)
	s, err := New(e.via(tokenOf("acme"), loopingLinks{e.srv.Transport()}, Options{Owner: "acme", Repo: "data"}))
	check(t, err)
	_, err = s.Get(e.ctx, "a")
	if !errors.Is(err, transport.ErrPagination) || !strings.Contains(err.Error(), "page=2") {
		t.Fatalf("Get through looping Links: %v, want ErrPagination naming page 2", err)
	}
	_, err = s.History(e.ctx, "b")
	if !errors.Is(err, transport.ErrPagination) {
		t.Fatalf("History through looping Links: %v, want ErrPagination", err)
	}
}
