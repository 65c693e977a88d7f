package localgh

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-github/v66/github"
)

// TestDiskReopen: a Dir keeps users, tokens, repos, roles, issues, comments, reactions and labels
// across Close and Open, with ids still growing.
func TestDiskReopen(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	srv, err := Open(Options{Dir: dir, Now: clock.Now})
	must(t, err)
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.CreateRepo("acme", "data", false))
	must(t, srv.CreateRepo("acme", "other", true))
	must(t, srv.SetRole("acme", "data", "carol", Collaborator))
	c := clientFor(srv, tokAcme)
	is, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t"), Labels: &[]string{"UID:a"}})
	must(t, err)
	cm, _, err := c.Issues.CreateComment(ctx, "acme", "data", 1, &github.IssueComment{Body: github.String("c")})
	must(t, err)
	_, _, err = c.Reactions.CreateIssueCommentReaction(ctx, "acme", "data", cm.GetID(), "+1")
	must(t, err)
	_, _, err = c.Issues.Edit(ctx, "acme", "data", 1, &github.IssueRequest{State: github.String("closed")})
	must(t, err)
	must(t, srv.Close())

	srv, err = Open(Options{Dir: dir, Now: clock.Now})
	must(t, err)
	defer srv.Close()
	if got := strings.Join(srv.Repos(), ","); got != "acme/data,acme/other" {
		t.Fatalf("repos %s", got)
	}
	c = clientFor(srv, tokAcme)
	got, _, err := c.Issues.Get(ctx, "acme", "data", 1)
	must(t, err)
	if got.GetID() != is.GetID() || got.GetState() != "closed" || got.GetComments() != 1 || len(got.Labels) != 1 {
		t.Fatalf("reopened issue %+v", got)
	}
	cs, _, err := c.Issues.ListComments(ctx, "acme", "data", 1, nil)
	must(t, err)
	if len(cs) != 1 || cs[0].Reactions.GetPlusOne() != 1 {
		t.Fatalf("reopened comments %+v", cs)
	}
	is2, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("t2")})
	must(t, err)
	if is2.GetNumber() != 2 || is2.GetID() <= cm.GetID() {
		t.Fatalf("ids after reopen: #%d id %d", is2.GetNumber(), is2.GetID())
	}
	cc, _, err := clientFor(srv, "").Issues.ListComments(ctx, "acme", "data", 1, nil)
	must(t, err)
	if cc[0].GetAuthorAssociation() != "OWNER" {
		t.Fatal("role lost")
	}
	// Tokens are not stored in the clear.
	b, err := os.ReadFile(filepath.Join(dir, journalName))
	must(t, err)
	if strings.Contains(string(b), `"`+tokAcme+`"`) {
		t.Fatal("token stored in the clear")
	}
}

func clientFor(srv *Server, token string) *github.Client {
	c := github.NewClient(&http.Client{Transport: &tokenTransport{token: token, base: srv.Transport()}})
	c.BaseURL, _ = url.Parse("https://api.github.com/")
	return c
}

// TestDiskLock: a second Open of a held Dir fails naming the holder's pid.
func TestDiskLock(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(Options{Dir: dir})
	must(t, err)
	_, err = Open(Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second Open: %v", err)
	}
	must(t, srv.Close())
	srv, err = Open(Options{Dir: dir})
	must(t, err)
	must(t, srv.Close())
}

// TestDiskTornTail: a torn or corrupt final record (a crash mid-write) is ignored and cut off.
func TestDiskTornTail(t *testing.T) {
	for _, tail := range []string{`0000`, `deadbeef {"op":"create_issue"`, "00000000 {}\n", "\x00\x00\x00"} {
		dir := t.TempDir()
		srv, err := Open(Options{Dir: dir})
		must(t, err)
		must(t, srv.CreateRepo("acme", "data", false))
		must(t, srv.AddUser("acme", tokAcme))
		_, _, err = clientFor(srv, tokAcme).Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("kept")})
		must(t, err)
		must(t, srv.Close())
		jf, err := os.OpenFile(filepath.Join(dir, journalName), os.O_APPEND|os.O_WRONLY, 0)
		must(t, err)
		_, err = jf.WriteString(tail)
		must(t, err)
		jf.Close()
		srv, err = Open(Options{Dir: dir})
		must(t, err)
		c := clientFor(srv, tokAcme)
		list, _, err := c.Issues.ListByRepo(ctx, "acme", "data", nil)
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("tail %q: %d issues", tail, len(list))
		}
		_, _, err = c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: github.String("after")})
		must(t, err)
		must(t, srv.Close())
		srv, err = Open(Options{Dir: dir})
		must(t, err)
		list, _, err = clientFor(srv, tokAcme).Issues.ListByRepo(ctx, "acme", "data", nil)
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("tail %q: after a write past the cut, %d issues", tail, len(list))
		}
		must(t, srv.Close())
	}
}

const crashChildEnv = "LOCALGH_CRASH_CHILD_DIR"

// TestCrashChild is the child of TestCrashSafety: it writes issues and comments as fast as it can
// and prints each acknowledged one until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("only run as TestCrashSafety's child")
	}
	srv, err := Open(Options{Dir: dir, WritesPerMinute: -1, WritesPerHour: -1, RateLimit: -1})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.CreateRepo("acme", "data", false))
	c := clientFor(srv, tokAcme)
	fmt.Println("READY")
	for i := 1; ; i++ {
		title := fmt.Sprint("obj-", i)
		is, _, err := c.Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: &title, Labels: &[]string{"UID:" + title}})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
		fmt.Printf("ISSUE %d %s\n", is.GetNumber(), title)
		cm, _, err := c.Issues.CreateComment(ctx, "acme", "data", is.GetNumber(), &github.IssueComment{Body: &title})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
		fmt.Printf("COMMENT %d %d %s\n", is.GetNumber(), cm.GetID(), title)
	}
}

// TestCrashSafety re-executes the test binary as a child that loads writes, kill -9s it in the
// middle, reopens the Dir and checks every acknowledged write is there and nothing is corrupt.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("child")
	}
	for round := 0; round < 3; round++ {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		sc := bufio.NewScanner(out)
		issues := map[int]string{}
		comments := map[int64]string{}
		acked := 0
		killAt := 20 + round*37
		killed := false
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 0 {
				continue
			}
			switch f[0] {
			case "ERR":
				t.Fatalf("child: %s", sc.Text())
			case "ISSUE":
				n, _ := strconv.Atoi(f[1])
				issues[n] = f[2]
				acked++
			case "COMMENT":
				id, _ := strconv.ParseInt(f[2], 10, 64)
				comments[id] = f[3]
				acked++
			}
			if acked == killAt && !killed {
				must(t, cmd.Process.Signal(syscall.SIGKILL))
				killed = true // keep reading: lines acknowledged before the kill are still in the pipe
			}
		}
		_ = cmd.Wait()
		if !killed {
			t.Fatalf("child ended before the kill after %d acks", acked)
		}
		srv, err := Open(Options{Dir: dir, RateLimit: -1})
		must(t, err)
		c := clientFor(srv, tokAcme)
		for n, title := range issues {
			is, _, err := c.Issues.Get(ctx, "acme", "data", n)
			if err != nil || is.GetTitle() != title || len(is.Labels) != 1 || is.Labels[0].GetName() != "UID:"+title {
				t.Fatalf("round %d: acknowledged issue #%d %s: %+v %v", round, n, title, is, err)
			}
		}
		for id, body := range comments {
			cm, _, err := c.Issues.GetComment(ctx, "acme", "data", id)
			if err != nil || cm.GetBody() != body {
				t.Fatalf("round %d: acknowledged comment %d: %v", round, id, err)
			}
		}
		// Nothing half-written: every issue present is whole and numbers are dense.
		all, _, err := c.Issues.ListByRepo(ctx, "acme", "data", &github.IssueListByRepoOptions{State: "all", ListOptions: github.ListOptions{PerPage: 100}})
		must(t, err)
		if len(all) < len(issues) {
			t.Fatalf("round %d: %d issues, %d acknowledged", round, len(all), len(issues))
		}
		for _, is := range all {
			if is.GetTitle() != fmt.Sprint("obj-", is.GetNumber()) || len(is.Labels) != 1 {
				t.Fatalf("round %d: half-written issue %+v", round, is)
			}
		}
		must(t, srv.Close())
		t.Logf("round %d: %d acknowledged writes survived kill -9 (%d issues on disk)", round, acked, len(all))
	}
}
