package store

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/transport"
)

// refusing is a RoundTripper that refuses every request for the rate limit, as the transport does
// when waiting would pass the deadline.
type refusing struct {
	err  *transport.RateLimitError
	sent int
}

func (r *refusing) RoundTrip(*http.Request) (*http.Response, error) {
	r.sent++
	return nil, r.err
}

// TestRateLimitErrorIsTheStores: the transport's refusal reaches the caller as the store's own
// *RateLimitError (fields kept, the transport's error still wrapped, the message unchanged), and a
// refused write is not retried (nothing was applied).
func TestRateLimitErrorIsTheStores(t *testing.T) {
	reset := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	rt := &refusing{err: &transport.RateLimitError{Secondary: true, Reset: reset, Status: 403}}
	s, err := New(Options{Owner: "acme", Repo: "data", HTTPClient: &http.Client{Transport: rt}, BaseURL: testBaseURL, Login: "acme"})
	check(t, err)
	for name, op := range map[string]func() error{
		"read":  func() error { _, err := s.Get(t.Context(), "a"); return err },
		"write": func() error { _, err := s.Create(t.Context(), "a", json.RawMessage(`{}`)); return err },
	} {
		rt.sent = 0
		err := op()
		var rl *RateLimitError
		if !errors.As(err, &rl) || !rl.Secondary || !rl.Reset.Equal(reset) || rl.Status != 403 {
			t.Fatalf("%s: %v (%#v)", name, err, rl)
		}
		var trl *transport.RateLimitError
		if !errors.As(err, &trl) || trl != rt.err {
			t.Errorf("%s: the transport's error is not wrapped: %v", name, err)
		}
		if want := rt.err.Error(); !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %q lacks %q", name, err, want)
		}
		if rt.sent != 1 {
			t.Errorf("%s: %d requests sent, want 1 (a refusal is not retried)", name, rt.sent)
		}
	}
	if got, want := (&RateLimitError{Reset: reset}).Error(), (&transport.RateLimitError{Reset: reset}).Error(); got != want {
		t.Errorf("a RateLimitError made by hand says %q, want %q", got, want)
	}
}
