package store

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// hook runs once after the first answer to a request matching match.
type hook struct {
	next  http.RoundTripper
	match func(*http.Request) bool
	once  sync.Once
	run   func()
}

func (h *hook) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(r)
	if err == nil && h.match(r) {
		h.once.Do(h.run)
	}
	return resp, err
}

// A write between two pages of the mirror's walk moves an issue of page 1 to the end of the list
// sorted by updated_at, so page 2 starts one row later and its first issue would be skipped. The
// walk sees the moved issue twice, walks again, and misses nothing.
func TestMirrorWalkSurvivesAPageShift(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	e := newEnvAt(t, clk.Now)
	const m = 150
	fillAt(t, e, clk, m)
	w := e.store("acme", Options{Login: "acme"})
	h := &hook{
		next: e.srv.Transport(),
		match: func(r *http.Request) bool {
			return strings.HasSuffix(r.URL.Path, "/issues") && r.URL.Query().Get("sort") == "updated" && r.URL.Query().Get("page") == ""
		},
		run: func() {
			if _, err := w.Update(e.ctx, "o005", json.RawMessage(`{"moved":true}`)); err != nil {
				t.Error(err)
			}
		},
	}
	r, err := New(e.via(tokenOf("carol"), h, Options{Owner: "acme", Repo: "data", Mirror: true}))
	check(t, err)
	c := e.measure(func() {
		n := 0
		for o, err := range r.List(e.ctx, ListOptions{}) {
			check(t, err)
			if want := fmt.Sprintf("o%03d", n); o.ID != want {
				t.Fatalf("object %d is %s, want %s (skipped by the shift)", n, o.ID, want)
			}
			if o.ID == "o005" && string(o.Data) != `{"i":5,"moved":true}` {
				t.Fatalf("o005 %s", o.Data)
			}
			n++
		}
		if n != m {
			t.Fatalf("%d objects, want %d", n, m)
		}
	})
	t.Logf("first read with a page shift (M=%d): %+v", m, c)
	sameAsList(t, e, r)
	c = e.measure(func() { refresh(t, r, e) })
	if !c.only304() {
		t.Fatalf("after the shift: %+v\n%s", c, e.requestLog())
	}
}
