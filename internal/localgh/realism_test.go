package localgh

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

// listedNumbers lists acme/data's issues (state=all) with the given labels, as numbers.
func listedNumbers(t *testing.T, c *github.Client, labels ...string) []int {
	t.Helper()
	list, _, err := c.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", Labels: labels})
	must(t, err)
	var out []int
	for _, is := range list {
		out = append(out, is.GetNumber())
	}
	return out
}

func createIssue(t *testing.T, c *github.Client, labels ...string) *github.Issue {
	t.Helper()
	is, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x"), Labels: &labels})
	must(t, err)
	return is
}

// TestRealismLagHidesANewIssue: for Lag after its creation an issue's GET (and its comments')
// is a 404 and listings omit it, while writes to it succeed; then it is there. Without Lag it is
// there at once.
func TestRealismLagHidesANewIssue(t *testing.T) {
	for _, lag := range []time.Duration{0, 2 * time.Second} {
		t.Run(lag.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "socket", Options{Realism: Realism{Lag: lag}})
			acme := f.client(tokAcme)
			is := createIssue(t, acme, "stored-object")
			n := is.GetNumber()
			_, _, err := acme.Issues.CreateComment(ctx, "acme", "data", n, &github.IssueComment{Body: github.String("c")})
			must(t, err) // writes go to the primary: no lag
			for _, step := range []struct {
				advance time.Duration
				visible bool
			}{{0, lag == 0}, {lag / 2, lag == 0}, {lag / 2, true}} {
				f.clock.Advance(step.advance)
				_, _, getErr := acme.Issues.Get(ctx, "acme", "data", n)
				_, _, commentsErr := acme.Issues.ListComments(ctx, "acme", "data", n, nil)
				listed := listedNumbers(t, acme, "stored-object")
				if step.visible {
					must(t, getErr)
					must(t, commentsErr)
					if len(listed) != 1 || listed[0] != n {
						t.Fatalf("after the lag the listing is %v, want [%d]", listed, n)
					}
					continue
				}
				if ghStatus(getErr) != 404 || ghStatus(commentsErr) != 404 || len(listed) != 0 {
					t.Fatalf("in the lag window: GET %v, comments %v, listing %v; want 404, 404, []", getErr, commentsErr, listed)
				}
			}
		})
	}
}

// TestRealismLagKeepsOldLabelsInListings: for Lag after a label change, listings filter and show
// the issue with its labels from before; a GET shows the new ones. A conditional re-list after
// the lag is answered 200 (the ETag changed with the listing), so a client's cache cannot keep
// the lagged answer.
func TestRealismLagKeepsOldLabelsInListings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "socket", Options{Realism: Realism{Lag: time.Second}})
	acme := f.client(tokAcme)
	n := createIssue(t, acme, "stored-object").GetNumber()
	f.clock.Advance(time.Second)
	_, _, err := acme.Issues.Edit(ctx, "acme", "data", n, &github.IssueRequest{Labels: &[]string{"archived"}})
	must(t, err)
	f.clock.Advance(300 * time.Millisecond)
	_, _, err = acme.Issues.Edit(ctx, "acme", "data", n, &github.IssueRequest{Labels: &[]string{"archived", "gh-store"}})
	must(t, err)

	got, _, err := acme.Issues.Get(ctx, "acme", "data", n)
	must(t, err)
	if len(got.Labels) != 2 {
		t.Fatalf("GET shows labels %v, want the current two", got.Labels)
	}
	if l := listedNumbers(t, acme, "archived"); len(l) != 0 {
		t.Fatalf("a listing by the new label shows %v in the lag window", l)
	}
	list, _, err := acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", Labels: []string{"stored-object"}})
	must(t, err)
	if len(list) != 1 || len(list[0].Labels) != 1 || list[0].Labels[0].GetName() != "stored-object" {
		t.Fatalf("a listing by the old label shows %v, want the issue with its old labels", list)
	}
	first := f.raw("GET", "/repos/acme/data/issues?state=all&labels=stored-object", tokAcme, nil, "")
	first.Body.Close()
	tag := first.Header.Get("ETag")

	f.clock.Advance(800 * time.Millisecond) // the first change is past the lag, the second not
	list, _, err = acme.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", Labels: []string{"archived"}})
	must(t, err)
	if len(list) != 1 || len(list[0].Labels) != 1 || list[0].Labels[0].GetName() != "archived" {
		t.Fatalf("after the first change's lag the listing shows %v, want the issue labelled archived only", list)
	}
	f.clock.Advance(300 * time.Millisecond)
	if l := listedNumbers(t, acme, "archived", "gh-store"); len(l) != 1 {
		t.Fatalf("after both lags a listing by the current labels shows %v", l)
	}
	again := f.raw("GET", "/repos/acme/data/issues?state=all&labels=stored-object", tokAcme, http.Header{"If-None-Match": {tag}}, "")
	body, _ := io.ReadAll(again.Body)
	again.Body.Close()
	if again.StatusCode != 200 || strings.TrimSpace(string(body)) != "[]" {
		t.Fatalf("conditional re-list after the lag: %d %s, want 200 []", again.StatusCode, body)
	}
}

// TestRealismPerTokenETags: an ETag validates only for the token it was given to when
// PerTokenETags is on; without it, for any token of the same user.
func TestRealismPerTokenETags(t *testing.T) {
	for _, perToken := range []bool{false, true} {
		t.Run(map[bool]string{false: "per user", true: "per token"}[perToken], func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "socket", Options{Realism: Realism{PerTokenETags: perToken}})
			const second = "t1-second"
			must(t, f.srv.AddUser("acme", second))
			first := f.raw("GET", "/repos/acme/data", tokAcme, nil, "")
			first.Body.Close()
			tag := first.Header.Get("ETag")
			cond := http.Header{"If-None-Match": {tag}}
			same := f.raw("GET", "/repos/acme/data", tokAcme, cond, "")
			same.Body.Close()
			other := f.raw("GET", "/repos/acme/data", second, cond, "")
			other.Body.Close()
			wantOther := http.StatusNotModified
			if perToken {
				wantOther = http.StatusOK
			}
			if same.StatusCode != http.StatusNotModified || other.StatusCode != wantOther {
				t.Fatalf("same token %d, other token %d; want 304, %d", same.StatusCode, other.StatusCode, wantOther)
			}
			log := f.srv.Requests()
			if last := log[len(log)-1]; last.Counted != perToken {
				t.Fatalf("the other token's conditional GET counted %v, want %v", last.Counted, perToken)
			}
		})
	}
}

// TestRealismBurstDetector: a user's writes closer than WriteInterval beyond WriteBurst are
// refused with the secondary limit (403, GitHub's message), with or without Retry-After, and not
// applied; reads pass; another user has its own bucket; after an interval one more write goes.
func TestRealismBurstDetector(t *testing.T) {
	for _, retryAfter := range []int{0, 7} {
		t.Run(map[bool]string{true: "without Retry-After", false: "with Retry-After"}[retryAfter == 0], func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "inprocess", Options{Realism: Realism{WriteInterval: time.Second, WriteBurst: 2, SecondaryRetryAfter: retryAfter}})
			create := func(token string, want int) {
				t.Helper()
				resp := f.raw("POST", "/repos/acme/data/issues", token, nil, `{"title":"x"}`)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Fatalf("POST: %d %s, want %d", resp.StatusCode, body, want)
				}
				if want != http.StatusForbidden {
					return
				}
				wantRA := ""
				if retryAfter > 0 {
					wantRA = strconv.Itoa(retryAfter)
				}
				if !strings.Contains(string(body), "You have exceeded a secondary rate limit") || resp.Header.Get("Retry-After") != wantRA {
					t.Fatalf("refused write: Retry-After %q, body %s; want Retry-After %q and the secondary-limit message", resp.Header.Get("Retry-After"), body, wantRA)
				}
			}
			create(tokAcme, 201)
			create(tokAcme, 201)
			create(tokAcme, 403)
			if l := listedNumbers(t, f.client(tokAcme)); len(l) != 2 {
				t.Fatalf("the refused write was applied: %v", l)
			}
			create(tokCarol, 201)
			f.clock.Advance(999 * time.Millisecond)
			create(tokAcme, 403)
			f.clock.Advance(time.Millisecond)
			create(tokAcme, 201)
			create(tokAcme, 403)
			// go-github sees it as its AbuseRateLimitError.
			_, _, err := f.client(tokAcme).Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
			var ab *github.AbuseRateLimitError
			if !errors.As(err, &ab) {
				t.Fatalf("go-github: %v, want *AbuseRateLimitError", err)
			}
		})
	}
}

// TestRealismConcurrencyCap: a user's request beyond MaxConcurrent in flight is refused with
// the secondary limit (without Retry-After by default); once the others are answered, requests
// go again. Both in-process and over a socket.
func TestRealismConcurrencyCap(t *testing.T) {
	for _, mode := range []string{"inprocess", "socket"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			var releaseOnce sync.Once
			unblock := func() { releaseOnce.Do(func() { close(release) }) }
			t.Cleanup(unblock)
			entered := make(chan struct{}, 8)
			var mu sync.Mutex
			sleeps := 0
			sleep := func(ctx context.Context, d time.Duration) error {
				mu.Lock()
				sleeps++
				hold := sleeps <= 2
				mu.Unlock()
				if hold {
					entered <- struct{}{}
					<-release
				}
				return nil
			}
			f := newFixture(t, mode, Options{Sleep: sleep, Realism: Realism{MaxConcurrent: 2}})
			f.srv.SetLatency(time.Millisecond)
			errs := make(chan error, 2)
			for range 2 {
				go func() {
					_, _, err := f.client(tokAcme).Repositories.Get(ctx, "acme", "data")
					errs <- err
				}()
			}
			<-entered
			<-entered
			resp := f.raw("GET", "/repos/acme/data", tokAcme, nil, "")
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 403 || resp.Header.Get("Retry-After") != "" || !strings.Contains(string(body), "secondary rate limit") {
				t.Fatalf("a third request in flight: %d Retry-After %q %s; want the secondary limit without Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
			_, _, err := f.client(tokCarol).Repositories.Get(ctx, "acme", "data")
			must(t, err) // another user has its own cap
			unblock()
			for range 2 {
				must(t, <-errs)
			}
			_, _, err = f.client(tokAcme).Repositories.Get(ctx, "acme", "data")
			must(t, err)
		})
	}
}

// TestRealismSilentBodyPatch: a body PATCH longer than SilentBodyBytes (in UTF-8 bytes) answers
// 200 with the old body, the rest of the PATCH applied; one within it is stored.
func TestRealismSilentBodyPatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "inprocess", Options{Realism: Realism{SilentBodyBytes: 10}})
	acme := f.client(tokAcme)
	n := createIssue(t, acme).GetNumber()
	cases := []struct {
		body, want string
		state      string
	}{
		{"0123456789", "0123456789", "open"},
		{"0123456789a", "0123456789", "closed"},
		{"ééééé!", "0123456789", "open"}, // 6 characters, 11 bytes
		{"short", "short", "closed"},
	}
	for _, c := range cases {
		got, resp, err := acme.Issues.Edit(ctx, "acme", "data", n, &github.IssueRequest{Body: github.String(c.body), State: github.String(c.state)})
		must(t, err)
		if resp.StatusCode != 200 || got.GetBody() != c.want || got.GetState() != c.state {
			t.Fatalf("PATCH body %q: %d body %q state %s; want 200 %q %s", c.body, resp.StatusCode, got.GetBody(), got.GetState(), c.want, c.state)
		}
		read, _, err := acme.Issues.Get(ctx, "acme", "data", n)
		must(t, err)
		if read.GetBody() != c.want {
			t.Fatalf("after PATCH body %q a GET reads %q, want %q", c.body, read.GetBody(), c.want)
		}
	}
}

// TestFaultSecondaryWithoutRetryAfter: Fault.Secondary answers the secondary-limit message
// without Retry-After, with 403 and 429.
func TestFaultSecondaryWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	for _, status := range []int{403, 429} {
		f := newFixture(t, "inprocess", Options{})
		f.srv.SetFault(func(Call) Fault { return Fault{Status: status, Secondary: true} })
		resp := f.raw("POST", "/repos/acme/data/issues", tokAcme, nil, `{"title":"x"}`)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != status || resp.Header.Get("Retry-After") != "" || !strings.Contains(string(body), "secondary rate limit") {
			t.Fatalf("%d: got %d Retry-After %q %s", status, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
}

// TestRealisticGitHubIsAllOn: the realistic set turns every behaviour on.
func TestRealisticGitHubIsAllOn(t *testing.T) {
	r := RealisticGitHub()
	if r.Lag <= 0 || !r.PerTokenETags || r.WriteInterval != time.Second || r.MaxConcurrent != 100 || r.SilentBodyBytes != maxBodyChars || r.SecondaryRetryAfter != 0 {
		t.Fatalf("RealisticGitHub() = %+v", r)
	}
}
