//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestSetISIG switches a real pseudo-terminal's ISIG flag and reads it back.
func TestSetISIG(t *testing.T) {
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer tty.Close()
	fd := int(tty.Fd())
	isig := func() bool {
		tio, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ISIG != 0
	}
	for _, on := range []bool{false, true, false, true} {
		setISIG(fd, on)
		if got := isig(); got != on {
			t.Fatalf("after setISIG(%v) ISIG is %v", on, got)
		}
	}
	setISIG(-1, true) // not a terminal: nothing happens, nothing panics
}
