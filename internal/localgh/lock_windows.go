//go:build windows

package localgh

import (
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the locked byte lies: past the pid the file holds, because Windows locks
// are mandatory and a locked range cannot be read by the process that wants to name the holder.
const lockOffset = 1 << 30

// tryLock takes an exclusive lock on one byte of f without waiting.
func tryLock(f *os.File) error {
	ol := &windows.Overlapped{Offset: lockOffset}
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
}

func unlock(f *os.File) error {
	ol := &windows.Overlapped{Offset: lockOffset}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}
