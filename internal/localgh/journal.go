package localgh

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// journalName is the append-only log of applied mutations inside Options.Dir.
const journalName = "journal.log"

// The journal promises what SQLite promises: an acknowledged write survives a crash of the
// process or of the machine, and nothing is ever dropped but a torn tail.
//
// Format (version 2): the file starts with fileHeader; then one record per committed request:
//
//	magic [4]byte (recordMagic) | payload length uint32 | CRC-32C of the payload uint32 |
//	CRC-32C of the 12 bytes before it uint32 | payload: the request's mutations, a JSON array
//
// (integers big-endian). The header's own checksum catches a damaged length before it is
// believed; the magic's 0xFF byte never occurs in JSON (it is not UTF-8), so a record can only
// be found where one was written.
//
// Rules:
//   - A write is acknowledged only after its record is written and fsynced. A request's
//     mutations are one record, so a crash leaves all of them or none.
//   - A failed append (disk full, I/O error) truncates the file back to where the record began
//     and syncs: the file is as it was, and later writes are never stored behind a torn record.
//     When even that fails the journal refuses every later write until the Dir is reopened.
//   - At Open a bad record that no intact record follows is the torn tail of a crash mid-append
//     (the last record is never acknowledged until it is whole on disk); it is cut off, and that
//     is the only thing ever dropped. A bad record that intact records follow is corruption:
//     Open fails with a *CorruptError naming the file and offset and changes nothing on disk;
//     Salvage (salvage.go) copies every intact record into a new directory.
//   - The line format of earlier releases (version 1: "<crc32c hex> <json>\n" per mutation) is
//     read by the same rules and rewritten in version 2 at Open.

const (
	fileHeader      = "localgh journal 2\n"
	recordHeaderLen = 16
	// maxRecordLen bounds a record's payload: a request body is at most maxRequestBody, and
	// its mutations are not much longer.
	maxRecordLen = 64 << 20
)

var recordMagic = [4]byte{0xFF, 'l', 'g', 0x02}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is wrapped by Open's error when the journal holds a bad record that intact
// records follow.
var ErrCorrupt = errors.New("localgh: journal is corrupt")

// CorruptError says where a journal is corrupt. Open changed nothing on disk.
type CorruptError struct {
	Path   string // the journal file
	Offset int64  // byte offset of the first bad record
	Reason string // what is wrong there
}

// Error names the file, the offset and the way out (Salvage).
func (e *CorruptError) Error() string {
	return fmt.Sprintf("localgh: %s is corrupt at byte offset %d (%s) and intact records follow it; nothing on disk was changed; "+
		"salvage copies every intact record into a new directory (ghsql salvage)", e.Path, e.Offset, e.Reason)
}

// Unwrap makes errors.Is(err, ErrCorrupt) hold.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// journal appends records to the open journal file.
type journal struct {
	fs     fileSystem
	f      file
	size   int64 // where the whole records end: the next record goes here
	broken error // set when a failed append could not be undone
}

// openJournal opens (creating) dir's journal and replays every record into st. It cuts a torn
// tail, rewrites a version-1 journal in version 2, removes a compaction's leftover and compacts
// the journal when it has grown well past the state (compact.go). On a corrupt journal it
// returns a *CorruptError and has changed nothing.
func openJournal(fsys fileSystem, dir string, st *state) (*journal, error) {
	path := filepath.Join(dir, journalName)
	f, err := fsys.OpenFile(path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, fmt.Errorf("localgh: open journal: %w", err)
	}
	j := &journal{fs: fsys, f: f}
	var v1 [][]mutation // a version-1 journal's records, to rewrite
	sc, err := scanJournal(f, path, func(ms []mutation, format int) {
		for _, m := range ms {
			st.apply(m)
		}
		if format == 1 {
			v1 = append(v1, ms)
		}
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	// Only now, with the journal known to be sound, is anything on disk changed.
	_ = os.Chmod(path, filePerm) // tighten a journal an earlier release made 0644; not ours to fail on
	if err := removeCompactLeftover(fsys, dir); err != nil {
		f.Close()
		return nil, err
	}
	switch sc.format {
	case 0: // new, or torn while its header was written
		j.size = 0
		if err := j.rewriteHeader(); err != nil {
			f.Close()
			return nil, err
		}
		if err := fsys.SyncDir(dir); err != nil {
			f.Close()
			return nil, err
		}
	case 1:
		f.Close()
		if j, err = replaceJournal(fsys, dir, v1); err != nil {
			return nil, err
		}
	default:
		j.size = sc.end
		if sc.end < sc.size {
			if err := truncateSync(f, sc.end); err != nil {
				f.Close()
				return nil, fmt.Errorf("localgh: cut the torn tail of %s: %w", path, err)
			}
		}
	}
	return compactJournal(dir, j, sc.mutations, st)
}

func (j *journal) rewriteHeader() error {
	if _, err := j.f.WriteAt([]byte(fileHeader), 0); err != nil {
		return fmt.Errorf("localgh: write journal header: %w", err)
	}
	if err := truncateSync(j.f, int64(len(fileHeader))); err != nil {
		return fmt.Errorf("localgh: write journal header: %w", err)
	}
	j.size = int64(len(fileHeader))
	return nil
}

func truncateSync(f file, size int64) error {
	if err := f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// append writes the records of one request as one record and syncs it. On failure the file is
// cut back to where it was.
func (j *journal) append(ms []mutation) error {
	if j.broken == ErrReadOnly {
		return ErrReadOnly
	}
	if j.broken != nil {
		return fmt.Errorf("localgh: the journal refuses writes until the directory is reopened: %w", j.broken)
	}
	rec, err := encodeRecord(nil, ms)
	if err != nil {
		return err
	}
	_, err = j.f.WriteAt(rec, j.size)
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		if uerr := truncateSync(j.f, j.size); uerr != nil {
			j.broken = fmt.Errorf("a failed write (%v) could not be undone: %w", err, uerr)
		}
		return fmt.Errorf("localgh: write journal: %w", err)
	}
	j.size += int64(len(rec))
	return nil
}

func (j *journal) close() error {
	if j.f == nil { // a read-only directory without a journal
		return nil
	}
	return j.f.Close()
}

// encodeRecord appends ms's record to buf.
func encodeRecord(buf []byte, ms []mutation) ([]byte, error) {
	payload, err := json.Marshal(ms)
	if err != nil {
		return buf, fmt.Errorf("localgh: encode mutation: %w", err)
	}
	if len(payload) > maxRecordLen {
		return buf, fmt.Errorf("localgh: a request of %d bytes of changes is past the journal's %d", len(payload), maxRecordLen)
	}
	var h [recordHeaderLen]byte
	copy(h[:4], recordMagic[:])
	binary.BigEndian.PutUint32(h[4:], uint32(len(payload)))
	binary.BigEndian.PutUint32(h[8:], crc32.Checksum(payload, crcTable))
	binary.BigEndian.PutUint32(h[12:], crc32.Checksum(h[:12], crcTable))
	return append(append(buf, h[:]...), payload...), nil
}

// openJournalReadOnly replays dir's journal into st without changing anything on disk (a torn
// tail is left where it is and not replayed) and returns a journal that refuses every append
// with ErrReadOnly. A directory with no journal is an empty store. Corruption is a *CorruptError,
// as for openJournal.
func openJournalReadOnly(fsys fileSystem, dir string, st *state) (*journal, error) {
	path := filepath.Join(dir, journalName)
	j := &journal{fs: fsys, broken: ErrReadOnly}
	f, err := fsys.OpenFile(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		j.f = nil
		return j, nil
	}
	if err != nil {
		return nil, fmt.Errorf("localgh: open journal read-only: %w", err)
	}
	j.f = f
	if _, err := scanJournal(f, path, func(ms []mutation, _ int) {
		for _, m := range ms {
			st.apply(m)
		}
	}); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

// journalScan is what scanJournal found.
type journalScan struct {
	format    int   // 0: empty (or a torn header); 1: lines; 2: records
	end       int64 // where the whole records end; a torn tail is [end, size)
	size      int64
	records   int // whole records
	mutations int
}

// scanJournal reads every whole record of f (either format), calling fn with each one's
// mutations, and finds where they end. A bad record that an intact one follows is a
// *CorruptError naming path.
func scanJournal(f file, path string, fn func(ms []mutation, format int)) (journalScan, error) {
	size, err := f.Size()
	if err != nil {
		return journalScan{}, fmt.Errorf("localgh: stat journal: %w", err)
	}
	sc := journalScan{size: size}
	head := make([]byte, min(size, int64(len(fileHeader))))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return sc, fmt.Errorf("localgh: read journal: %w", err)
	}
	switch {
	case size < int64(len(fileHeader)) && bytes.HasPrefix([]byte(fileHeader), head):
		return sc, nil // empty, or a crash while the header was written
	case bytes.Equal(head, []byte(fileHeader)):
		sc.format = 2
		err = scanRecords(f, path, &sc, fn)
	case isHexDigit(head[0]):
		sc.format = 1
		err = scanLines(f, path, &sc, fn)
	default:
		err = &CorruptError{Path: path, Offset: 0, Reason: "not a localgh journal"}
	}
	return sc, err
}

func isHexDigit(b byte) bool { return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' }

// scanRecords reads a version-2 journal.
func scanRecords(f file, path string, sc *journalScan, fn func([]mutation, int)) error {
	w := newWindow(f, sc.size)
	off := int64(len(fileHeader))
	for off < sc.size {
		ms, next, reason, err := w.record(off)
		if err != nil {
			return err
		}
		if reason != "" {
			return tornOrCorrupt(w, path, sc, off, reason)
		}
		fn(ms, 2)
		sc.records++
		sc.mutations += len(ms)
		off = next
	}
	sc.end = off
	return nil
}

// tornOrCorrupt decides what the bad record at off is: the torn tail when no intact record
// follows it, else corruption.
func tornOrCorrupt(w *window, path string, sc *journalScan, off int64, reason string) error {
	next, err := w.nextIntact(off + 1)
	if err != nil {
		return err
	}
	if next >= 0 {
		return &CorruptError{Path: path, Offset: off, Reason: fmt.Sprintf("%s; an intact record starts at byte %d", reason, next)}
	}
	sc.end = off
	return nil
}

// window reads a file through a buffer, sequentially or at any offset.
type window struct {
	f    file
	size int64
	off  int64 // file offset of buf[0]
	buf  []byte
}

const windowLen = 1 << 20

func newWindow(f file, size int64) *window { return &window{f: f, size: size} }

// bytes returns n bytes at off, or fewer when the file ends first.
func (w *window) bytes(off int64, n int) ([]byte, error) {
	if off >= w.size {
		return nil, nil
	}
	n = int(min(int64(n), w.size-off))
	if off >= w.off && off+int64(n) <= w.off+int64(len(w.buf)) {
		return w.buf[off-w.off : off-w.off+int64(n)], nil
	}
	length := int(min(int64(max(n, windowLen)), w.size-off))
	if cap(w.buf) < length {
		w.buf = make([]byte, length)
	}
	w.buf, w.off = w.buf[:length], off
	if _, err := w.f.ReadAt(w.buf, off); err != nil && !errors.Is(err, io.EOF) {
		w.buf = w.buf[:0]
		return nil, fmt.Errorf("localgh: read journal: %w", err)
	}
	return w.buf[:n], nil
}

// record decodes the record at off. A bad record gives a reason, not an error; an error is a
// failed read.
func (w *window) record(off int64) (ms []mutation, next int64, reason string, err error) {
	h, err := w.bytes(off, recordHeaderLen)
	if err != nil {
		return nil, 0, "", err
	}
	if len(h) < recordHeaderLen {
		return nil, 0, "a record header cut short by the end of the file", nil
	}
	if !bytes.Equal(h[:4], recordMagic[:]) {
		return nil, 0, "no record starts here", nil
	}
	if crc32.Checksum(h[:12], crcTable) != binary.BigEndian.Uint32(h[12:]) {
		return nil, 0, "the record header's checksum does not match", nil
	}
	n := binary.BigEndian.Uint32(h[4:])
	sum := binary.BigEndian.Uint32(h[8:])
	if n > maxRecordLen {
		return nil, 0, fmt.Sprintf("a record length of %d bytes", n), nil
	}
	payload, err := w.bytes(off+recordHeaderLen, int(n))
	if err != nil {
		return nil, 0, "", err
	}
	if len(payload) < int(n) {
		return nil, 0, "a record cut short by the end of the file", nil
	}
	if crc32.Checksum(payload, crcTable) != sum {
		return nil, 0, "the record's checksum does not match", nil
	}
	if err := json.Unmarshal(payload, &ms); err != nil {
		return nil, 0, "a record whose checksum matches but whose mutations do not decode", nil
	}
	return ms, off + recordHeaderLen + int64(n), "", nil
}

// nextIntact is the offset of the first intact record at or after from, or -1.
func (w *window) nextIntact(from int64) (int64, error) {
	for p := from; p+recordHeaderLen <= w.size; {
		chunk, err := w.bytes(p, windowLen)
		if err != nil {
			return -1, err
		}
		i := bytes.IndexByte(chunk, recordMagic[0])
		if i < 0 {
			p += int64(len(chunk))
			continue
		}
		p += int64(i)
		if _, _, reason, err := w.record(p); err != nil {
			return -1, err
		} else if reason == "" {
			return p, nil
		}
		p++
	}
	return -1, nil
}

// scanLines reads a version-1 journal: one "<8 hex digits of CRC-32C> <json>\n" per mutation.
func scanLines(f file, path string, sc *journalScan, fn func([]mutation, int)) error {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, sc.size), windowLen)
	var off int64
	for {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && errors.Is(err, io.EOF) {
			sc.end = off
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("localgh: read journal: %w", err)
		}
		m, ok := decodeLine(line)
		if !ok {
			// Torn only if no intact line follows.
			for {
				rest, rerr := br.ReadBytes('\n')
				if _, ok := decodeLine(rest); ok {
					return &CorruptError{Path: path, Offset: off, Reason: "a line whose checksum does not match, and intact lines follow"}
				}
				if rerr != nil {
					sc.end = off
					return nil
				}
			}
		}
		fn([]mutation{m}, 1)
		sc.records++
		sc.mutations++
		off += int64(len(line))
	}
}

// decodeLine decodes one whole version-1 line (with its newline).
func decodeLine(line []byte) (mutation, bool) {
	var m mutation
	if !bytes.HasSuffix(line, []byte("\n")) {
		return m, false
	}
	line = line[:len(line)-1]
	if len(line) < 10 || line[8] != ' ' {
		return m, false
	}
	var sum [4]byte
	if _, err := hex.Decode(sum[:], line[:8]); err != nil {
		return m, false
	}
	payload := line[9:]
	if crc32.Checksum(payload, crcTable) != binary.BigEndian.Uint32(sum[:]) {
		return m, false
	}
	if err := json.Unmarshal(payload, &m); err != nil {
		return m, false
	}
	return m, true
}
