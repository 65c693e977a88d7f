package localgh

import (
	"fmt"
	"io"
	"os"
)

// Every file a Dir holds is the owner's alone: data may be private repositories and the journal
// holds token hashes.
const (
	filePerm = 0o600
	dirPerm  = 0o700
)

// fileSystem is what the journal, its compaction and the lock need of the operating system.
// Open uses the real one (osFS); tests put a fault-injecting one in its place (faults_test.go)
// to fail or "crash" at any byte of a write.
type fileSystem interface {
	OpenFile(name string, flag int, perm os.FileMode) (file, error)
	Rename(from, to string) error
	Remove(name string) error
	// SyncDir makes the directory's entries (a created or renamed file) durable.
	SyncDir(dir string) error
}

// file is one open file of a fileSystem. Writes are positioned (WriteAt): the journal always
// knows where its whole records end and writes the next one exactly there.
type file interface {
	io.ReaderAt
	io.WriterAt
	Sync() error
	Truncate(size int64) error
	Size() (int64, error)
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (file, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (osFS) Rename(from, to string) error { return os.Rename(from, to) }
func (osFS) Remove(name string) error     { return os.Remove(name) }

func (osFS) SyncDir(dir string) error {
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

type osFile struct{ *os.File }

func (f osFile) Size() (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
