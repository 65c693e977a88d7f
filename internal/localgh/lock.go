package localgh

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockName is the lock file in Options.Dir; it holds the pid of the process that has the Dir.
const lockName = "LOCK"

// ErrLocked is wrapped by Open's error when another process (or Server) holds Dir.
var ErrLocked = errors.New("localgh: directory is in use")

// ErrReadOnly is wrapped by every write's error on a Server whose Dir this process may not
// write (a read-only mount, a directory of another user): Open then serves what the journal
// holds, read-only, as it was at Open.
var ErrReadOnly = errors.New("localgh: the directory is read-only: this server only reads")

// errLockReadOnly: the lock file cannot be made or opened for writing (Open goes read-only).
var errLockReadOnly = errors.New("localgh: the lock file cannot be written")

// dirLock is an exclusive lock on Dir/LOCK (flock on Unix, LockFileEx on Windows), released by the
// kernel if the process dies.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) { return lockDirWith(os.OpenFile, dir) }

// lockDirWith is lockDir opening the lock file with open (a test makes it refuse).
func lockDirWith(open func(string, int, os.FileMode) (*os.File, error), dir string) (*dirLock, error) {
	path := filepath.Join(dir, lockName)
	f, err := open(path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return nil, fmt.Errorf("%w: %w", errLockReadOnly, err)
		}
		return nil, fmt.Errorf("localgh: open lock file: %w", err)
	}
	if err := tryLock(f); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		pid := strings.TrimSpace(string(holder))
		if _, perr := strconv.Atoi(pid); perr != nil {
			pid = "unknown"
		}
		return nil, fmt.Errorf("%w: %s is held by pid %s (share it through one server, e.g. `ghsql serve`): %v", ErrLocked, dir, pid, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		_ = f.Sync()
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	_ = unlock(l.f)
	return l.f.Close()
}
