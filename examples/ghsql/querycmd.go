package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

// queryCommand is ghsql without a subcommand: one statement (-e), the statements piped on
// stdin, or the interactive prompt when stdin is a terminal.
func queryCommand() command {
	return command{
		synopsis: "[-dsn DSN] [-e SQL] [-format table|json|jsonl|csv] [-echo] [-history FILE]",
		summary:  "Runs SQL: -e's statement, the statements on stdin, or a prompt when stdin is a terminal.",
		setup: func(fs *flag.FlagSet, sys *system) action {
			dsn := dsnFlag(fs)
			stmt := fs.String("e", "", "run the `SQL` statement(s) and exit")
			format := fs.String("format", "table", "output `format`: "+formatList)
			echo := fs.Bool("echo", false, "print each input line after the prompt, like a terminal session (for logs and transcripts)")
			timing := fs.Bool("timing", false, "show each statement's time and requests on stderr (\\timing at the prompt)")
			history := fs.String("history", "", "the prompt's history `file` (default ~/.ghsql_history)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q: SQL goes in -e \"...\" or on stdin", args[0])
				}
				if _, err := newFormatter(*format, nil, 0); err != nil {
					return err
				}
				interactive := *stmt == "" && sys.stdinTerminal && sys.prompt != nil
				if !interactive {
					var stop func()
					ctx, stop = cancelOnInterrupt(ctx, sys)
					defer stop()
				}
				return openFor(ctx, sys, *dsn, func(ctx context.Context, st *database) error {
					s := &session{sys: sys, st: st, format: *format, timing: *timing, echo: *echo}
					s.execute = s.exec
					if interactive || (*echo && *stmt == "") {
						// A session's banner (in a transcript too): where the statements go.
						fmt.Fprintf(sys.stdout, "ghsql on %s. \\help for help, \\q or Ctrl-D to quit.\n", readableDSN(st.cfg))
					}
					switch {
					case *stmt != "":
						return s.loop(ctx, newPlainReader(strings.NewReader(*stmt)), false)
					case interactive:
						lr := sys.prompt(historyPath(*history, sys.getenv, st.cfg.Dir))
						defer lr.Close()
						return s.loop(ctx, lr, true)
					default:
						s.numberLines = true
						return s.loop(ctx, newPlainReader(sys.stdin), false)
					}
				})
			}
		},
	}
}
