//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import "golang.org/x/sys/unix"

// setISIG sets or clears the terminal fd's ISIG flag (Ctrl-C sends SIGINT). Errors are
// ignored: fd is not a terminal, and then no key sends a signal anyway.
func setISIG(fd int, on bool) {
	t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return
	}
	if on {
		t.Lflag |= unix.ISIG
	} else {
		t.Lflag &^= unix.ISIG
	}
	_ = unix.IoctlSetTermios(fd, ioctlSetTermios, t)
}
