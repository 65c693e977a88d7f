package query

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/transport"
)

// sendTimes is a base RoundTripper that answers 201 and records when (on the clock) each request
// reached it.
type sendTimes struct {
	clock clock.Clock
	at    []time.Time
}

func (s *sendTimes) RoundTrip(r *http.Request) (*http.Response, error) {
	s.at = append(s.at, s.clock.Now())
	return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

// TestLeastTimeIsTheTransportsSchedule holds EXPLAIN's least wall time against the transport's
// own pacer on a fake clock: n content-creating requests sent one after another reach the server
// exactly LeastTime(n) after the first.
func TestLeastTimeIsTheTransportsSchedule(t *testing.T) {
	for _, tc := range []struct {
		p Pacing
		n int
	}{
		{Pacing{PerMinute: 80, PerHour: 500, Interval: time.Second}, 600},
		{Pacing{PerMinute: 80, PerHour: 500, Interval: time.Second}, 1201},
		{Pacing{PerMinute: 80, PerHour: 500}, 700},
		{Pacing{PerMinute: 80, PerHour: 500, Interval: 100 * time.Millisecond}, 300},
		{Pacing{PerMinute: 10, Interval: 2 * time.Second, Burst: 5}, 40},
		{Pacing{Interval: time.Second, Burst: 1}, 25},
		{Pacing{}, 50},
	} {
		clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		base := &sendTimes{clock: clk}
		tr := transport.New(transport.Options{
			Base: base, Clock: clk,
			WritesPerMinute: tc.p.PerMinute, WritesPerHour: tc.p.PerHour,
			WriteInterval: tc.p.Interval, WriteBurst: tc.p.Burst,
		})
		for i := range tc.n {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "https://api.github.invalid/repos/o/r/issues", strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatalf("%+v: write %d: %v", tc.p, i, err)
			}
			resp.Body.Close()
		}
		if len(base.at) != tc.n {
			t.Fatalf("%+v: %d sends, want %d", tc.p, len(base.at), tc.n)
		}
		measured := base.at[tc.n-1].Sub(base.at[0])
		if got := tc.p.LeastTime(tc.n); got != measured {
			t.Errorf("%+v, %d writes: LeastTime %v, the transport took %v", tc.p, tc.n, got, measured)
		}
	}
}
