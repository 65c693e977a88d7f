package transport

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestStatsCountEveryKindOfRequest(t *testing.T) {
	srv := &issueServer{title: "t", remaining: 4321, refuse: map[int]func(http.ResponseWriter){
		3: secondaryLimit(429, "7"), // the POST, re-sent after 7 s
		5: func(w http.ResponseWriter) { w.WriteHeader(502) },
	}}
	clk := fakeClock()
	tr := New(Options{Base: &handlerBase{h: srv}, Clock: clk, Jitter: func() float64 { return 0 }})
	ctx := context.Background()
	const url = "https://api.github.invalid/repos/o/r/issues/1"
	get(t, tr, ctx, url)                                                               // 1: 200
	get(t, tr, ctx, url)                                                               // 2: 304
	do(t, tr, ctx, http.MethodPost, url, `{}`)                                         // 3: 429, 4: 200
	get(t, tr, ctx, "https://api.github.invalid/x")                                    // 5: 502, 6: 200 (retried)
	do(t, tr, ctx, http.MethodDelete, url, ``)                                         // 7
	get(t, tr, ctx, "https://api.github.invalid/x")                                    // 8: 304
	get(t, tr, ctx, "https://api.github.invalid/repos/o/r/issues?per_page=100&page=2") // 9: a page of a list
	want := Stats{Requests: 9, Pages: 1, NotModified: 2, ContentCreating: 3, Retried: 1, Waits: 1, Waited: 7 * time.Second, Limit: 5000, Remaining: 4321}
	got := tr.Stats()
	if got.Reset.IsZero() {
		t.Fatalf("no reset recorded: %+v", got)
	}
	got.Reset = time.Time{}
	if got != want {
		t.Fatalf("stats\n got %+v\nwant %+v", got, want)
	}
	if got.Counted() != 7 {
		t.Fatalf("Counted() = %d, want 7", got.Counted())
	}
}

func TestSpentBudgetResetIsHiddenFromTheClient(t *testing.T) {
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", "1735787045")
	hideSpentReset(h)
	if h.Get("X-RateLimit-Reset") != "" || h.Get(SpentResetHeader) != "1735787045" {
		t.Fatalf("headers %v", h)
	}
	h = http.Header{}
	h.Set("X-RateLimit-Remaining", "1")
	h.Set("X-RateLimit-Reset", "1735787045")
	hideSpentReset(h)
	if h.Get("X-RateLimit-Reset") != "1735787045" {
		t.Fatalf("a budget not spent lost its reset: %v", h)
	}
}
