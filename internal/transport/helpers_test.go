package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// epoch is where fake clocks start.
var epoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// handlerBase is a base RoundTripper that answers with an http.Handler in memory (no network)
// and remembers every request it saw.
type handlerBase struct {
	h    http.Handler
	mu   sync.Mutex
	seen []*http.Request
}

func (b *handlerBase) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	b.mu.Lock()
	b.seen = append(b.seen, r)
	b.mu.Unlock()
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func (b *handlerBase) requests() []*http.Request {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*http.Request(nil), b.seen...)
}

// funcBase is a base RoundTripper made of a function.
type funcBase func(*http.Request) (*http.Response, error)

func (f funcBase) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var errConnRefused = errors.New("dial tcp 127.0.0.1:1: connect: connection refused")

func get(t *testing.T, rt http.RoundTripper, ctx context.Context, url string, header ...string) (*http.Response, string, error) {
	t.Helper()
	return do(t, rt, ctx, http.MethodGet, url, "", header...)
}

func do(t *testing.T, rt http.RoundTripper, ctx context.Context, method, url, body string, header ...string) (*http.Response, string, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, "", err
	}
	b, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if rerr != nil {
		t.Fatalf("reading body: %v", rerr)
	}
	return resp, string(b), nil
}

func fakeClock() *clock.Fake { return clock.NewFake(epoch) }

func noJitter() float64 { return 0.5 }
