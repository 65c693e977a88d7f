package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

func TestExplain(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.Local)
	notFound := &github.ErrorResponse{
		Response: &http.Response{StatusCode: 404, Request: &http.Request{URL: &url.URL{Path: "/repos/acme/data/issues"}}},
		Message:  "Not Found",
	}
	tests := []struct {
		name string
		err  error
		want []string // each must appear
	}{
		{"primary rate limit, wrapped", fmt.Errorf("listing: %w", &transport.RateLimitError{Reset: now.Add(42 * time.Minute)}),
			[]string{"rate limit for this token is spent", "resets at 12:42:00", "in 42 min", "another token"}},
		{"store's rate limit", &store.RateLimitError{Secondary: true, Reset: now.Add(90 * time.Second)},
			[]string{"secondary rate limit", "80 a minute", "in 2 min", "writes_per_minute"}},
		{"404", fmt.Errorf("get: %w", notFound),
			[]string{"404 Not Found for acme/data", "owner/repo in the DSN", "token", "private repository"}},
		{"store's 404", fmt.Errorf("listing: %w (acme/data): 404", store.ErrRepoNotFound),
			[]string{"(acme/data)", "owner/repo in the DSN", "private repository"}},
		// The driver's sentinels are the store's: explain tests one and knows both.
		{"driver's 404", fmt.Errorf("%w (acme/data)", driver.ErrRepoNotFound),
			[]string{"acme/data", "owner/repo in the DSN"}},
		{"401", &github.ErrorResponse{Response: &http.Response{StatusCode: 401}},
			[]string{"refused the token", "GITHUB_TOKEN"}},
		{"store's 401", fmt.Errorf("x: %w", store.ErrBadCredentials), []string{"expired or revoked", "GITHUB_TOKEN"}},
		{"driver's 401", fmt.Errorf("%w (acme/data)", driver.ErrBadCredentials), []string{"(acme/data)", "expired or revoked"}},
		{"410", &github.ErrorResponse{Response: &http.Response{StatusCode: 410, Request: &http.Request{URL: &url.URL{Path: "/api/v3/repos/o/r/issues"}}}},
			[]string{"410 Gone for o/r", "Issues are disabled", "Settings"}},
		{"driver's 410", fmt.Errorf("x: %w", driver.ErrIssuesDisabled), []string{"Settings (General, Features)"}},
		{"driver's missing token", fmt.Errorf("x: %w", driver.ErrNoToken), []string{"GITHUB_TOKEN and GH_TOKEN", "token= in the DSN"}},
		{"canceled", fmt.Errorf("scan: %w", context.Canceled), []string{"canceled", "partly applied"}},
		{"too large", fmt.Errorf("a: %w", store.ErrTooLarge), []string{"too large", "65,536"}},
		{"other errors pass through", errors.New("query: syntax error at position 8 near 'FORM'"),
			[]string{"query: syntax error at position 8 near 'FORM'"}},
		{"missing token", &missingTokenError{repo: "acme/data"},
			[]string{"GITHUB_TOKEN", "GH_TOKEN", "token= in the DSN", "local:acme/data?dir=.ghstore"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(tt.err, now)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("explain = %q\nwant it to contain %q", got, w)
				}
			}
		})
	}
}

func TestUntilText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second:              "now",
		30 * time.Second:          "in less than a minute",
		5 * time.Minute:           "in 5 min",
		2*time.Hour + time.Minute: "in 2 h 01 min",
	} {
		if got := untilText(d); got != want {
			t.Errorf("untilText(%s) = %q, want %q", d, got, want)
		}
	}
}
