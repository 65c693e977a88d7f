package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// hungBase never answers: each request waits until its context is done.
func hungBase() http.RoundTripper {
	return funcBase(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
}

// TestRequestTimeoutEndsAHungRequest: with RequestTimeout, a request whose context has no
// deadline does not wait on a hung server for ever: each try gives up with an error that is
// context.DeadlineExceeded, a safe request is retried (backoff on the fake clock), a write is not.
func TestRequestTimeoutEndsAHungRequest(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		tr := New(Options{Base: hungBase(), Token: tokenSource(secretToken), Clock: fakeClock(), Jitter: noJitter, MaxRetries: 2, RequestTimeout: 10 * time.Millisecond})
		body := ""
		if method == http.MethodPost {
			body = "{}"
		}
		_, _, err := do(t, tr, context.Background(), method, "https://api.github.invalid/x", body)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s to a hung server: %v, want context.DeadlineExceeded", method, err)
		}
		if !strings.Contains(err.Error(), "no answer within 10ms") {
			t.Errorf("%s: error %q does not say what timed out", method, err)
		}
		want := int64(3)
		if method == http.MethodPost {
			want = 1
		}
		if s := tr.Stats(); s.Requests != want {
			t.Errorf("%s: %d tries, want %d", method, s.Requests, want)
		}
	}
}

// ctxBase answers 200 at once and remembers the context of each request it was sent.
type ctxBase struct {
	mu   sync.Mutex
	ctxs []context.Context
}

func (b *ctxBase) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	b.ctxs = append(b.ctxs, r.Context())
	b.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Request: r}, nil
}

// TestRequestTimeoutLastsUntilTheBodyIsClosed: the deadline covers reading the answer (the body
// reads after RoundTrip returns) and is released when the body is closed.
func TestRequestTimeoutLastsUntilTheBodyIsClosed(t *testing.T) {
	b := &ctxBase{}
	tr := New(Options{Base: b, Clock: fakeClock(), NoCache: true, RequestTimeout: time.Hour})
	req, _ := http.NewRequest(http.MethodGet, "https://api.github.invalid/x", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	sent := b.ctxs[0]
	if _, ok := sent.Deadline(); !ok {
		t.Fatal("a request without a deadline was sent without one")
	}
	if got, err := io.ReadAll(resp.Body); err != nil || string(got) != `{"ok":true}` {
		t.Fatalf("body %q, %v", got, err)
	}
	if sent.Err() != nil {
		t.Fatal("the request's deadline was released before its body was closed")
	}
	resp.Body.Close()
	if sent.Err() == nil {
		t.Fatal("closing the body did not release the request's deadline")
	}
}

// TestRequestTimeoutKeepsTheCallersDeadline: a request whose context has a deadline (a SQL
// statement's) is sent with that one, and with RequestTimeout 0 nothing is added.
func TestRequestTimeoutKeepsTheCallersDeadline(t *testing.T) {
	b := &ctxBase{}
	tr := New(Options{Base: b, Clock: fakeClock(), NoCache: true, RequestTimeout: time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	want, _ := ctx.Deadline()
	if _, _, err := get(t, tr, ctx, "https://api.github.invalid/x"); err != nil {
		t.Fatal(err)
	}
	if got, ok := b.ctxs[0].Deadline(); !ok || !got.Equal(want) {
		t.Errorf("sent with deadline %v (%v), want the caller's %v", got, ok, want)
	}

	b = &ctxBase{}
	tr = New(Options{Base: b, Clock: fakeClock(), NoCache: true})
	if _, _, err := get(t, tr, context.Background(), "https://api.github.invalid/x"); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.ctxs[0].Deadline(); ok {
		t.Error("RequestTimeout 0 added a deadline")
	}
}
