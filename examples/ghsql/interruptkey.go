package main

// Ctrl-C on a terminal is either a signal (SIGINT, when the terminal's ISIG flag is set) or a
// plain byte that the line editor reads as "drop this line". liner clears ISIG only while it
// reads a line, so a Ctrl-C typed in the gap between a statement's end and the next prompt
// became a signal; os/signal delivers it a moment later, and it could land after the next
// statement had started and cancel it. The prompt therefore keeps ISIG off whenever no
// statement runs: a Ctrl-C typed then stays a byte in the input, and liner drops the line
// being typed when it reads it. Only while a statement (or a meta command that reaches the
// network) runs is ISIG on, so that Ctrl-C cancels exactly that statement. On Windows the
// console's ENABLE_PROCESSED_INPUT mode plays ISIG's part, and liner treats it the same way.

// interruptKeys is a line reader on a terminal whose Ctrl-C key can be switched between a
// signal (on) and a key that the line editor reads (off).
type interruptKeys interface {
	InterruptKey(signal bool)
}

// InterruptKey sets whether Ctrl-C on the prompt's terminal sends SIGINT.
func (r *linerReader) InterruptKey(signal bool) {
	if r.fd >= 0 {
		setISIG(r.fd, signal)
	}
}
