package store

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// seedObjects creates objects prefix000… one after another through s.
func seedObjects(t *testing.T, e *env, s *Store, prefix string, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		_, err := s.Create(e.ctx, fmt.Sprintf("%s%03d", prefix, i), json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)))
		check(t, err)
	}
}

// TestScanUnderConcurrentWrites: objects created and deleted while a scan runs (its pages
// fetched side by side) make it neither skip nor repeat another object. The writes come in two
// bursts from inside the scan, while it is on page 1 (pages 2… not fetched yet) and on page 3
// (pages ahead of it in flight or fetched): each burst deletes 50 objects of pages already read
// and creates 60. A list whose pages shift under a delete (of the stored-object label, which a
// deleted object's issue loses) skips 50 objects at each later page boundary; one sorted by
// anything but creation repeats or skips under the creates.
func TestScanUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	const m = 450
	seedObjects(t, e, w, "o", 0, m)
	r := e.store("carol", Options{Login: "carol", Concurrency: 2})

	burst := func(deleteFrom, createFrom int) {
		for i := deleteFrom; i < deleteFrom+50; i++ {
			check(t, w.Delete(e.ctx, fmt.Sprintf("o%03d", i)))
		}
		seedObjects(t, e, w, "n", createFrom, 60)
	}
	count := map[string]int{}
	var order []string
	for o, err := range r.List(e.ctx, ListOptions{}) {
		check(t, err)
		count[o.ID]++
		order = append(order, o.ID)
		switch len(order) {
		case 1:
			burst(1, 0) // page 1 is read: o001…o050 go
		case 2*perPage + 10:
			burst(150, 60) // on page 3: o150…o199 go, pages 4… fetched or under way
		}
	}
	for id, n := range count {
		if n != 1 {
			t.Errorf("the scan yielded %s %d times", id, n)
		}
	}
	// Every object deleted during the scan was deleted after the scan had read it.
	for i := range m {
		if id := fmt.Sprintf("o%03d", i); count[id] == 0 {
			t.Errorf("the scan skipped %s, which was live when the scan read its page", id)
		}
	}
	// In order of creation: the ids of the seeded objects come in ascending order, and every
	// object created during the scan after them.
	last := ""
	for _, id := range order {
		if strings.HasPrefix(id, "o") {
			if id <= last {
				t.Fatalf("%s came after %s: the scan is out of order", id, last)
			}
			last = id
		}
	}
}

// pageGate is a base RoundTripper in front of localgh that holds each GET of an issue list
// page until `width` of them are in flight at once (or a fallback passes), and records the most
// it held. A scan whose pages go one after another never fills it.
type pageGate struct {
	next     http.RoundTripper
	width    int
	fallback time.Duration

	mu        sync.Mutex
	now, peak int
	full      chan struct{}
	pageQuery []string
}

func (g *pageGate) RoundTrip(r *http.Request) (*http.Response, error) {
	isPage := r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/issues") && strings.Contains(r.URL.RawQuery, "page=")
	if !isPage {
		return g.next.RoundTrip(r)
	}
	g.mu.Lock()
	g.now++
	g.peak = max(g.peak, g.now)
	g.pageQuery = append(g.pageQuery, r.URL.RawQuery)
	full := g.full
	if g.now >= g.width {
		close(g.full)
		g.full = make(chan struct{})
	}
	g.mu.Unlock()
	t := time.NewTimer(g.fallback)
	select {
	case <-full:
	case <-t.C:
	case <-r.Context().Done():
	}
	t.Stop()
	resp, err := g.next.RoundTrip(r)
	g.mu.Lock()
	g.now--
	g.mu.Unlock()
	return resp, err
}

// TestScanFetchesPagesSideBySide: once page 1 names the last page, the scan keeps `concurrency`
// pages in flight: with 5 pages and a window of 4, pages 2–5 are all in flight at once.
func TestScanFetchesPagesSideBySide(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	const m = 450
	seedObjects(t, e, w, "o", 0, m)
	gate := &pageGate{next: e.srv.Transport(), width: 4, fallback: 2 * time.Second, full: make(chan struct{})}
	r, err := New(e.via(tokenOf("carol"), gate, Options{Owner: "acme", Repo: "data", Login: "carol", Concurrency: 4}))
	check(t, err)
	n := 0
	c := e.measure(func() {
		for o, err := range r.List(context.Background(), ListOptions{}) {
			check(t, err)
			if want := fmt.Sprintf("o%03d", n); o.ID != want {
				t.Fatalf("row %d is %s, want %s: rows must stream in order", n, o.ID, want)
			}
			n++
		}
	})
	if n != m {
		t.Fatalf("listed %d of %d objects", n, m)
	}
	if c.requests != 5 {
		t.Errorf("a scan of %d objects sent %d requests, want 5 pages:\n%s", m, c.requests, e.requestLog())
	}
	if gate.peak != 4 {
		t.Errorf("at most %d list pages were in flight at once, want 4 (pages 2–5 side by side); queries %v", gate.peak, gate.pageQuery)
	}
}

// TestScanLimitFetchesNoMorePagesThanItNeeds: a listing with a Limit fetches ahead only the pages
// the objects it still wants can fill.
func TestScanLimitFetchesNoMorePagesThanItNeeds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	seedObjects(t, e, w, "o", 0, 450)
	r := e.store("carol", Options{Login: "carol", Concurrency: 8})
	for _, tt := range []struct{ limit, pages int }{{3, 1}, {100, 1}, {150, 2}, {201, 3}} {
		k := 0
		c := e.measure(func() {
			for _, err := range r.List(e.ctx, ListOptions{Limit: tt.limit}) {
				check(t, err)
				k++
			}
		})
		if k != tt.limit || c.requests != tt.pages {
			t.Errorf("Limit %d: %d objects in %d requests, want %d in %d:\n%s", tt.limit, k, c.requests, tt.limit, tt.pages, e.requestLog())
		}
	}
}

func TestDecodeIssuePage(t *testing.T) {
	page := `[{"number":7,"state":"closed","body":"{\"a\":1}","user":{"login":"acme","id":1},
	  "author_association":"OWNER","labels":[{"name":"gh-store","color":"ededed"},{"name":"UID:x"}],
	  "comments":3,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:06Z","reactions":{"+1":0}},
	 {"number":8,"state":"open","body":null,"user":{"login":"bob"},"labels":[],"comments":0,
	  "created_at":"2026-01-02T03:04:07Z","updated_at":"2026-01-02T03:04:07Z","pull_request":{"url":"x"}}]`
	got, err := decodeIssuePage(page)
	check(t, err)
	if len(got) != 2 {
		t.Fatalf("%d issues", len(got))
	}
	a := got[0]
	if a.number != 7 || a.state != "closed" || a.body != `{"a":1}` || a.login != "acme" || a.assoc != "OWNER" ||
		strings.Join(a.labels, ",") != "gh-store,UID:x" || a.comments != 3 || a.pull ||
		!a.createdAt.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) || !a.updatedAt.Equal(time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)) {
		t.Errorf("first issue %+v", a)
	}
	if b := got[1]; b.number != 8 || b.body != "" || !b.pull || len(b.labels) != 0 {
		t.Errorf("second issue %+v", b)
	}
	for _, bad := range []string{``, `{}`, `[1]`, `[{"number":0}]`, `[{"number":1,"created_at":"yesterday"}]`, `[{"number":1}`} {
		if _, err := decodeIssuePage(bad); err == nil {
			t.Errorf("decodeIssuePage(%q) succeeded", bad)
		}
	}
}
