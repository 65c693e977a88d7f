package benchmarks

import (
	"context"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// minPaced is the earliest the n-th of n content-creating requests can go (the first going at 0)
// when no minute holds more than perMinute and no hour more than perHour, requests taking no
// time: the greedy schedule, each request as early as both sliding windows allow.
func minPaced(n, perMinute, perHour int) time.Duration {
	at := make([]time.Duration, n)
	for i := range at {
		if i > 0 {
			at[i] = at[i-1]
		}
		if i >= perMinute {
			at[i] = max(at[i], at[i-perMinute]+time.Minute)
		}
		if i >= perHour {
			at[i] = max(at[i], at[i-perHour]+time.Hour)
		}
	}
	return at[n-1]
}

// TestBulkInsertPaced: inserting 500 objects paced at GitHub's secondary limit (80 content-creating
// requests a minute, 500 an hour, which localgh enforces by default) trips the limit not once and
// takes no longer than the limits force. Time is a fake clock shared by localgh (Options.Now) and
// the transport (Options.Clock), so hours of pacing run in moments.
//
// The Config of the driver has no clock to inject, so the stack is built as driver.NewConnector
// builds it (transport → go-github → store) and the inserts are the store's Create, in order, as
// the driver runs a many-row INSERT.
func TestBulkInsertPaced(t *testing.T) {
	const objects, perMinute, perHour = 500, 80, 500
	clk := clock.NewFake(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	srv, err := localgh.Open(localgh.Options{Now: clk.Now}) // GitHub's limits: 5,000/h, 80/min, 500/h
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	must(t, srv.AddUser(owner, token))
	must(t, srv.CreateRepo(owner, repo, false))

	tr := transport.New(transport.Options{
		Base:            srv.Transport(),
		Token:           oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}),
		Clock:           clk,
		WritesPerMinute: perMinute,
		WritesPerHour:   perHour,
	})
	st, err := store.New(store.Options{Owner: owner, Repo: repo, HTTPClient: &http.Client{Transport: tr},
		BaseURL: "http://localgh.invalid/", Clock: clk})
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	start := clk.Now()
	for i := range objects {
		if _, err := st.Create(ctx, objectID(i), objectData(i)); err != nil {
			t.Fatalf("insert %d of %d: %v", i+1, objects, err)
		}
	}
	elapsed := clk.Now().Sub(start)
	got := costOf(srv.Requests())

	if bad := got.forbidden(); len(bad) > 0 {
		t.Errorf("%d requests were refused by a rate limit; the first: #%d %s %s → %d",
			len(bad), bad[0].Seq, bad[0].Method, bad[0].Path, bad[0].Status)
	}
	if got.Creating > 3*objects {
		t.Errorf("%d inserts sent %d content-creating requests; want at most 3 each", objects, got.Creating)
	}
	least := minPaced(got.Creating, perMinute, perHour)
	t.Logf("%d inserts: %s; fake time %v, the limits' least %v; %d pacing waits", objects, got, elapsed, least, tr.Stats().Waits)
	// localgh tells time in whole seconds, so allow one second a window crossing (one a minute).
	if slack := least/time.Minute*time.Second + time.Second; elapsed > least+slack {
		t.Errorf("%d inserts (%d content-creating requests) took %v of fake time; the limits allow %v (slack %v)",
			objects, got.Creating, elapsed, least, slack)
	}
	if elapsed < least {
		t.Errorf("%d content-creating requests went out in %v, faster than the limits allow (%v)", got.Creating, elapsed, least)
	}
}
