package main

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keyedReader is a scriptedReader on a terminal whose Ctrl-C can be a signal or a key; it
// records whether Ctrl-C was a signal each time a line was read.
type keyedReader struct {
	scriptedReader
	signal      bool
	atReadLine  []bool
	switchedOff int
}

func (r *keyedReader) InterruptKey(signal bool) {
	if !signal {
		r.switchedOff++
	}
	r.signal = signal
}

func (r *keyedReader) ReadLine(p string) (string, error) {
	r.atReadLine = append(r.atReadLine, r.signal)
	return r.scriptedReader.ReadLine(p)
}

// TestCtrlCIsASignalOnlyWhileAStatementRuns shows the prompt's side of interruptkey.go: from
// the start of the session, through the gap after each statement and every prompt, Ctrl-C is
// a key (so it can never cancel a statement typed after it); while a statement or a meta
// command that reaches the network runs, it is a signal; at the end the terminal's own
// setting is back.
func TestCtrlCIsASignalOnlyWhileAStatementRuns(t *testing.T) {
	r := &keyedReader{signal: true, scriptedReader: scriptedReader{
		lines: []any{"SELECT 1;", `\timing`, `\explain SELECT 2;`, errAborted, "SELECT", "3;"},
	}}
	var duringRun []bool
	s, _, errOut, _ := testSession(func(ctx context.Context, stmt string) error {
		duringRun = append(duringRun, r.signal)
		return nil
	})
	sigs := make(chan os.Signal, 1)
	s.sys.interrupts = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	if err := s.loop(context.Background(), r, true); err != nil {
		t.Fatal(err)
	}
	if errOut.Len() > 0 {
		t.Fatalf("stderr: %s", errOut)
	}
	if diff := cmp.Diff([]bool{true, true, true}, duringRun); diff != "" {
		t.Errorf("Ctrl-C a signal while each statement ran (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{false, false, false, false, false, false, false}, r.atReadLine); diff != "" {
		t.Errorf("Ctrl-C a signal when each line was read (-want +got):\n%s", diff)
	}
	if !r.signal {
		t.Error("the session ended with Ctrl-C left a key")
	}
	if r.switchedOff != 4 { // at the start, and after each of the three statements
		t.Errorf("Ctrl-C made a key %d times, want 4", r.switchedOff)
	}
}

// TestPipedInputLeavesCtrlCAlone: without a prompt (piped input) the session never touches
// the terminal; Ctrl-C stays a signal and ends ghsql as usual.
func TestPipedInputLeavesCtrlCAlone(t *testing.T) {
	r := &keyedReader{signal: true, scriptedReader: scriptedReader{lines: []any{"SELECT 1;"}}}
	s, _, _, _ := testSession(nil)
	s.sys.interrupts = func() (<-chan os.Signal, func()) { return make(chan os.Signal, 1), func() {} }
	if err := s.loop(context.Background(), r, false); err != nil {
		t.Fatal(err)
	}
	if r.switchedOff != 0 {
		t.Errorf("piped input switched Ctrl-C to a key %d times", r.switchedOff)
	}
}
