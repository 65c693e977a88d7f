package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSalvageAfterAFlippedByte: a backend with one flipped byte in the middle of its journal
// refuses to open, naming the file and the offset, and changes nothing; ghsql salvage copies
// every intact record into a new directory, which opens with every object but the damaged one.
func TestSalvageAfterAFlippedByte(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	dsn := func(d string) string { return "local:demo/demo?dir=" + d }
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		out, err := exec.Command("ghsql", "-dsn", dsn(dir), "-e", "INSERT INTO objects (id, n) VALUES ('"+id+"', 1)").CombinedOutput()
		if err != nil {
			t.Fatalf("insert %s: %v\n%s", id, err, out)
		}
	}
	journal := filepath.Join(dir, "journal.log")
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x10
	if err := os.WriteFile(journal, b, 0o600); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command("ghsql", "-dsn", dsn(dir), "-e", "SELECT id FROM objects").CombinedOutput()
	if err == nil || !strings.Contains(string(out), journal) || !regexp.MustCompile(`corrupt at byte offset [0-9]+`).Match(out) ||
		!strings.Contains(string(out), "ghsql salvage") {
		t.Fatalf("opening a corrupt backend: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(journal); string(after) != string(b) {
		t.Fatal("the refused open changed the journal")
	}

	into := filepath.Join(t.TempDir(), "saved")
	out, err = exec.Command("ghsql", "salvage", "-dir", dir, "-into", into).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "left behind: ") {
		t.Fatalf("salvage: %v\n%s", err, out)
	}
	out, err = exec.Command("ghsql", "-dsn", dsn(into), "-e", "SELECT COUNT(*) AS n FROM objects").CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?m)^ *[45] *$`).Match(out) {
		t.Fatalf("the salvaged backend: %v\n%s", err, out)
	}
	if _, err := exec.Command("ghsql", "salvage", "-dir", dir, "-into", into).CombinedOutput(); err == nil {
		t.Fatal("salvage wrote into a directory that is not empty")
	}
}
