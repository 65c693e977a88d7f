package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one of ghsql's subcommands. The table of them (commands) is what run dispatches on
// and what the example workflows are checked against.
type command struct {
	name     string
	synopsis string // the arguments, for usage
	summary  string
	// setup defines the command's flags on fs and returns what runs the command once fs has
	// parsed the arguments (args are those left over). sys is nil when only the flags are
	// wanted (checking a workflow's command line).
	setup func(fs *flag.FlagSet, sys *system) action
}

// action runs a command whose flags are parsed.
type action func(ctx context.Context, args []string) error

// commands returns the subcommands. Without one, ghsql runs SQL (see queryCommand).
func commands() []command {
	return []command{
		processCommand(),
		snapshotCommand(),
		updateSnapshotCommand(),
		serveCommand(),
		salvageCommand(), // salvage.go
		versionCommand(),
	}
}

// findCommand returns the subcommand called name.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usageError is a command line ghsql cannot read; it exits with status 2 and shows the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// run is ghsql: it dispatches on the first argument and returns the exit status.
func run(ctx context.Context, sys *system) int {
	args := sys.args
	cmd := queryCommand()
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if args[0] == "help" {
			writeUsage(sys.stdout)
			return 0
		}
		c, ok := findCommand(args[0])
		if !ok {
			fmt.Fprintf(sys.stderr, "ghsql: unknown command %q; the commands are %s (ghsql help says more)\n",
				args[0], strings.Join(commandNames(), ", "))
			return 2
		}
		cmd, args = c, args[1:]
	} else if c, rest, err := commandAfterFlags(args); err != nil {
		fmt.Fprintf(sys.stderr, "ghsql: %v\n", err)
		return 2
	} else if c != nil {
		// ghsql -dsn X process -all: the flags before the command are the command's.
		cmd, args = *c, rest
	}

	fs := flag.NewFlagSet("ghsql "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	act := cmd.setup(fs, sys)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if cmd.name == "" {
				writeUsage(sys.stdout) // ghsql -h: the overview, commands included
				fmt.Fprintln(sys.stdout)
			}
			commandUsage(sys.stdout, cmd, fs)
			return 0
		}
		fmt.Fprintf(sys.stderr, "ghsql: %v\n", err)
		commandUsage(sys.stderr, cmd, fs)
		return 2
	}
	if err := act(ctx, positional); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(sys.stderr, "ghsql: %v\n", err)
			commandUsage(sys.stderr, cmd, fs)
			return 2
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintf(sys.stderr, "ghsql: %s\n", explain(err, sys.clock.Now()))
		}
		return 1
	}
	return 0
}

// parseInterspersed parses args with fs, flags and other arguments in any order (ghsql
// update-snapshot FILE -dsn X), and returns the other arguments in order; all after "--" are
// other arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, fs.Args()...), nil
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// commandAfterFlags reads a command line that gives flags before a command (ghsql -dsn X
// process -all). It returns the command and its arguments, the flags given before it first,
// or nil when args name no command. A flag before the command that the command does not take
// is an error that says to put the command first.
func commandAfterFlags(args []string) (*command, []string, error) {
	fs := flag.NewFlagSet("ghsql", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	queryCommand().setup(fs, nil)
	if fs.Parse(args) != nil || fs.NArg() == 0 {
		return nil, nil, nil // not this case: the usual parse reports what is wrong
	}
	c, ok := findCommand(fs.Arg(0))
	if !ok {
		return nil, nil, nil
	}
	cfs := flag.NewFlagSet("ghsql "+c.name, flag.ContinueOnError)
	cfs.SetOutput(io.Discard)
	c.setup(cfs, nil)
	var carried []string
	var bad error
	fs.Visit(func(f *flag.Flag) {
		if bad != nil {
			return
		}
		if cfs.Lookup(f.Name) == nil {
			bad = fmt.Errorf("-%s is no flag of %s: put the command first, as in: ghsql %s [flags] (ghsql %s -h lists them)",
				f.Name, c.name, c.name, c.name)
			return
		}
		carried = append(carried, "-"+f.Name+"="+f.Value.String())
	})
	if bad != nil {
		return nil, nil, bad
	}
	return &c, append(carried, fs.Args()[1:]...), nil
}

// errReported is returned by a command whose error has already been shown.
var errReported = errors.New("ghsql: error already reported")

// cancelOnInterrupt returns a context that Ctrl-C (or SIGTERM) cancels, and the function that
// stops listening. Every command but the interactive prompt runs under it; the prompt takes Ctrl-C
// over to cancel only the running statement (see prompt.go).
func cancelOnInterrupt(ctx context.Context, sys *system) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	if sys.interrupts == nil {
		return ctx, cancel
	}
	sigs, stop := sys.interrupts()
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
		}
	}()
	return ctx, func() { close(done); stop(); cancel() }
}

// commandNames lists the subcommands, sorted.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return names
}

// writeUsage prints the overview of ghsql.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, `ghsql runs SQL on JSON objects kept in the Issues of a GitHub repository (ghstore).

Usage:
  ghsql [-dsn DSN] [-e SQL] [-format table|json|jsonl|csv]   a prompt, one statement, or statements on stdin
  ghsql COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
The DSN is [local:]owner/repo[?key=value&...] (default %s);
on GitHub the token comes from token= in the DSN, else GITHUB_TOKEN, else GH_TOKEN.
timeout= in the DSN (a Go duration such as 30s) bounds each statement; process, snapshot and
update-snapshot, which are no single statement, give each request to the server that long.
Ctrl-C or SIGTERM stops any command.
"ghsql COMMAND -h" shows a command's flags; \help at the prompt shows the meta commands.
`, defaultDSN)
}

// commandUsage prints one command's synopsis and flags.
func commandUsage(w io.Writer, cmd command, fs *flag.FlagSet) {
	name := "ghsql"
	if cmd.name != "" {
		name += " " + cmd.name
	}
	fmt.Fprintf(w, "usage: %s %s\n", name, cmd.synopsis)
	if cmd.summary != "" {
		fmt.Fprintf(w, "%s\n", cmd.summary)
	}
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
