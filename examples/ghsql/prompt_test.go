package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// terminal is ghsql running on a pseudo-terminal, as a person at a terminal runs it.
type terminal struct {
	t    *testing.T
	pty  *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	seen int // output before this offset has been matched already
	more chan struct{}
	done chan struct{}
}

// hangGuard bounds how long the test waits for output that never comes (a hung prompt), so
// that the failure names what was awaited; it asserts nothing about speed.
const hangGuard = 2 * time.Minute

func startTerminal(t *testing.T, dir string, args ...string) *terminal {
	t.Helper()
	cmd := exec.Command("ghsql", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home"), "TERM=xterm")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, pty: f, cmd: cmd, more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(term.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
			select {
			case term.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
		<-term.done
	})
	return term
}

// expect waits until the output since the last match holds want.
func (term *terminal) expect(want string) {
	term.t.Helper()
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	for {
		term.mu.Lock()
		out := term.out.String()
		term.mu.Unlock()
		if i := strings.Index(out[term.seen:], want); i >= 0 {
			term.seen += i + len(want)
			return
		}
		if strings.Contains(out[term.seen:], "ERROR: canceled") {
			// No test here cancels a statement: fail now rather than wait for the guard.
			term.t.Fatalf("a statement was canceled while waiting for %q:\n%s", want, out[term.seen:])
		}
		select {
		case <-term.more:
		case <-term.done:
			term.mu.Lock()
			out = term.out.String()
			term.mu.Unlock()
			if !strings.Contains(out[term.seen:], want) {
				term.t.Fatalf("ghsql ended without printing %q; output since the last match:\n%s", want, out[term.seen:])
			}
		case <-guard.C:
			term.t.Fatalf("no %q after %s; output since the last match:\n%s", want, hangGuard, out[term.seen:])
		}
	}
}

// typeText types s (use \r for Enter, \x03 for Ctrl-C, \x04 for Ctrl-D).
func (term *terminal) typeText(s string) {
	term.t.Helper()
	if _, err := io.WriteString(term.pty, s); err != nil {
		term.t.Fatal(err)
	}
}

func TestPromptSession(t *testing.T) {
	dir := t.TempDir()
	term := startTerminal(t, dir)
	term.expect("ghsql on local:demo/demo?dir=.ghstore")
	term.expect("ghsql> ")

	term.typeText("INSERT INTO objects (id, name) VALUES ('alice', 'Alice');\r")
	term.expect("1 row affected")
	term.expect("ghsql> ")

	// A statement over several lines: the prompt says it goes on.
	term.typeText("SELECT id, name, missing\r")
	term.expect("    -> ")
	term.typeText("FROM objects;\r")
	term.expect("alice | Alice | NULL")
	term.expect("(1 row)")

	// Ctrl-C at the prompt drops the line being typed, not the tool, and cancels nothing.
	// (The test waits for the prompt so that it types at the prompt; a Ctrl-C typed in the gap
	// before it is a key too, as TestCtrlCIsASignalOnlyWhileAStatementRuns shows, but a
	// test's keystroke could also land in the statement's last microseconds, where Ctrl-C
	// rightly is a signal.)
	term.expect("ghsql> ")
	term.typeText("SELECT 'dropped")
	term.typeText("\x03")
	term.expect("ghsql> ")
	term.typeText("SELECT COUNT(*) AS n FROM objects;\r")
	term.expect("(1 row)")

	term.typeText(`\timing` + "\r")
	term.expect("Timing is on.")
	term.typeText("SELECT id FROM objects WHERE id = 'alice';\r")
	term.expect("requests: 1 (counted 1, content-creating 0)")

	term.typeText(`\limits` + "\r")
	term.expect("This session:")

	term.typeText("SELEC nonsense;\r")
	term.expect("ERROR: query: syntax error")
	term.expect("ghsql> ") // an error does not end the session

	term.typeText(`\help` + "\r")
	term.expect(`\explain SQL`)

	term.typeText("\x04") // Ctrl-D
	<-term.done
	if err := term.cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 0 {
			t.Fatalf("ghsql exited with %v after Ctrl-D", err)
		}
	}

	history, err := os.ReadFile(filepath.Join(dir, "home", ".ghsql_history"))
	if err != nil {
		t.Fatalf("no history file in $HOME: %v", err)
	}
	for _, want := range []string{
		"INSERT INTO objects (id, name) VALUES ('alice', 'Alice');",
		"SELECT id, name, missing FROM objects;",
		`\timing`,
	} {
		if !strings.Contains(string(history), want+"\n") {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}
	if strings.Contains(string(history), "dropped") {
		t.Errorf("a line dropped with Ctrl-C is in the history:\n%s", history)
	}
}

func TestPromptQuitsOnBackslashQAndKeepsHistory(t *testing.T) {
	dir := t.TempDir()
	term := startTerminal(t, dir)
	term.expect("ghsql> ")
	term.typeText("SELECT COUNT(*) AS one FROM objects;\r")
	term.expect("(1 row)")
	term.typeText(`\q` + "\r")
	<-term.done
	term.cmd.Wait()

	// A second session finds the first one's statements in its history (Up arrow).
	term = startTerminal(t, dir)
	term.expect("ghsql> ")
	term.typeText("\x1b[A\x1b[A\r") // Up, Up (past \q), Enter
	term.expect("one")
	term.expect("(1 row)")
	term.typeText(`\q` + "\r")
	<-term.done
}

// TestPromptCtrlCCancelsTheRunningStatement: at a real terminal, Ctrl-C during a statement that
// waits on GitHub (here a server that never answers) cancels that statement, not the tool; the
// prompt comes back and the next statement runs.
func TestPromptCtrlCCancelsTheRunningStatement(t *testing.T) {
	dsn, hang, answer := hungServer(t)
	dir := t.TempDir()
	term := startTerminal(t, dir, "-dsn", dsn)
	term.expect("ghsql> ")

	arrived := hang()
	term.typeText("SELECT id, n FROM objects;\r")
	select {
	case <-arrived:
	case <-time.After(hangGuard):
		t.Fatal("the statement sent no request")
	}
	term.typeText("\x03")
	term.expect("ERROR: canceled")
	term.expect("ghsql> ")

	answer()
	term.typeText("SELECT id, n FROM objects;\r")
	term.expect("(1 row)")
	term.typeText(`\q` + "\r")
	<-term.done
}
