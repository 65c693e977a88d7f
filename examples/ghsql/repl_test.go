package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ghstore/ghstore/internal/clock"
)

// scriptedReader is a lineReader that returns lines (or errors) from a script and records the
// history; onRead, when set, runs before each line is returned.
type scriptedReader struct {
	lines   []any // string or error
	prompts []string
	history []string
}

func (r *scriptedReader) ReadLine(p string) (string, error) {
	r.prompts = append(r.prompts, p)
	if len(r.lines) == 0 {
		return "", io.EOF
	}
	l := r.lines[0]
	r.lines = r.lines[1:]
	if err, ok := l.(error); ok {
		return "", err
	}
	return l.(string), nil
}

func (r *scriptedReader) Remember(e string) { r.history = append(r.history, e) }
func (r *scriptedReader) Close() error      { return nil }

// testSession is a session whose statements are recorded (and answered by exec) instead of run.
func testSession(exec func(ctx context.Context, stmt string) error) (*session, *bytes.Buffer, *bytes.Buffer, *[]string) {
	var out, errOut bytes.Buffer
	var ran []string
	s := &session{
		sys: &system{stdout: &out, stderr: &errOut, clock: clock.NewFake(time.Unix(0, 0))},
	}
	s.execute = func(ctx context.Context, stmt string) error {
		ran = append(ran, stmt)
		if exec != nil {
			return exec(ctx, stmt)
		}
		return nil
	}
	return s, &out, &errOut, &ran
}

func TestLoopRunsStatementsAcrossLines(t *testing.T) {
	s, out, _, ran := testSession(nil)
	r := &scriptedReader{lines: []any{
		"SELECT id", "FROM objects;", "", "-- a note", "INSERT INTO objects (id) VALUES ('a;b'); SELECT 1;",
		"SELECT 2", // no ';' at the end of the input
	}}
	if err := s.loop(context.Background(), r, false); err != nil {
		t.Fatal(err)
	}
	want := []string{"SELECT id\nFROM objects", "-- a note\nINSERT INTO objects (id) VALUES ('a;b')", "SELECT 1", "SELECT 2"}
	if diff := cmp.Diff(want, *ran); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	wantPrompts := []string{prompt, continuePrompt, prompt, prompt, prompt, prompt, continuePrompt}
	if diff := cmp.Diff(wantPrompts, r.prompts); diff != "" {
		t.Errorf("prompts (-want +got):\n%s", diff)
	}
	if out.String() != "" {
		t.Errorf("piped input without -echo printed %q", out.String())
	}
}

func TestLoopEcho(t *testing.T) {
	s, out, _, _ := testSession(nil)
	s.echo = true
	r := &scriptedReader{lines: []any{"SELECT id", "FROM objects;", `\timing`}}
	if err := s.loop(context.Background(), r, false); err != nil {
		t.Fatal(err)
	}
	want := "ghsql> SELECT id\n    -> FROM objects;\nghsql> \\timing\nTiming is on.\n"
	if out.String() != want {
		t.Errorf("echo printed %q, want %q", out.String(), want)
	}
}

func TestLoopStopsAtTheFirstErrorWhenPiped(t *testing.T) {
	boom := errors.New("boom")
	s, _, _, ran := testSession(func(_ context.Context, stmt string) error {
		if stmt == "bad" {
			return boom
		}
		return nil
	})
	r := &scriptedReader{lines: []any{"ok1; bad; ok2;"}}
	if err := s.loop(context.Background(), r, false); !errors.Is(err, boom) {
		t.Fatalf("loop = %v, want boom", err)
	}
	if diff := cmp.Diff([]string{"ok1", "bad"}, *ran); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
}

func TestLoopInteractiveShowsErrorsAndGoesOn(t *testing.T) {
	s, out, errOut, ran := testSession(func(_ context.Context, stmt string) error {
		if stmt == "bad" {
			return errors.New("query: syntax error at position 1")
		}
		return nil
	})
	r := &scriptedReader{lines: []any{"bad;", "SELECT", errAborted, "ok;", `\nope`, `\q`, "never;"}}
	if err := s.loop(context.Background(), r, true); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"bad", "ok"}, *ran); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	wantErr := "ERROR: query: syntax error at position 1\nERROR: unknown meta command \\nope: \\help lists them\n"
	if errOut.String() != wantErr {
		t.Errorf("stderr = %q, want %q", errOut.String(), wantErr)
	}
	if diff := cmp.Diff([]string{"bad;", "ok;", `\nope`, `\q`}, r.history); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if out.String() != "" {
		t.Errorf("stdout = %q", out.String())
	}
}

func TestLoopCtrlDEndsTheSession(t *testing.T) {
	s, out, _, ran := testSession(nil)
	r := &scriptedReader{lines: []any{"SELECT 1;"}}
	if err := s.loop(context.Background(), r, true); err != nil {
		t.Fatal(err)
	}
	if len(*ran) != 1 || out.String() != "\n" {
		t.Errorf("ran %q, printed %q", *ran, out.String())
	}
}

func TestCtrlCCancelsOnlyTheRunningStatement(t *testing.T) {
	sigs := make(chan os.Signal, 1)
	started := make(chan struct{})
	s, _, errOut, ran := testSession(func(ctx context.Context, stmt string) error {
		if stmt != "slow" {
			return nil
		}
		close(started)
		<-ctx.Done() // runs until canceled
		return ctx.Err()
	})
	s.sys.interrupts = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	go func() {
		<-started
		sigs <- os.Interrupt
	}()
	r := &scriptedReader{lines: []any{"slow;", "after;"}}
	if err := s.loop(context.Background(), r, true); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"slow", "after"}, *ran); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(errOut.String(), "ERROR: canceled.") {
		t.Errorf("stderr = %q", errOut.String())
	}
}

func TestAnInterruptBetweenStatementsIsDropped(t *testing.T) {
	sigs := make(chan os.Signal, 1)
	sigs <- os.Interrupt // came while the prompt was waiting
	s, _, _, _ := testSession(func(ctx context.Context, stmt string) error { return ctx.Err() })
	s.sys.interrupts = func() (<-chan os.Signal, func()) { return sigs, func() {} }
	var errOut bytes.Buffer
	s.sys.stderr = &errOut
	if err := s.loop(context.Background(), &scriptedReader{lines: []any{"x;"}}, true); err != nil {
		t.Fatal(err)
	}
	if errOut.String() != "" {
		t.Errorf("a stale interrupt canceled the statement: %q", errOut.String())
	}
}

func TestMetaCommands(t *testing.T) {
	s, out, _, ran := testSession(nil)
	ctx := context.Background()
	for _, line := range []string{`\timing`, `\timing off`, `\timing on`, `\explain SELECT * FROM objects WHERE id = 'a';`, `\help`} {
		if quit, err := s.meta(ctx, line, nil); quit || err != nil {
			t.Fatalf("%s: quit %v, err %v", line, quit, err)
		}
	}
	if !s.timing {
		t.Error(`\timing on left timing off`)
	}
	if diff := cmp.Diff([]string{"EXPLAIN SELECT * FROM objects WHERE id = 'a'"}, *ran); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(out.String(), "Timing is on.\nTiming is off.\nTiming is on.\nStatements end with ';'") {
		t.Errorf("stdout = %q", out.String())
	}
	for _, line := range []string{`\explain`, `\timing maybe`, `\frobnicate`} {
		if _, err := s.meta(ctx, line, nil); err == nil {
			t.Errorf("%s: no error", line)
		}
	}
	if quit, _ := s.meta(ctx, `\q`, nil); !quit {
		t.Error(`\q did not quit`)
	}
}

func TestLoopNamesTheLineOfAFailingStatement(t *testing.T) {
	boom := errors.New("boom")
	s, _, _, _ := testSession(func(_ context.Context, stmt string) error {
		if strings.HasPrefix(stmt, "bad") {
			return boom
		}
		return nil
	})
	s.numberLines = true
	r := &scriptedReader{lines: []any{"ok;", "", "-- note", "ok; bad", "  more;"}}
	err := s.loop(context.Background(), r, false)
	if !errors.Is(err, boom) || err.Error() != "line 4: boom" {
		t.Fatalf("loop = %v, want line 4: boom", err)
	}
	if got := explain(err, time.Now()); got != "line 4: boom" {
		t.Errorf("explain = %q", got)
	}
}
