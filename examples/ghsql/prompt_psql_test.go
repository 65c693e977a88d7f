package main

import (
	"os/exec"
	"strings"
	"testing"
)

// waitExit waits for the ghsql on term to exit and fails unless it exited with status 0.
func (term *terminal) waitExit() {
	term.t.Helper()
	<-term.done
	if err := term.cmd.Wait(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 0 {
			term.t.Fatalf("ghsql exited with %v", err)
		}
	}
}

// countObjects runs a one-shot COUNT in dir and returns what it printed.
func countObjects(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("ghsql", "-format", "csv", "-e", "SELECT COUNT(*) AS n FROM objects")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("count: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestPromptCtrlDDiscardsAnUnfinishedStatement: at a terminal, Ctrl-D on a statement no ';'
// has ended leaves without running it and says so (psql and mysql do the same), so a DELETE
// typed on the way to its WHERE deletes nothing. \q on an unfinished statement does the same.
func TestPromptCtrlDDiscardsAnUnfinishedStatement(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	term := startTerminal(t, dir)
	term.expect("ghsql> ")
	term.typeText("INSERT INTO objects (id, n) VALUES ('a', 1), ('b', 2);\r")
	term.expect("2 rows affected")
	term.expect("ghsql> ")
	term.typeText("DELETE FROM objects\r")
	term.expect("    -> ")
	term.typeText("\x04") // Ctrl-D
	term.expect("discarded the unfinished statement (no ';' ended it), which did not run: DELETE FROM objects")
	term.waitExit()
	if got := countObjects(t, dir); got != "n\n2" {
		t.Fatalf("after Ctrl-D on an unfinished DELETE: %q, want both objects", got)
	}

	term = startTerminal(t, dir)
	term.expect("ghsql> ")
	term.typeText("DELETE FROM objects\r")
	term.expect("    -> ")
	term.typeText(`\q` + "\r") // a meta command at the continuation prompt
	term.expect("which did not run: DELETE FROM objects")
	term.waitExit()
	if got := countObjects(t, dir); got != "n\n2" {
		t.Fatalf(`after \q on an unfinished DELETE: %q, want both objects`, got)
	}
}

// TestPromptBackslashCommandsAnywhereOnALine: as in psql, a meta command may follow SQL on a
// line or come at the continuation prompt; the statement being typed goes on after it, and \r
// clears it. The continuation prompt shows an open quote or comment.
func TestPromptBackslashCommandsAnywhereOnALine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	term := startTerminal(t, dir)
	term.expect("ghsql> ")

	// SQL, then a meta command, on one line: the statement runs, then the command.
	term.typeText(`SELECT COUNT(*) AS n FROM objects; \timing` + "\r")
	term.expect("(1 row)")
	term.expect("Timing is on.")

	// A meta command at the continuation prompt runs at once; the statement goes on.
	term.typeText("SELECT COUNT(*)\r")
	term.expect("    -> ")
	term.typeText(`AS n \timing off` + "\r")
	term.expect("Timing is off.")
	term.expect("    -> ") // still in the statement
	term.typeText("FROM objects;\r")
	term.expect("(1 row)")

	// An open quote: the prompt says which; a backslash inside quotes is no command.
	term.expect("ghsql> ")
	term.typeText("INSERT INTO objects (id, note) VALUES ('q', 'two\r")
	term.expect("    '> ")
	term.typeText(`lines \q still quoted');` + "\r")
	term.expect("1 row affected")
	term.typeText(`SELECT id FROM objects WHERE note LIKE '%\\q%';` + "\r")
	term.expect("(1 row)")

	term.typeText("SELECT `odd\r")
	term.expect("    `> ")
	term.typeText("name` FROM objects /* a comment\r")
	term.expect("    *> ")
	term.typeText("still */ WHERE id = 'none';\r")
	term.expect("(0 rows)")

	// \r clears the statement being typed.
	term.typeText("DELETE FROM objects\r")
	term.expect("    -> ")
	term.typeText(`\r` + "\r")
	term.expect("Statement buffer cleared.")
	term.expect("ghsql> ")
	term.typeText(";\r") // nothing left to run
	term.typeText(`\q` + "\r")
	term.waitExit()
	if got := countObjects(t, dir); got != "n\n1" {
		t.Fatalf("after \\r on a DELETE: %q, want the object kept", got)
	}
}
