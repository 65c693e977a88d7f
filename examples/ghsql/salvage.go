package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/ghstore/ghstore/internal/localgh"
)

// salvageCommand is the way out of a corrupt embedded backend, which refuses to open (naming
// the file and the offset of the damage): it copies every intact journal record of -dir into a
// new directory, reports what it left behind, and changes nothing in -dir.
func salvageCommand() command {
	return command{
		name:     "salvage",
		synopsis: "-dir PATH -into NEWPATH",
		summary:  "Copies every intact record of a damaged embedded backend into a new directory.",
		setup: func(fs *flag.FlagSet, sys *system) action {
			dir := fs.String("dir", "", "the damaged `directory` (left as it is)")
			into := fs.String("into", "", "the new `directory` to write (must not exist, or be empty)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if *dir == "" || *into == "" {
					return usagef("salvage needs -dir (the damaged directory) and -into (a new one)")
				}
				rep, err := localgh.Salvage(*dir, *into)
				if err != nil {
					return err
				}
				fmt.Fprintf(sys.stdout, "copied %d intact records (%d changes) of %s into %s\n", rep.Records, rep.Mutations, rep.Journal, *into)
				for _, d := range rep.Damaged {
					fmt.Fprintf(sys.stdout, "  left behind: %d damaged bytes at offset %d\n", d.Length, d.Offset)
				}
				if rep.Placeholders > 0 {
					fmt.Fprintf(sys.stdout, "  %d issues created by damaged records are closed placeholders, so later issues keep their numbers\n", rep.Placeholders)
				}
				if len(rep.Damaged) == 0 {
					fmt.Fprintln(sys.stdout, "  nothing was damaged")
				}
				fmt.Fprintf(sys.stdout, "check it (e.g. ghsql -dsn 'local:OWNER/REPO?dir=%s'), then use it in place of %s\n", *into, *dir)
				return nil
			}
		},
	}
}
