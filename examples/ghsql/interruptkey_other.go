//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package main

// setISIG does nothing on these systems: a Ctrl-C typed in the gap between a statement and the
// next prompt can still reach the next statement there (see interruptkey.go).
func setISIG(fd int, on bool) {}
