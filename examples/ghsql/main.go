// Command ghsql is an ad-hoc SQL tool for ghstore: type SQL, see the JSON objects kept in the
// Issues of a GitHub repository.
//
//	ghsql                                  # a prompt on the embedded backend (local:demo/demo?dir=.ghstore)
//	ghsql -dsn acme/app-data               # on GitHub, token from GITHUB_TOKEN or GH_TOKEN
//	ghsql -e "SELECT id, data FROM objects"
//	ghsql < script.sql                     # statement by statement; stops at the first error
//	ghsql process -issue 12                # for an Actions workflow
//	ghsql snapshot -o snapshot.json
//	ghsql serve -addr 127.0.0.1:8080 -dir .ghstore
//
// Invariants:
//   - The token is never printed: not in output, errors, progress or the DSN echoed back.
//   - The exit status is non-zero exactly when a statement or command failed; the error is on
//     stderr, in words that say what to do about it.
//   - Results go to stdout, progress and errors to stderr; progress only when stderr is a terminal.
//   - Ctrl-C at the prompt cancels the running statement (its context), not the tool.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/ghstore/ghstore/internal/clock"
)

func main() {
	os.Exit(run(context.Background(), realSystem(os.Args[1:])))
}

// system is everything ghsql takes from the world, so that tests can replace any of it.
type system struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	// stdinTerminal, stdoutTerminal and stderrTerminal tell whether each stream is a terminal;
	// width is stdout's width in columns (0: unknown, no truncation).
	stdinTerminal, stdoutTerminal, stderrTerminal bool
	width                                         func() int

	clock clock.Clock
	// ticker returns a channel that ticks every d, and a function that stops it.
	ticker func(d time.Duration) (<-chan time.Time, func())
	// interrupts delivers Ctrl-C (SIGINT) while the returned stop function is not called.
	interrupts func() (<-chan os.Signal, func())
	// prompt, when set, makes the interactive line reader (liner on a real terminal).
	prompt func(historyPath string) lineReader
}

// realSystem is the process's own stdin, stdout, stderr, environment, terminal and clock.
func realSystem(args []string) *system {
	return &system{
		args:           args,
		stdin:          os.Stdin,
		stdout:         os.Stdout,
		stderr:         os.Stderr,
		getenv:         os.Getenv,
		stdinTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		width: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
		clock: clock.Real{},
		ticker: func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		},
		interrupts: func() (<-chan os.Signal, func()) {
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
			return ch, func() { signal.Stop(ch) }
		},
		prompt: newLinerReader,
	}
}
