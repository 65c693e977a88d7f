package localgh

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// faultFS is the real file system with faults injected into the journal's writes: a write may
// fail (disk full, I/O error) after some of its bytes reached the file, a sync or truncate may
// fail, and a "crash" stops every later operation on the journal, as a killed process would,
// leaving the file as the bytes written so far made it.
type faultFS struct {
	osFS
	mu sync.Mutex
	// write, when set, decides what happens to the journal write number n (from 1) of p:
	// how many bytes of it reach the file (data replaces them when non-nil) and what error
	// the write returns. crash makes every later operation on the journal fail.
	write func(n int, p []byte) (written int, data []byte, err error, crash bool)
	// sync and truncate, when set, may fail the journal's syncs and truncations.
	sync     func() error
	truncate func() error
	writes   int
	crashed  bool
}

var errCrashed = errors.New("faultFS: the process has crashed")

func (fs *faultFS) OpenFile(name string, flag int, perm os.FileMode) (file, error) {
	f, err := fs.osFS.OpenFile(name, flag, perm)
	if err != nil || filepath.Base(name) != journalName {
		return f, err
	}
	return &faultFile{file: f, fs: fs}, nil
}

type faultFile struct {
	file
	fs *faultFS
}

func (f *faultFile) WriteAt(p []byte, off int64) (int, error) {
	fs := f.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.crashed {
		return 0, errCrashed
	}
	fs.writes++
	if fs.write == nil {
		return f.file.WriteAt(p, off)
	}
	n, data, err, crash := fs.write(fs.writes, p)
	if data == nil {
		data = p
	}
	if _, werr := f.file.WriteAt(data[:n], off); werr != nil {
		return 0, werr
	}
	fs.crashed = crash
	if err == nil && n < len(p) {
		err = errCrashed
	}
	return n, err
}

func (f *faultFile) Sync() error {
	fs := f.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.crashed {
		return errCrashed
	}
	if fs.sync != nil {
		if err := fs.sync(); err != nil {
			return err
		}
	}
	return f.file.Sync()
}

func (f *faultFile) Truncate(size int64) error {
	fs := f.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.crashed {
		return errCrashed
	}
	if fs.truncate != nil {
		if err := fs.truncate(); err != nil {
			return err
		}
	}
	return f.file.Truncate(size)
}
