package localgh

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-github/v66/github"
)

// seedDir is a Dir holding acme/data with n issues "seed-1"… .
func seedDir(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	srv, err := Open(unlimited(dir, newFakeClock()))
	must(t, err)
	must(t, srv.AddUser("acme", tokAcme))
	must(t, srv.CreateRepo("acme", "data", false))
	for i := 1; i <= n; i++ {
		must(t, createTitled(srv, fmt.Sprint("seed-", i)))
	}
	must(t, srv.Close())
	return dir
}

func createTitled(srv *Server, title string) error {
	_, _, err := clientFor(srv, tokAcme).Issues.Create(ctx, "acme", "data", &github.IssueRequest{Title: &title, Labels: &[]string{"UID:" + title}})
	return err
}

// copyJournal is a new Dir holding a copy of src's journal.
func copyJournal(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(src, journalName))
	must(t, err)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, journalName), b, 0o600))
	return dir
}

// titlesIn opens dir and returns its issues' titles by number, joined by commas.
func titlesIn(t *testing.T, dir string) string {
	t.Helper()
	srv, err := Open(unlimited(dir, newFakeClock()))
	must(t, err)
	defer srv.Close()
	return titlesOf(t, srv)
}

func titlesOf(t *testing.T, srv *Server) string {
	t.Helper()
	list, _, err := clientFor(srv, tokAcme).Issues.ListByRepo(ctx, "acme", "data",
		&github.IssueListByRepoOptions{State: "all", Direction: "asc", ListOptions: github.ListOptions{PerPage: 100}})
	must(t, err)
	var out []string
	for _, is := range list {
		placeholder := is.GetTitle() == placeholderTitle && is.GetState() == "closed" && len(is.Labels) == 0
		if !placeholder && (len(is.Labels) != 1 || is.Labels[0].GetName() != "UID:"+is.GetTitle()) {
			t.Fatalf("half-written issue #%d %q: labels %v", is.GetNumber(), is.GetTitle(), is.Labels)
		}
		out = append(out, is.GetTitle())
	}
	return strings.Join(out, ",")
}

func seeds(n int, more ...string) string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprint("seed-", i))
	}
	return strings.Join(append(out, more...), ",")
}

// TestJournalCrashAtEveryByte: a crash at any point of an append (after any number of its
// bytes reached the file, the rest never written or written as zeros, or after the write but
// before its sync) leaves a Dir that opens with the write wholly there or wholly absent, and
// that takes new writes that survive the next reopen.
func TestJournalCrashAtEveryByte(t *testing.T) {
	base := seedDir(t, 3)
	size := journalSize(t, base)
	// How long the record of one more issue is: measure it on a copy.
	probe := copyJournal(t, base)
	srv, err := Open(unlimited(probe, newFakeClock()))
	must(t, err)
	must(t, createTitled(srv, "crash"))
	must(t, srv.Close())
	recLen := int(journalSize(t, probe) - size)

	// Every byte with -long; else every byte of the record header and its last bytes, and a
	// sample between.
	var cuts []int
	for cut := 0; cut <= recLen; cut++ {
		if *longFlag || cut <= recordHeaderLen+1 || cut >= recLen-2 || cut%17 == 0 {
			cuts = append(cuts, cut)
		}
	}
	for _, zeros := range []bool{false, true} {
		for _, cut := range cuts {
			dir := copyJournal(t, base)
			fs := &faultFS{write: func(_ int, p []byte) (int, []byte, error, bool) {
				if !zeros {
					return cut, nil, nil, true
				}
				data := make([]byte, len(p))
				copy(data, p[:cut])
				return len(p), data, errCrashed, true // the length reached the disk, the bytes did not
			}}
			opts := unlimited(dir, newFakeClock())
			opts.fs = fs
			srv, err := Open(opts)
			must(t, err)
			if err := createTitled(srv, "crash"); err == nil {
				t.Fatalf("cut %d: a write the disk never took was acknowledged", cut)
			}
			must(t, srv.Close()) // the lock goes with the process

			want := seeds(3)
			if cut == recLen { // crashed after the write, before its sync: it is whole
				want = seeds(3, "crash")
			}
			if got := titlesIn(t, dir); got != want {
				t.Fatalf("zeros %v, cut %d of %d: after the crash %q, want %q", zeros, cut, recLen, got, want)
			}
			srv, err = Open(unlimited(dir, newFakeClock()))
			must(t, err)
			must(t, createTitled(srv, "after"))
			must(t, srv.Close())
			if got := titlesIn(t, dir); got != want+",after" {
				t.Fatalf("zeros %v, cut %d: a write after the crash: %q", zeros, cut, got)
			}
		}
	}
}

func journalSize(t *testing.T, dir string) int64 {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, journalName))
	must(t, err)
	return fi.Size()
}

// TestJournalFailedAppendIsUndone: a write that fails (disk full part way through it, or a
// failed fsync) fails the request and leaves the file exactly as it was, so the writes after it
// are acknowledged and survive reopening; when the failed write cannot even be cut back, every
// later write is refused rather than stored behind a torn record.
func TestJournalFailedAppendIsUndone(t *testing.T) {
	enospc := func(at int) *faultFS {
		return &faultFS{write: func(n int, p []byte) (int, []byte, error, bool) {
			if n == at {
				return len(p) / 2, nil, syscall.ENOSPC, false
			}
			return len(p), nil, nil, false
		}}
	}
	eio := func(at int) *faultFS {
		fs := &faultFS{}
		failed := false
		fs.sync = func() error {
			if fs.writes == at && !failed {
				failed = true
				return syscall.EIO
			}
			return nil
		}
		return fs
	}
	for _, tc := range []struct {
		name string
		fs   func(at int) *faultFS
		want error
	}{{"disk full", enospc, syscall.ENOSPC}, {"fsync fails", eio, syscall.EIO}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := seedDir(t, 2)
			before := journalSize(t, dir)
			opts := unlimited(dir, newFakeClock())
			opts.fs = tc.fs(4) // the 4th write from now
			srv, err := Open(opts)
			must(t, err)
			var kept []string
			for i := 1; i <= 8; i++ {
				title := fmt.Sprint("w-", i)
				err := createTitled(srv, title)
				if i == 4 {
					var ge *github.ErrorResponse
					if !errors.As(err, &ge) || ge.Response.StatusCode != 500 || !strings.Contains(ge.Message, tc.want.Error()) {
						t.Fatalf("the failed write answered %v", err)
					}
					if got := titlesOf(t, srv); got != seeds(2, kept...) {
						t.Fatalf("after the failed write the server shows %q", got)
					}
					continue
				}
				must(t, err)
				kept = append(kept, title)
			}
			must(t, srv.Close())
			if got := titlesIn(t, dir); got != seeds(2, kept...) {
				t.Fatalf("after reopening: %q, want %q", got, seeds(2, kept...))
			}
			if journalSize(t, dir) <= before {
				t.Fatal("nothing was written")
			}
		})
	}

	t.Run("the undo fails too", func(t *testing.T) {
		dir := seedDir(t, 2)
		fs := enospc(2)
		fs.truncate = func() error { return syscall.EIO }
		opts := unlimited(dir, newFakeClock())
		opts.fs = fs
		srv, err := Open(opts)
		must(t, err)
		must(t, createTitled(srv, "w-1"))
		if err := createTitled(srv, "w-2"); err == nil {
			t.Fatal("the failed write was acknowledged")
		}
		err = createTitled(srv, "w-3")
		if err == nil || !strings.Contains(err.Error(), "refuses writes until the directory is reopened") {
			t.Fatalf("a write behind a torn record: %v", err)
		}
		must(t, srv.Close())
		if got := titlesIn(t, dir); got != seeds(2, "w-1") {
			t.Fatalf("after reopening: %q", got)
		}
	})
}

// recordOffsets are where dir's journal records start, and the file's length.
func recordOffsets(t *testing.T, dir string) []int64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, journalName))
	must(t, err)
	if !bytes.HasPrefix(b, []byte(fileHeader)) {
		t.Fatal("not a version-2 journal")
	}
	var offs []int64
	f, err := osFS{}.OpenFile(filepath.Join(dir, journalName), os.O_RDONLY, 0)
	must(t, err)
	defer f.Close()
	w := newWindow(f, int64(len(b)))
	for off := int64(len(fileHeader)); off < int64(len(b)); {
		offs = append(offs, off)
		_, next, reason, err := w.record(off)
		must(t, err)
		if reason != "" {
			t.Fatalf("bad record at %d: %s", off, reason)
		}
		off = next
	}
	return append(offs, int64(len(b)))
}

// TestJournalFlippedByte: one flipped byte anywhere but in the last record makes Open refuse
// with a *CorruptError naming the file and the damaged record's offset, and changes nothing on
// disk; Salvage then copies every other record into a new directory. In the last record it is
// what a crash mid-append leaves, a torn tail: that record alone is dropped.
func TestJournalFlippedByte(t *testing.T) {
	base := seedDir(t, 5)
	offs := recordOffsets(t, base)
	last := len(offs) - 2 // index of the last record
	mid := last - 2       // a record with others after it
	type flip struct {
		name   string
		at     int64
		record int // the record damaged; -1: the file header
	}
	flips := []flip{
		{"file header", 3, -1},
		{"first record's magic", offs[0], 0},
		{"a length", offs[mid] + 5, mid},
		{"a payload checksum", offs[mid] + 9, mid},
		{"a header checksum", offs[mid] + 14, mid},
		{"a payload", (offs[mid] + offs[mid+1]) / 2, mid},
		{"a payload's last byte", offs[mid+1] - 1, mid},
		{"the last record", (offs[last] + offs[last+1]) / 2, last},
	}
	allRecords := len(offs) - 1
	for _, fl := range flips {
		t.Run(fl.name, func(t *testing.T) {
			dir := copyJournal(t, base)
			path := filepath.Join(dir, journalName)
			b, err := os.ReadFile(path)
			must(t, err)
			b[fl.at] ^= 0x10
			must(t, os.WriteFile(path, b, 0o600))

			srv, err := Open(unlimited(dir, newFakeClock()))
			if fl.record == last {
				must(t, err)
				must(t, srv.Close())
				if got := journalSize(t, dir); got != offs[last] {
					t.Fatalf("the torn last record: journal cut to %d, want %d", got, offs[last])
				}
				return
			}
			var ce *CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open of a journal with a flipped byte at %d: %v", fl.at, err)
			}
			wantOff := int64(0)
			if fl.record >= 0 {
				wantOff = offs[fl.record]
			}
			if ce.Offset != wantOff || ce.Path != path || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), fmt.Sprint(wantOff)) {
				t.Fatalf("error %q: offset %d, want %d", err, ce.Offset, wantOff)
			}
			after, err := os.ReadFile(path)
			must(t, err)
			if !bytes.Equal(after, b) {
				t.Fatal("a refused Open changed the journal")
			}
			if _, err := os.Stat(filepath.Join(dir, compactName)); !os.IsNotExist(err) {
				t.Fatalf("a refused Open left %s: %v", compactName, err)
			}

			into := filepath.Join(t.TempDir(), "salvaged")
			rep, err := Salvage(dir, into)
			must(t, err)
			wantRecords := allRecords
			if fl.record >= 0 {
				wantRecords--
			}
			if rep.Records != wantRecords || len(rep.Damaged) != 1 {
				t.Fatalf("salvage: %+v, want %d records and one damaged stretch", rep, wantRecords)
			}
			if fl.record >= 0 && rep.Damaged[0] != (Damage{Offset: offs[fl.record], Length: offs[fl.record+1] - offs[fl.record]}) {
				t.Fatalf("salvage: damage %+v, want record %d at %d", rep.Damaged, fl.record, offs[fl.record])
			}
			after, err = os.ReadFile(path)
			must(t, err)
			if !bytes.Equal(after, b) {
				t.Fatal("Salvage changed the damaged journal")
			}
			// The seeds are the last five records (the user and the repository come first); a damaged one is gone.
			// and a placeholder takes its number.
			want := seeds(5)
			if fl.record >= len(offs)-1-5 {
				n := fl.record - (len(offs) - 1 - 5) + 1
				want = strings.Replace(want, fmt.Sprintf("seed-%d", n), placeholderTitle, 1)
				if rep.Placeholders != 1 {
					t.Fatalf("salvage: %d placeholders, want 1", rep.Placeholders)
				}
			}
			if fl.record == 0 {
				return // the owner's token is gone with the first record
			}
			if got := titlesIn(t, into); got != want {
				t.Fatalf("salvaged %q, want %q", got, want)
			}
		})
	}
}

// TestJournalTruncatedTail: a journal cut anywhere inside its last record (a crash mid-append)
// opens with that record dropped, and takes new writes.
func TestJournalTruncatedTail(t *testing.T) {
	base := seedDir(t, 3)
	offs := recordOffsets(t, base)
	lastStart, end := offs[len(offs)-2], offs[len(offs)-1]
	for _, cut := range []int64{lastStart + 1, lastStart + recordHeaderLen - 1, lastStart + recordHeaderLen, (lastStart + end) / 2, end - 1} {
		dir := copyJournal(t, base)
		must(t, os.Truncate(filepath.Join(dir, journalName), cut))
		srv, err := Open(unlimited(dir, newFakeClock()))
		must(t, err)
		if got := titlesOf(t, srv); got != seeds(2) {
			t.Fatalf("cut at %d: %q", cut, got)
		}
		must(t, createTitled(srv, "after"))
		must(t, srv.Close())
		if got := titlesIn(t, dir); got != seeds(2, "after") {
			t.Fatalf("cut at %d, then a write: %q", cut, got)
		}
	}
}

// TestOldFormatJournalOpens: a journal the previous release wrote (line records, unsalted
// token hashes; testdata/journal-v1) opens with everything in it, as every user sees it, and is
// rewritten in the current format.
func TestOldFormatJournalOpens(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "journal-v1", journalName))
	must(t, err)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, journalName), old, 0o644))
	clock := newFakeClock()
	srv, err := Open(unlimited(dir, clock))
	must(t, err)
	got := answers(t, srv)
	must(t, srv.Close())

	fresh := t.TempDir()
	churn(t, fresh, newFakeClock(), 5)
	srv, err = Open(unlimited(fresh, newFakeClock()))
	must(t, err)
	want := answers(t, srv)
	must(t, srv.Close())
	if got != want {
		t.Fatalf("the old journal answers differently:\n--- fresh\n%s\n--- old journal\n%s", want, got)
	}
	if !strings.Contains(got, `"login":"carol"`) {
		t.Fatal("the old journal's tokens do not authenticate")
	}
	b, err := os.ReadFile(filepath.Join(dir, journalName))
	must(t, err)
	if !bytes.HasPrefix(b, []byte(fileHeader)) {
		t.Fatal("the old journal was not rewritten in the current format")
	}
	if fi, err := os.Stat(filepath.Join(dir, journalName)); err != nil || fi.Mode().Perm() != filePerm {
		t.Fatalf("rewritten journal: %v %v", fi.Mode(), err)
	}

	// A flipped byte in the middle of an old journal is refused too, and salvaged.
	bad := append([]byte(nil), old...)
	bad[len(bad)/2] ^= 0x10
	dir = t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, journalName), bad, 0o644))
	if _, err := Open(unlimited(dir, clock)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a corrupt old journal: %v", err)
	}
	rep, err := Salvage(dir, filepath.Join(t.TempDir(), "new"))
	must(t, err)
	if lines := bytes.Count(old, []byte("\n")); rep.Records != lines-1 || len(rep.Damaged) != 1 {
		t.Fatalf("salvage of an old journal of %d lines: %+v", lines, rep)
	}
}

// TestDirPermissions: a Dir is the owner's alone: directory 0700, files 0600.
func TestDirPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	srv, err := Open(unlimited(dir, newFakeClock()))
	must(t, err)
	must(t, srv.CreateRepo("acme", "data", false))
	defer srv.Close()
	for _, p := range []string{dir, filepath.Join(dir, journalName), filepath.Join(dir, lockName)} {
		fi, err := os.Stat(p)
		must(t, err)
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v: others may read it", p, fi.Mode())
		}
	}
}

// TestSalvageRefusesABusyTarget: Salvage writes only into a new or empty directory, never
// into the damaged one.
func TestSalvageRefusesABusyTarget(t *testing.T) {
	dir := seedDir(t, 1)
	if _, err := Salvage(dir, dir); err == nil {
		t.Fatal("salvaged into the damaged directory itself")
	}
	busy := t.TempDir()
	must(t, os.WriteFile(filepath.Join(busy, "x"), nil, 0o600))
	if _, err := Salvage(dir, busy); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("salvage into a directory with files: %v", err)
	}
}
