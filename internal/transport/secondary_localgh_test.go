package transport

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/localgh"
)

// localGitHub is a localgh server on clk with acme/data, its owner's token "tok", and opts.
func localGitHub(t *testing.T, clk interface{ Now() time.Time }, opts localgh.Options) *localgh.Server {
	t.Helper()
	opts.Now = clk.Now
	srv, err := localgh.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.AddUser("acme", "tok"); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateRepo("acme", "data", false); err != nil {
		t.Fatal(err)
	}
	return srv
}

// TestSecondaryLimitWithoutRetryAfterFromLocalGitHub: GitHub-shaped secondary limits without
// Retry-After, from localgh through go-github, are waited out on the fake clock: at least a
// minute, doubling on each repeat for the same request, and never shown to go-github; a wait
// that does not fit the deadline fails at once with *RateLimitError.
func TestSecondaryLimitWithoutRetryAfterFromLocalGitHub(t *testing.T) {
	cases := []struct {
		name    string
		refuse  int           // how many times the create is refused
		status  int           // 403 or 429
		timeout time.Duration // 0: no deadline
		slept   time.Duration
		fails   bool
	}{
		{"once 403", 1, 403, 0, time.Minute, false},
		{"once 429", 1, 429, 0, time.Minute, false},
		{"three times", 3, 403, 0, 7 * time.Minute, false},
		{"past the deadline", 1, 403, 30 * time.Second, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			clk := fakeClock()
			srv := localGitHub(t, clk, localgh.Options{})
			var mu sync.Mutex
			left := c.refuse
			srv.SetFault(func(call localgh.Call) localgh.Fault {
				mu.Lock()
				defer mu.Unlock()
				if call.Method != http.MethodPost || left == 0 {
					return localgh.Fault{}
				}
				left--
				return localgh.Fault{Status: c.status, Secondary: true}
			})
			tr := New(Options{Base: srv.Transport(), Token: tokenSource("tok"), Clock: clk})
			gh := newGitHubClient(t, tr)
			ctx := context.Background()
			if c.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, c.timeout)
				defer cancel()
			}
			_, _, err := gh.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
			if c.fails {
				var rl *RateLimitError
				if !errors.As(err, &rl) || !rl.Secondary {
					t.Fatalf("err %v, want *RateLimitError{Secondary}", err)
				}
			} else if err != nil {
				t.Fatalf("create: %v", err)
			}
			if clk.Slept() != c.slept {
				t.Fatalf("slept %v, want %v", clk.Slept(), c.slept)
			}
		})
	}
}

// TestBurstDetectorWithoutRetryAfterFromLocalGitHub: localgh's burst detector (Realism) refuses
// writes that come back to back without Retry-After; the transport waits a minute for each
// refused one and every write lands once.
func TestBurstDetectorWithoutRetryAfterFromLocalGitHub(t *testing.T) {
	clk := fakeClock()
	srv := localGitHub(t, clk, localgh.Options{Realism: localgh.Realism{WriteInterval: time.Second, WriteBurst: 2}})
	tr := New(Options{Base: srv.Transport(), Token: tokenSource("tok"), Clock: clk})
	gh := newGitHubClient(t, tr)
	for range 4 {
		if _, _, err := gh.Issues.Create(context.Background(), "acme", "data", &github.IssueRequest{Title: github.String("x")}); err != nil {
			t.Fatal(err)
		}
	}
	// The 3rd write is refused once; the minute it waits refills the detector's burst, so the
	// 4th goes at once.
	if clk.Slept() != time.Minute {
		t.Fatalf("slept %v, want 1m", clk.Slept())
	}
	list, _, err := gh.Issues.ListByRepo(context.Background(), "acme", "data", &github.IssueListByRepoOptions{State: "all"})
	if err != nil || len(list) != 4 {
		t.Fatalf("%d issues, %v; want 4", len(list), err)
	}
}
