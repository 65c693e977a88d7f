package store

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/transport"
)

// gate is a RoundTripper in front of localgh that records how many requests are in flight at once
// and holds the first comment lists until `want` of them are in flight together: a sequential
// ProcessAll would never get there (the test would hang), a concurrent one passes at once. No time
// is involved.
type gate struct {
	next     http.RoundTripper
	mu       sync.Mutex
	inFlight int
	peak     int
	want     int
	held     int
	release  chan struct{}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	g.inFlight++
	g.peak = max(g.peak, g.inFlight)
	hold := false
	if g.held < g.want && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/comments") {
		g.held++
		hold = true
		if g.held == g.want {
			close(g.release)
		}
	}
	g.mu.Unlock()
	if hold {
		<-g.release
	}
	resp, err := g.next.RoundTrip(r)
	g.mu.Lock()
	g.inFlight--
	g.mu.Unlock()
	return resp, err
}

// ProcessAll processes open objects side by side, never more than Options.Concurrency at once, and
// sends exactly what one-by-one processing sent: 1 list of the open issues, then per issue its
// comment list, one PATCH and a +1 per pending update.
func TestProcessAllConcurrentSameCost(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	as := e.store("acme", Options{Login: "acme", Async: true})
	const objects = 12
	pending := 0
	for i := 0; i < objects; i++ {
		id := fmt.Sprintf("p%02d", i)
		_, err := s.Create(e.ctx, id, json.RawMessage(`{"n":0}`))
		check(t, err)
		for k := 0; k <= i%3; k++ {
			_, err := as.Update(e.ctx, id, json.RawMessage(fmt.Sprintf(`{"k%d":%d}`, k, i)))
			check(t, err)
			pending++
		}
	}
	_, err := s.Create(e.ctx, "closed", json.RawMessage(`{}`)) // nothing to do
	check(t, err)

	const conc = 4
	g := &gate{next: e.srv.Transport(), want: conc, release: make(chan struct{})}
	tr := transport.New(transport.Options{
		Base:  g,
		Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tokenOf("acme")}),
		Clock: clock.NewFake(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)),
	})
	p, err := New(Options{Owner: "acme", Repo: "data", HTTPClient: &http.Client{Transport: tr}, BaseURL: testBaseURL, Login: "acme", Concurrency: conc})
	check(t, err)

	var n int
	c := e.measure(func() {
		n, err = p.ProcessAll(e.ctx)
		check(t, err)
	})
	t.Logf("ProcessAll of %d open objects, %d pending updates, concurrency %d: %+v, peak %d in flight", objects, pending, conc, c, g.peak)
	if n != objects {
		t.Fatalf("processed %d, want %d", n, objects)
	}
	if want := 1 + objects*2 + pending; c.requests != want || c.creating != objects+pending {
		t.Fatalf("cost %+v, want %d requests (%d creating)\n%s", c, want, objects+pending, e.requestLog())
	}
	if g.peak > conc {
		t.Fatalf("%d requests in flight at once, Concurrency is %d", g.peak, conc)
	}
	// Converged: every object closed, its body the fold, nothing pending; a second pass has nothing to do.
	for i := 0; i < objects; i++ {
		id := fmt.Sprintf("p%02d", i)
		got, err := e.store("carol").Get(e.ctx, id)
		check(t, err)
		want := `{"n":0`
		for k := 0; k <= i%3; k++ {
			want += fmt.Sprintf(`,"k%d":%d`, k, i)
		}
		want += `}`
		if !jsonEqual(got.Data, []byte(want)) || got.Pending != 0 {
			t.Fatalf("%s: %s pending %d, want %s", id, got.Data, got.Pending, want)
		}
		iss, _, err := e.client("acme").Issues.Get(e.ctx, "acme", "data", got.Issue)
		check(t, err)
		if iss.GetState() != "closed" || !jsonEqual([]byte(iss.GetBody()), []byte(want)) {
			t.Fatalf("%s: issue %s %s", id, iss.GetState(), iss.GetBody())
		}
	}
	c = e.measure(func() {
		n, err = p.ProcessAll(e.ctx)
		check(t, err)
	})
	if n != 0 || c.requests != 1 {
		t.Fatalf("second pass processed %d, cost %+v", n, c)
	}
}
