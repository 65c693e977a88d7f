package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionCommand prints ghsql's module version (as `go install …@vX` or `go run …@latest` built
// it; "(devel)" from a checkout) and the Go version.
func versionCommand() command {
	return command{
		name:     "version",
		synopsis: "",
		summary:  "Prints ghsql's version.",
		setup: func(fs *flag.FlagSet, sys *system) action {
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("version takes no arguments")
				}
				v := "(devel)"
				if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
					v = bi.Main.Version
				}
				fmt.Fprintf(sys.stdout, "ghsql %s %s\n", v, runtime.Version())
				return nil
			}
		},
	}
}
