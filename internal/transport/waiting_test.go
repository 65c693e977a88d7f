package transport

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// peekingClock is a fake clock that, on each Sleep, records what the transport's Stats say is
// being waited for at that moment.
type peekingClock struct {
	*clock.Fake
	tr   *Transport
	seen []Stats
}

func (c *peekingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.seen = append(c.seen, c.tr.Stats())
	return c.Fake.Sleep(ctx, d)
}

// TestStatsSayWhatAWaitIsFor: while a request waits for pacing or a Retry-After, Stats name
// the reason and when the wait ends; once it is over they are clear again.
func TestStatsSayWhatAWaitIsFor(t *testing.T) {
	for _, tc := range []struct {
		name   string
		base   http.RoundTripper
		opts   Options
		writes int
		reason string
		wait   time.Duration
	}{
		{"pacing", scripted(), Options{WritesPerMinute: 1}, 2, WaitPacing, time.Minute},
		{"Retry-After", limitedThenOK(1, secondaryLimit(403, "30")), Options{}, 1, WaitSecondary, 30 * time.Second},
		{"primary reset", limitedThenOK(1, primaryLimit(403, epoch.Add(10*time.Second))), Options{}, 1, WaitPrimary, 10*time.Second + ResetMargin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &peekingClock{Fake: fakeClock()}
			opts := tc.opts
			opts.Base, opts.Clock = tc.base, clk
			clk.tr = New(opts)
			for range tc.writes {
				if _, _, err := do(t, clk.tr, context.Background(), http.MethodPost, "https://api.github.invalid/repos/o/r/issues", `{}`); err != nil {
					t.Fatal(err)
				}
			}
			if len(clk.seen) != 1 {
				t.Fatalf("%d sleeps, want 1", len(clk.seen))
			}
			if s := clk.seen[0]; s.WaitingFor != tc.reason || !s.WaitingUntil.Equal(epoch.Add(tc.wait)) {
				t.Fatalf("during the wait: WaitingFor %q until %v, want %q until %v", s.WaitingFor, s.WaitingUntil, tc.reason, epoch.Add(tc.wait))
			}
			if s := clk.tr.Stats(); s.WaitingFor != "" || !s.WaitingUntil.IsZero() {
				t.Fatalf("after the wait: WaitingFor %q until %v, want nothing", s.WaitingFor, s.WaitingUntil)
			}
		})
	}
}
