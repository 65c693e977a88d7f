package localgh

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lockName is the lock file in Options.Dir; it holds the pid of the process that has the Dir.
const lockName = "LOCK"

// ErrLocked is wrapped by Open's error when another process (or Server) holds Dir.
var ErrLocked = errors.New("localgh: directory is in use")

// dirLock is an exclusive lock on Dir/LOCK (flock on Unix, LockFileEx on Windows), released by the
// kernel if the process dies.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
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
