package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// snapshotCommand writes gh-store's snapshot JSON of every live object to a file (atomically:
// a reader never sees half a snapshot) or to stdout.
func snapshotCommand() command {
	return command{
		name:     "snapshot",
		synopsis: "-o FILE [-dsn DSN]",
		summary:  "Writes a snapshot (gh-store's JSON) of every live object to FILE ('-': stdout).",
		setup: func(fs *flag.FlagSet, sys *system) action {
			dsn := dsnFlag(fs)
			out := fs.String("o", "", "the snapshot `file` to write ('-': stdout)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if *out == "" {
					return usagef("name the file to write with -o FILE (or -o - for stdout)")
				}
				ctx, stop := cancelOnInterrupt(ctx, sys)
				defer stop()
				return openFor(ctx, sys, *dsn, func(ctx context.Context, db *database) error {
					if *out == "-" {
						return db.conn.Store().Snapshot(ctx, sys.stdout)
					}
					if err := writeAtomically(*out, func(f *os.File) error {
						return db.conn.Store().Snapshot(ctx, f)
					}); err != nil {
						return err
					}
					fmt.Fprintf(sys.stderr, "wrote %s\n", *out)
					return nil
				})
			}
		},
	}
}

// updateSnapshotCommand brings a snapshot file up to date, reading only what changed since it
// was taken.
func updateSnapshotCommand() command {
	return command{
		name:     "update-snapshot",
		synopsis: "[-dsn DSN] FILE",
		summary:  "Brings the snapshot FILE up to date, reading only the objects changed since it was taken.",
		setup: func(fs *flag.FlagSet, sys *system) action {
			dsn := dsnFlag(fs)
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("name one snapshot file to update")
				}
				ctx, stop := cancelOnInterrupt(ctx, sys)
				defer stop()
				return openFor(ctx, sys, *dsn, func(ctx context.Context, db *database) error {
					if err := db.conn.Store().UpdateSnapshot(ctx, args[0]); err != nil {
						return err
					}
					fmt.Fprintf(sys.stderr, "updated %s\n", args[0])
					return nil
				})
			}
		},
	}
}

// writeAtomically writes path through a temporary file in its directory, renamed over path only
// once write has succeeded.
func writeAtomically(path string, write func(*os.File) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
