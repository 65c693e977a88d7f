package main

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-github/v66/github"
)

// startServe runs `ghsql serve` with args on a free loopback port and returns the base URL it
// printed. The server is stopped with Ctrl-C (SIGINT) at cleanup, and must exit cleanly.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("ghsql", append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	first, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Wait()
		t.Fatalf("serve printed no URL: %v; stderr: %s", err, stderr.String())
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`).FindString(first)
	if url == "" || strings.Contains(first, ":0/") {
		t.Fatalf("serve's first line has no base URL with its actual port: %q", first)
	}
	t.Cleanup(func() {
		stopped = true
		cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve did not stop cleanly on Ctrl-C: %v; stderr: %s", err, stderr.String())
		}
	})
	return url
}

// tokenTransport sends every request with a token.
type tokenTransport struct{ token string }

func (tt tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "token "+tt.token)
	return http.DefaultTransport.RoundTrip(r)
}

// gitHubClient is go-github pointed at base (at / or, with enterprise, at /api/v3/).
func gitHubClient(t *testing.T, base, token string, enterprise bool) *github.Client {
	t.Helper()
	hc := &http.Client{}
	if token != "" {
		hc.Transport = tokenTransport{token}
	}
	c := github.NewClient(hc)
	if enterprise {
		var err error
		if c, err = c.WithEnterpriseURLs(base, base); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c.BaseURL = mustParseURL(t, base)
	return c
}

func TestServeAnswersGoGitHub(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	const token = "serve-test-token"
	url := startServe(t, "-dir", dir, "-token", token, "-dsn", "local:acme/data")
	ctx := context.Background()

	owner := gitHubClient(t, url, token, false)
	me, _, err := owner.Users.Get(ctx, "")
	if err != nil || me.GetLogin() != "acme" {
		t.Fatalf("GET /user with -token = %v, %v; want acme", me.GetLogin(), err)
	}
	// An object written by hand in gh-store's format (a legacy one: body, no log), through
	// GitHub's API.
	issue, _, err := owner.Issues.Create(ctx, "acme", "data", &github.IssueRequest{
		Title:  github.String("Stored Object: hand-made"),
		Body:   github.String(`{"made": "by go-github"}`),
		Labels: &[]string{"gh-store", "stored-object", "UID:hand-made"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := owner.Issues.Edit(ctx, "acme", "data", issue.GetNumber(), &github.IssueRequest{State: github.String("closed")}); err != nil {
		t.Fatal(err)
	}

	// The same API at /api/v3/ (GitHub Enterprise's layout), and anonymously.
	for name, c := range map[string]*github.Client{
		"enterprise": gitHubClient(t, url+"api/v3/", token, true),
		"anonymous":  gitHubClient(t, url, "", false),
	} {
		got, _, err := c.Issues.Get(ctx, "acme", "data", issue.GetNumber())
		if err != nil || got.GetBody() != `{"made": "by go-github"}` || got.GetState() != "closed" {
			t.Errorf("%s: issue = %q %q, %v", name, got.GetBody(), got.GetState(), err)
		}
	}
	// With -token, another token is not the owner.
	if _, _, err := gitHubClient(t, url, "someone-else", false).Users.Get(ctx, ""); err == nil {
		t.Error("an unknown token was let in although -token was given")
	}

	// ghstore itself, through base_url=, reads the object.
	out, err := exec.Command("ghsql", "snapshot", "-o", "-", "-dsn", "acme/data?base_url="+url+"&token="+token).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"hand-made"`) || !strings.Contains(string(out), `"by go-github"`) {
		t.Errorf("snapshot through base_url: %v\n%s", err, out)
	}
	// A repository that is not there is a 404 a person can act on.
	out, err = exec.Command("ghsql", "snapshot", "-o", "-", "-dsn", "nobody/nothing?base_url="+url+"&token="+token).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "nobody/nothing") ||
		!strings.Contains(string(out), "Check the owner/repo in the DSN, and that the token may read it") {
		t.Errorf("snapshot of a missing repo: %v\n%s", err, out)
	}
	if strings.Contains(string(out), token) {
		t.Errorf("the token was printed: %s", out)
	}
}

func TestServeWithoutTokenLetsAnyTokenActAsTheOwner(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	url := startServe(t, "-dir", dir)
	me, _, err := gitHubClient(t, url, "whatever", false).Users.Get(context.Background(), "")
	if err != nil || me.GetLogin() != "demo" {
		t.Fatalf("GET /user = %v, %v; want demo (the default repository's owner)", me.GetLogin(), err)
	}
	// While serve holds the directory, the embedded backend cannot open it, and says what to do.
	out, err := exec.Command("ghsql", "-dsn", "local:demo/demo?dir="+dir, "-e", "SELECT id FROM objects").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ghsql serve") {
		t.Errorf("a second process on the directory: %v\n%s", err, out)
	}
	// Through serve, it can.
	out, err = exec.Command("ghsql", "-dsn", "demo/demo?base_url="+url+"&token=whatever", "-e", "SELECT COUNT(*) AS n FROM objects").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "(1 row)") {
		t.Errorf("through serve: %v\n%s", err, out)
	}
}

func TestServeReleasesTheDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	t.Run("serve", func(t *testing.T) { startServe(t, "-dir", dir) })
	// serve has stopped: the embedded backend can open the directory again.
	out, err := exec.Command("ghsql", "snapshot", "-o", "-", "-dsn", "local:demo/demo?dir="+dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"repository": "demo/demo"`) {
		t.Errorf("snapshot after serve: %v\n%s", err, out)
	}
}

// TestServeOnABusyPortMakesNoDirectory: serve on a port another listener holds fails before it
// creates its -dir.
func TestServeOnABusyPortMakesNoDirectory(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := filepath.Join(t.TempDir(), "never")
	out, err := exec.Command("ghsql", "serve", "-addr", ln.Addr().String(), "-dir", dir).CombinedOutput()
	if err == nil {
		t.Fatalf("serve on a busy port succeeded:\n%s", out)
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
		t.Fatalf("serve on a busy port made %s (stat: %v); output:\n%s", dir, serr, out)
	}
}
