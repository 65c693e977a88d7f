//go:build windows

package main

import "golang.org/x/sys/windows"

// setISIG sets or clears the console's ENABLE_PROCESSED_INPUT mode, Windows' counterpart of ISIG:
// while it is set, Ctrl-C is a CTRL_C_EVENT (os.Interrupt); while clear, a key that liner reads.
// liner clears it only while it reads a line, as on Unix. Errors are ignored: fd is no console.
func setISIG(fd int, on bool) {
	h := windows.Handle(uintptr(fd))
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil {
		return
	}
	if on {
		mode |= windows.ENABLE_PROCESSED_INPUT
	} else {
		mode &^= windows.ENABLE_PROCESSED_INPUT
	}
	_ = windows.SetConsoleMode(h, mode)
}
