package main

import (
	"context"
	"flag"
	"fmt"
)

// processCommand applies the pending updates of one issue (-issue N) or of every open object
// (-all): fold the trusted log, write it to the body, close the issue, +1 each applied comment.
// It is what an Actions workflow runs when an issue labelled stored-object is reopened.
func processCommand() command {
	return command{
		name:     "process",
		synopsis: "(-issue N | -all) [-dsn DSN]",
		summary:  "Applies pending updates: of one issue, or of every open object (for GitHub Actions).",
		setup: func(fs *flag.FlagSet, sys *system) action {
			dsn := dsnFlag(fs)
			issue := fs.Int("issue", 0, "the issue `number` to process")
			all := fs.Bool("all", false, "process every open object")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if (*issue > 0) == *all {
					return usagef("give one of -issue N (N > 0) or -all")
				}
				ctx, stop := cancelOnInterrupt(ctx, sys)
				defer stop()
				return openFor(ctx, sys, *dsn, func(ctx context.Context, db *database) error {
					s := db.conn.Store()
					if *all {
						n, err := s.ProcessAll(ctx)
						if err != nil {
							return err
						}
						fmt.Fprintf(sys.stdout, "processed %s\n", objectsNoun(n))
						return nil
					}
					obj, err := s.Process(ctx, *issue)
					if err != nil {
						return fmt.Errorf("processing issue #%d: %w", *issue, err)
					}
					fmt.Fprintf(sys.stdout, "issue #%d: object %q at version %d, %d pending\n",
						obj.Issue, obj.ID, obj.Version, obj.Pending)
					return nil
				})
			}
		},
	}
}

// objectsNoun is "1 object" or "N objects".
func objectsNoun(n int) string {
	if n == 1 {
		return "1 object"
	}
	return fmt.Sprintf("%d objects", n)
}
