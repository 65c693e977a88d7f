package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readmeCommand is one `$ go run ./examples/ghsql …` line of a console block in README.md and
// the lines shown after it.
type readmeCommand struct {
	line   int // in README.md, from 1
	args   []string
	output []string
}

// transcript reports whether the command is a prompt session (no -e, no subcommand): its
// output then holds the statements typed after the prompts.
func (c readmeCommand) transcript() bool {
	for _, a := range c.args {
		if _, isCommand := findCommand(a); isCommand || a == "-e" || strings.HasPrefix(a, "-e=") {
			return false
		}
	}
	return true
}

// readmeCommands returns the commands of README.md's ```console blocks, in order. Every one must
// be ghsql: the README shows nothing this test does not run.
func readmeCommands(t *testing.T, readme string) []readmeCommand {
	t.Helper()
	var cmds []readmeCommand
	in := false
	for i, line := range strings.Split(readme, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```console":
			in = true
		case in && strings.TrimSpace(line) == "```":
			in = false
		case in && strings.HasPrefix(line, "$ "):
			rest, ok := strings.CutPrefix(line, "$ go run ./examples/ghsql")
			if !ok || (rest != "" && rest[0] != ' ') {
				t.Fatalf("README.md:%d: a console block runs %q; only `go run ./examples/ghsql …` is checked", i+1, line)
			}
			cmds = append(cmds, readmeCommand{line: i + 1, args: shellWords(rest, nil)})
		case in:
			if len(cmds) == 0 {
				t.Fatalf("README.md:%d: a console block must start with a $ command", i+1)
			}
			cmds[len(cmds)-1].output = append(cmds[len(cmds)-1].output, line)
		}
	}
	if in {
		t.Fatal("README.md: a console block is not closed")
	}
	return cmds
}

// TestReadme runs every command README.md shows, in order, in one fresh directory (as a
// newcomer would in a fresh checkout), and checks that each prints exactly what README.md says.
// A prompt session is fed the statements typed after its prompts, with -echo so that the
// prompts and statements appear in the output as on a terminal.
func TestReadme(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	if !strings.Contains(readme, "<!-- test-command -->\n```\ngo test -race ./...\n```\n") {
		t.Error("README.md lost its test-command block, which .ci/run reads")
	}
	cmds := readmeCommands(t, readme)
	if len(cmds) < 5 {
		t.Fatalf("README.md shows %d ghsql commands; expected its first session and more", len(cmds))
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	for _, c := range cmds {
		args := c.args
		var stdin string
		if c.transcript() {
			args = append(append([]string{}, args...), "-echo")
			for _, l := range c.output {
				if s, ok := cutPrompt(l); ok {
					stdin += s + "\n"
				}
			}
		}
		cmd := exec.Command("ghsql", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+home)
		cmd.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		got := out.String()
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && strings.HasPrefix(got, "ghsql: ")) {
			t.Errorf("README.md:%d: ghsql %q: %v\n%s", c.line, c.args, err, got)
			continue
		}
		want := strings.Join(c.output, "\n") + "\n"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("README.md:%d: ghsql %q printed something else (-README +got):\n%s", c.line, c.args, diff)
		}
	}
}

// cutPrompt returns what was typed on a transcript line that starts with one of the prompts.
func cutPrompt(line string) (string, bool) {
	if s, ok := strings.CutPrefix(line, prompt); ok {
		return s, true
	}
	for _, p := range continuePrompts {
		if s, ok := strings.CutPrefix(line, p); ok {
			return s, true
		}
	}
	return "", false
}
