package localgh

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// TestReadOnlyDirServesReads: a Dir whose lock file this process may not write (a read-only
// mount, another user's directory) opens read-only: every read answers from the journal as it
// was, every write fails with ErrReadOnly, and nothing on disk changes.
func TestReadOnlyDirServesReads(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(Options{Dir: dir, AnyTokenAs: "acme"})
	must(t, err)
	must(t, srv.CreateRepo("acme", "data", false))
	must(t, srv.Close())
	before, err := os.ReadFile(dir + "/" + journalName)
	must(t, err)

	refuse := func(string, int, os.FileMode) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: "LOCK", Err: fs.ErrPermission}
	}
	ro, err := Open(Options{Dir: dir, AnyTokenAs: "acme", openLock: refuse})
	must(t, err)
	defer ro.Close()
	if got := ro.Repos(); len(got) != 1 || got[0] != "acme/data" {
		t.Fatalf("read-only server has repositories %v", got)
	}
	if err := ro.CreateRepo("acme", "more", false); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("a write on the read-only server: %v, want ErrReadOnly", err)
	}
	after, err := os.ReadFile(dir + "/" + journalName)
	must(t, err)
	if string(after) != string(before) {
		t.Fatal("the read-only server changed the journal")
	}
}
