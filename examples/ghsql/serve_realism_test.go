package main

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestServeRealismFlags: -realism is the realistic set, each single flag sets its own behaviour
// on top of it or alone, and no flag leaves every behaviour off.
func TestServeRealismFlags(t *testing.T) {
	full := localgh.RealisticGitHub()
	withLag := full
	withLag.Lag = 50 * time.Millisecond
	withRetry := full
	withRetry.SecondaryRetryAfter = 3
	cases := []struct {
		args []string
		want localgh.Realism
	}{
		{nil, localgh.Realism{}},
		{[]string{"-realism"}, full},
		{[]string{"-realism", "-lag", "50ms"}, withLag},
		{[]string{"-retry-after", "3", "-realism"}, withRetry},
		{[]string{"-lag", "1s"}, localgh.Realism{Lag: time.Second}},
		{[]string{"-per-token-etags"}, localgh.Realism{PerTokenETags: true}},
		{[]string{"-write-interval", "250ms", "-write-burst", "2"}, localgh.Realism{WriteInterval: 250 * time.Millisecond, WriteBurst: 2}},
		{[]string{"-max-concurrent", "5"}, localgh.Realism{MaxConcurrent: 5}},
		{[]string{"-silent-body-bytes", "100"}, localgh.Realism{SilentBodyBytes: 100}},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		get := realismFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if got := get(); got != c.want {
			t.Errorf("%v: %+v, want %+v", c.args, got, c.want)
		}
	}
}

// TestServeWithLag: `ghsql serve -lag` serves a just-created issue as a 404 for the lag.
func TestServeWithLag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	const token = "serve-test-token"
	url := startServe(t, "-dir", dir, "-token", token, "-dsn", "local:acme/data", "-lag", "1h")
	ctx := context.Background()
	c := gitHubClient(t, url, token, false)
	is, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("x")})
	if err != nil {
		t.Fatal(err)
	}
	_, resp, err := c.Issues.Get(ctx, "acme", "data", is.GetNumber())
	if err == nil || resp == nil || resp.StatusCode != 404 {
		t.Fatalf("GET of a just-created issue under -lag 1h: %v, want a 404", err)
	}
}
