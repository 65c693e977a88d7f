package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain registers ghsql as a command of the test binary: testscript's scripts (and the tests
// that start ghsql with os/exec or a pseudo-terminal) run it as a separate process, as a person
// would, found on $PATH.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"ghsql": main})
}

// TestScripts runs testdata/script/*.txtar. Each runs in its own $WORK (the embedded backend's
// default directory .ghstore lands there) with HOME inside it, never the user's.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/script"))
}

// scriptParams are the settings every script runs with.
func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			env.Setenv("HOME", home)
			return os.MkdirAll(home, 0o700)
		},
	}
}
