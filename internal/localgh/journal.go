package localgh

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// journalName is the append-only log of applied mutations inside Options.Dir.
const journalName = "journal.log"

// journal appends mutations to a file, one record per line: 8 hex digits of the CRC-32 (Castagnoli)
// of the JSON, a space, the JSON, a newline. A write is acknowledged only after fsync. On replay a
// torn or corrupt final record (a crash mid-write) is cut off; nothing after it was acknowledged.
type journal struct {
	f *os.File
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// openJournal opens (creating) dir's journal, replays every whole record into st, truncates a
// torn tail, and compacts the journal when it has grown well past the state (compact.go).
func openJournal(dir string, st *state) (*journal, error) {
	if err := removeCompactLeftover(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, journalName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("localgh: open journal: %w", err)
	}
	good, records, err := replay(f, st.apply)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("localgh: truncate torn journal tail: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("localgh: sync journal: %w", err)
	}
	if err := syncDir(dir); err != nil {
		f.Close()
		return nil, err
	}
	// The journal is now exactly its whole records; compaction may replace it by a shorter one.
	if f, err = compactJournal(dir, f, records, st); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, fmt.Errorf("localgh: seek journal: %w", err)
	}
	return &journal{f: f}, nil
}

// replay applies every valid record from the start of f and returns the offset just past the
// last one and how many there were.
func replay(f *os.File, apply func(mutation)) (good int64, records int, err error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, 0, fmt.Errorf("localgh: seek journal: %w", err)
	}
	br := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return good, records, nil // a final line without newline is torn
		}
		if err != nil {
			return 0, 0, fmt.Errorf("localgh: read journal: %w", err)
		}
		m, ok := decodeRecord(line)
		if !ok {
			return good, records, nil // corrupt: a torn write; nothing after it was acknowledged
		}
		apply(m)
		good += int64(len(line))
		records++
	}
}

func decodeRecord(line []byte) (mutation, bool) {
	var m mutation
	line = bytes.TrimSuffix(line, []byte("\n"))
	if len(line) < 10 || line[8] != ' ' {
		return m, false
	}
	var sum [4]byte
	if _, err := hex.Decode(sum[:], line[:8]); err != nil {
		return m, false
	}
	payload := line[9:]
	want := uint32(sum[0])<<24 | uint32(sum[1])<<16 | uint32(sum[2])<<8 | uint32(sum[3])
	if crc32.Checksum(payload, crcTable) != want {
		return m, false
	}
	if err := json.Unmarshal(payload, &m); err != nil {
		return m, false
	}
	return m, true
}

func encodeRecord(buf *bytes.Buffer, m mutation) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("localgh: encode mutation: %w", err)
	}
	fmt.Fprintf(buf, "%08x ", crc32.Checksum(payload, crcTable))
	buf.Write(payload)
	buf.WriteByte('\n')
	return nil
}

// append writes the records of one request in one write and syncs them.
func (j *journal) append(ms []mutation) error {
	var buf bytes.Buffer
	for _, m := range ms {
		if err := encodeRecord(&buf, m); err != nil {
			return err
		}
	}
	if _, err := j.f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("localgh: write journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("localgh: sync journal: %w", err)
	}
	return nil
}

func (j *journal) close() error { return j.f.Close() }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("localgh: open dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("localgh: sync dir: %w", err)
	}
	return nil
}
