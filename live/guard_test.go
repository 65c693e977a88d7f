package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
	"golang.org/x/oauth2"
)

// ErrNotOurs is returned by checkRepoIsOurs for a repository that holds other gh-store data.
var ErrNotOurs = errors.New("the repository holds gh-store objects the live suite did not make")

// gitHub is a go-github client on the target's proxy (its own requests are recorded too).
func (tg *target) gitHub() *github.Client {
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tg.token}))
	c := github.NewClient(hc)
	c.BaseURL, _ = url.Parse(tg.proxy.URL + "/")
	return c
}

// checkRepoIsOurs refuses a repository holding any gh-store issue (open or closed, archived
// included) whose UID label does not start with RunPrefix: the suite writes and archives
// objects, and must never touch someone's data.
func checkRepoIsOurs(ctx context.Context, c *github.Client, owner, repo string) error {
	opts := &github.IssueListByRepoOptions{State: "all", Labels: []string{"gh-store"}, ListOptions: github.ListOptions{PerPage: 100}}
	for {
		list, resp, err := c.Issues.ListByRepo(ctx, owner, repo, opts)
		if err != nil {
			var ge *github.ErrorResponse
			if errors.As(err, &ge) && ge.Response.StatusCode == http.StatusNotFound {
				return fmt.Errorf("%s/%s: not found, or the token cannot see it", owner, repo)
			}
			return fmt.Errorf("listing %s/%s's gh-store issues: %w", owner, repo, err)
		}
		for _, is := range list {
			if !hasOurUID(is) {
				return fmt.Errorf("%s/%s issue #%d: %w; run the suite on an empty repository of its own", owner, repo, is.GetNumber(), ErrNotOurs)
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opts.Page = resp.NextPage
	}
}

func hasOurUID(is *github.Issue) bool {
	for _, l := range is.Labels {
		if strings.HasPrefix(strings.ToLower(l.GetName()), "uid:"+RunPrefix) {
			return true
		}
	}
	return false
}

// TestRefusesARepositoryWithOtherData: a gh-store object the suite did not make (here one
// gh-store itself would leave) makes the guard refuse; the suite's own archived objects do not.
func TestRefusesARepositoryWithOtherData(t *testing.T) {
	if *repoFlag != "" {
		t.Skip("runs on the local server only (it writes a foreign object)")
	}
	tg := newTarget(t)
	c := tg.gitHub()
	ctx := context.Background()
	must(t, checkRepoIsOurs(ctx, c, tg.owner, tg.repo))
	ours := []string{"archived", "gh-store", "UID:" + RunPrefix + "0000"}
	if _, _, err := c.Issues.Create(ctx, tg.owner, tg.repo, &github.IssueRequest{Title: github.String("Stored Object: mine"), Labels: &ours}); err != nil {
		t.Fatal(err)
	}
	tg.wait()
	must(t, checkRepoIsOurs(ctx, c, tg.owner, tg.repo))
	theirs := []string{"gh-store", "stored-object", "UID:alice"}
	if _, _, err := c.Issues.Create(ctx, tg.owner, tg.repo, &github.IssueRequest{Title: github.String("Stored Object: alice"), Labels: &theirs}); err != nil {
		t.Fatal(err)
	}
	tg.wait()
	if err := checkRepoIsOurs(ctx, c, tg.owner, tg.repo); !errors.Is(err, ErrNotOurs) {
		t.Fatalf("a repository holding UID:alice: %v, want ErrNotOurs", err)
	}
}
