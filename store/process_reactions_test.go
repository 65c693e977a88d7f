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

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/transport"
)

// reactionGate holds +1 reactions until want of them are in flight together: a Process that sends
// them one by one never gets there and fails when the test's context ends; one that sends them side
// by side passes at once. No timing is measured.
type reactionGate struct {
	next    http.RoundTripper
	want    int
	mu      sync.Mutex
	held    int
	release chan struct{}
}

func (g *reactionGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/reactions") {
		g.mu.Lock()
		g.held++
		if g.held == g.want {
			close(g.release)
		}
		g.mu.Unlock()
		select {
		case <-g.release:
		case <-r.Context().Done():
			return nil, fmt.Errorf("reactions were sent one at a time: %w", r.Context().Err())
		}
	}
	return g.next.RoundTrip(r)
}

// TestProcessReactsConcurrently: Process marks its N applied updates with N +1 reactions sent side
// by side (at most Concurrency at once), so 10 pending updates take a few round trips, and it
// still sends exactly 2 + ceil(C/100) + N requests.
func TestProcessReactsConcurrently(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	as := e.store("acme", Options{Login: "acme", Async: true})
	obj, err := s.Create(e.ctx, "many", json.RawMessage(`{"n":0}`))
	check(t, err)
	const pending = 10
	for k := range pending {
		_, err := as.Update(e.ctx, "many", json.RawMessage(fmt.Sprintf(`{"k%d":%d}`, k, k)))
		check(t, err)
	}

	g := &reactionGate{next: e.srv.Transport(), want: 4, release: make(chan struct{})}
	tr := transport.New(transport.Options{
		Base:  g,
		Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tokenOf("acme")}),
	})
	p, err := New(Options{Owner: "acme", Repo: "data", HTTPClient: &http.Client{Transport: tr}, BaseURL: testBaseURL, Login: "acme", Concurrency: 4})
	check(t, err)

	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	var got *Object
	c := e.measure(func() {
		got, err = p.Process(ctx, obj.Issue)
		check(t, err)
	})
	if want := 2 + 1 + pending; c.requests != want || c.creating != 1+pending {
		t.Fatalf("Process of %d pending cost %+v, want %d requests (%d creating)\n%s", pending, c, want, 1+pending, e.requestLog())
	}
	if got.Pending != 0 || got.Version != 1+pending {
		t.Fatalf("after Process: pending %d version %d", got.Pending, got.Version)
	}
}
