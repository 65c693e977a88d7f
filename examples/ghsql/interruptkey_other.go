//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

// setISIG does nothing here: on Windows the console's Ctrl-C stays an event while no
// statement runs (liner turns it into a key only while it reads a line).
func setISIG(fd int, on bool) {}
