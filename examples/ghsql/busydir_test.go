package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBusyDirectorySaysHowToConnect: while `ghsql serve` holds the embedded backend's
// directory, opening it says how to reach the data through the server: the DSN with base_url=
// for this repository, and the serve command for this directory.
func TestBusyDirectorySaysHowToConnect(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	startServe(t, "-dir", dir)
	out, err := exec.Command("ghsql", "-dsn", "local:acme/data?dir="+dir, "-e", "SELECT id FROM objects").CombinedOutput()
	if err == nil {
		t.Fatalf("a second process opened the held directory:\n%s", out)
	}
	for _, want := range []string{
		"If that process is `ghsql serve`, connect to the base URL it printed:",
		"ghsql -dsn 'acme/data?base_url=http://127.0.0.1:PORT/&token=anything'",
		"ghsql serve -addr 127.0.0.1:8080 -dir " + dir,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the error lacks %q:\n%s", want, out)
		}
	}
}
