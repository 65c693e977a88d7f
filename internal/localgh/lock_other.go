//go:build !unix && !windows

package localgh

import "os"

// tryLock: this platform has no file locks that the standard library reaches, so a Dir is not
// guarded against a second process here (plan9, wasm).
func tryLock(*os.File) error { return nil }

func unlock(*os.File) error { return nil }
