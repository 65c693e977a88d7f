package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// explain turns err (met at now) into words a person can act on: what went wrong and what to
// do about it. Rate limits say when they reset; a 404, 401 or 410 from GitHub (raw from
// go-github, or as the store's sentinel errors, which the driver's are) gets its likely causes
// added; the rest passes through, as ghstore's errors already name what was wrong.
func explain(err error, now time.Time) string {
	var le *lineError
	if errors.As(err, &le) {
		return fmt.Sprintf("line %d: %s", le.line, explain(le.err, now))
	}
	var we *driver.WriteError
	if errors.As(err, &we) {
		return writeErrorText(we, now)
	}
	var (
		srl  *store.RateLimitError
		rl   *transport.RateLimitError
		ghe  *github.ErrorResponse
		ghrl *github.RateLimitError
		abrl *github.AbuseRateLimitError
		op   *net.OpError
		nt   *missingTokenError
	)
	switch {
	case errors.As(err, &nt):
		return nt.Error()
	case errors.Is(err, driver.ErrNoToken):
		return (&missingTokenError{repo: "the repository"}).Error()
	case errors.As(err, &srl):
		return rateLimitText(srl.Secondary, srl.Reset, now)
	case errors.As(err, &rl):
		return rateLimitText(rl.Secondary, rl.Reset, now)
	case errors.As(err, &ghrl):
		return rateLimitText(false, ghrl.Rate.Reset.Time, now)
	case errors.As(err, &abrl):
		return rateLimitText(true, now.Add(abrl.GetRetryAfter()), now)
	case errors.Is(err, context.Canceled):
		return "canceled. A write that was under way may have been partly applied: look with SELECT before running it again."
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out (the DSN's timeout=). A write that was under way may have been partly applied: look with SELECT before running it again."
	case errors.Is(err, store.ErrRepoNotFound):
		return err.Error() + "\n  " + notFoundHint
	case errors.Is(err, store.ErrBadCredentials):
		return err.Error() + "\n  " + badCredentialsHint
	case errors.Is(err, store.ErrIssuesDisabled):
		return err.Error() + "\n  " + issuesDisabledHint
	case errors.As(err, &ghe) && ghe.Response != nil:
		repo := repoOf(ghe.Response.Request)
		switch ghe.Response.StatusCode {
		case http.StatusNotFound:
			return fmt.Sprintf("GitHub answered 404 Not Found%s. %s", repo, notFoundHint)
		case http.StatusUnauthorized:
			return "GitHub answered 401. " + badCredentialsHint
		case http.StatusForbidden:
			return fmt.Sprintf("GitHub answered 403 Forbidden%s: %s. The token may lack the Issues permission "+
				"(read and write) on this repository.", repo, ghe.Message)
		case http.StatusGone:
			return fmt.Sprintf("GitHub answered 410 Gone%s. %s", repo, issuesDisabledHint)
		}
	case errors.As(err, &op) && op.Op == "dial":
		return err.Error() + "\n  The server could not be reached: check base_url in the DSN (is `ghsql serve` running?) and the network."
	case errors.Is(err, store.ErrTooLarge):
		return err.Error() + " (GitHub keeps at most 65,536 characters in an issue body or comment)"
	}
	return err.Error()
}

// Hints for GitHub's answers that do not explain themselves.
const (
	notFoundHint = "Check the owner/repo in the DSN, and that the token may read it: " +
		"GitHub answers 404, not 403, when a token has no access to a private repository."
	badCredentialsHint = "GitHub refused the token: it may be mistyped, expired or revoked. " +
		"Set a valid one in GITHUB_TOKEN (or GH_TOKEN, or token= in the DSN)."
	issuesDisabledHint = "Issues are disabled on this repository, and ghstore keeps objects in Issues: " +
		"turn them on in the repository's Settings (General, Features)."
)

// repoOf names the repository a request went to, as " for owner/repo", or "".
func repoOf(r *http.Request) string {
	if r == nil || r.URL == nil {
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	for i := 0; i+2 < len(parts); i++ {
		if parts[i] == "repos" {
			return fmt.Sprintf(" for %s/%s", parts[i+1], parts[i+2])
		}
	}
	return ""
}

// rateLimitText says which of GitHub's rate limits was hit, when it resets and what to do.
func rateLimitText(secondary bool, reset, now time.Time) string {
	when := fmt.Sprintf("it resets at %s (%s)", reset.Local().Format("15:04:05 MST"), untilText(reset.Sub(now)))
	if secondary {
		return "GitHub's secondary rate limit on content-creating requests (about 80 a minute, 500 an hour) was hit; " +
			when + ". Wait until then, or lower writes_per_minute / writes_per_hour in the DSN to pace writes."
	}
	return "GitHub's rate limit for this token is spent; " + when +
		". Wait until then, or use another token; \\limits at the prompt shows the budget."
}

// writeErrorText says how far a multi-object write got before it failed or was cancelled: how
// many of how many objects were written (they stay written), which one was under way, and what
// became of it.
func writeErrorText(we *driver.WriteError, now time.Time) string {
	done := fmt.Sprintf("%d of %s were %s (they stay so)", we.Done, objectsNoun(we.Total), we.Verb)
	switch {
	case errors.Is(we.Err, context.Canceled), errors.Is(we.Err, context.DeadlineExceeded):
		why := "canceled"
		if errors.Is(we.Err, context.DeadlineExceeded) {
			why = "timed out (the DSN's timeout=)"
		}
		return fmt.Sprintf("%s after %s; %q was under way and may or may not have been %s: look at it with SELECT "+
			"before running the statement again.", why, done, we.ID, we.Verb)
	}
	return fmt.Sprintf("%s; then %q failed: %s", done, we.ID, explain(we.Err, now))
}
