//go:build (!unix && !windows) || solaris || illumos || aix

package localgh

import "os"

// tryLock: this platform has no flock that the standard library reaches (plan9, wasm; Solaris,
// illumos and AIX have only fcntl locks, which a process drops when it closes any descriptor of
// the file, so they cannot guard a Dir against a second Server in the same process), so a Dir is
// not guarded here.
func tryLock(*os.File) error { return nil }

func unlock(*os.File) error { return nil }
