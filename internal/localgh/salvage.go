package localgh

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Salvage is the way out of a corrupt journal, which Open refuses: it copies every intact
// record of dir's journal, in order, into a new journal in another directory, and leaves dir
// as it was. Records after a damaged stretch are kept. Issue numbers are dense, so an issue
// created by a damaged record leaves a hole that the issues after it would not fit: each hole
// is filled by a closed placeholder issue with no labels (ghstore ignores it), so that every
// later issue keeps its number. Any other mutation that needed something lost (a comment on a
// lost issue) is skipped when the copy is replayed, as replay skips anything that does not fit.

// placeholderTitle is the title of an issue Salvage puts where a damaged record created one.
const placeholderTitle = "(lost: the journal record that created this issue was damaged)"

// SalvageReport says what Salvage copied and what it left behind.
type SalvageReport struct {
	Journal   string // the journal read
	Records   int    // intact records copied
	Mutations int    // the mutations in them
	// Placeholders is how many issues lost with a damaged record were replaced by a closed
	// placeholder, so that the issues after them keep their numbers.
	Placeholders int
	Damaged      []Damage // the stretches no intact record covers, in order
}

// Damage is a stretch of a journal that holds no intact record.
type Damage struct {
	Offset, Length int64
}

// Salvage copies every intact record of the journal in dir into a new journal in into, which
// must not exist or be an empty directory (it is created 0700). dir is locked while it is read,
// and nothing in it is changed.
func Salvage(dir, into string) (SalvageReport, error) {
	rep := SalvageReport{Journal: filepath.Join(dir, journalName)}
	if err := checkSalvageTarget(dir, into); err != nil {
		return rep, err
	}
	if _, err := os.Stat(rep.Journal); err != nil {
		return rep, fmt.Errorf("localgh: salvage: %w", err)
	}
	l, err := lockDir(dir)
	if err != nil {
		return rep, err
	}
	defer l.release()
	f, err := osFS{}.OpenFile(rep.Journal, os.O_RDONLY, 0)
	if err != nil {
		return rep, fmt.Errorf("localgh: salvage: %w", err)
	}
	defer f.Close()
	records, damaged, err := intactRecords(f)
	if err != nil {
		return rep, fmt.Errorf("localgh: salvage %s: %w", rep.Journal, err)
	}
	rep.Damaged = damaged
	rep.Records = len(records)
	for _, ms := range records {
		rep.Mutations += len(ms)
	}
	records, rep.Placeholders = fillIssueGaps(records)
	if err := os.MkdirAll(into, dirPerm); err != nil {
		return rep, fmt.Errorf("localgh: salvage: create %s: %w", into, err)
	}
	j, err := replaceJournal(osFS{}, into, records)
	if err != nil {
		return rep, fmt.Errorf("localgh: salvage into %s: %w", into, err)
	}
	return rep, j.close()
}

// checkSalvageTarget refuses to write into dir itself or into a directory that holds anything.
func checkSalvageTarget(dir, into string) error {
	a, err1 := filepath.Abs(dir)
	b, err2 := filepath.Abs(into)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("localgh: salvage: %w", err)
	}
	if a == b {
		return fmt.Errorf("localgh: salvage: the new directory must not be the damaged one (%s)", dir)
	}
	entries, err := os.ReadDir(into)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("localgh: salvage: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("localgh: salvage: %s is not empty; name a new directory", into)
	}
	return nil
}

// intactRecords is every intact record of f, in order, and the stretches between them that
// hold none.
func intactRecords(f file) (records [][]mutation, damaged []Damage, err error) {
	size, err := f.Size()
	if err != nil {
		return nil, nil, err
	}
	head := make([]byte, min(size, int64(len(fileHeader))))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	if len(head) > 0 && isHexDigit(head[0]) && !bytes.Equal(head, []byte(fileHeader)) {
		return intactLines(f, size)
	}
	w := newWindow(f, size)
	off := int64(0)
	if bytes.Equal(head, []byte(fileHeader)) {
		off = int64(len(fileHeader))
	}
	for off < size {
		ms, next, reason, err := w.record(off)
		if err != nil {
			return nil, nil, err
		}
		if reason == "" {
			records = append(records, ms)
			off = next
			continue
		}
		next, err = w.nextIntact(off + 1)
		if err != nil {
			return nil, nil, err
		}
		if next < 0 {
			next = size
		}
		damaged = append(damaged, Damage{Offset: off, Length: next - off})
		off = next
	}
	return records, damaged, nil
}

// intactLines is intactRecords for a version-1 journal: every line whose checksum matches.
func intactLines(f file, size int64) (records [][]mutation, damaged []Damage, err error) {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, size), windowLen)
	var off int64
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if m, ok := decodeLine(line); ok {
				records = append(records, []mutation{m})
			} else if n := len(damaged); n > 0 && damaged[n-1].Offset+damaged[n-1].Length == off {
				damaged[n-1].Length += int64(len(line))
			} else {
				damaged = append(damaged, Damage{Offset: off, Length: int64(len(line))})
			}
			off += int64(len(line))
		}
		if errors.Is(err, io.EOF) {
			return records, damaged, nil
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

// fillIssueGaps puts a closed placeholder issue before every issue created past a hole in its
// repository's numbers.
func fillIssueGaps(records [][]mutation) ([][]mutation, int) {
	var top int64
	for _, ms := range records {
		for _, m := range ms {
			top = max(top, m.ID, m.TargetID)
		}
	}
	st := newState()
	var out [][]mutation
	filled := 0
	for _, ms := range records {
		for _, m := range ms {
			r := st.repos[strings.ToLower(m.Repo)]
			if m.Op != opCreateIssue || r == nil {
				continue
			}
			for n := len(r.issues) + 1; n < m.Number; n++ {
				top++
				title, closed := placeholderTitle, stateClosed
				hole := []mutation{
					{Op: opCreateIssue, Repo: m.Repo, ID: top, Number: n, Title: &title, Login: m.Login, At: m.At},
					{Op: opUpdateIssue, Repo: m.Repo, Number: n, State: &closed, Login: m.Login, At: m.At},
				}
				for _, h := range hole {
					st.apply(h)
				}
				out = append(out, hole)
				filled++
			}
		}
		for _, m := range ms {
			st.apply(m)
		}
		out = append(out, ms)
	}
	return out, filled
}
