package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// The prompts: prompt for a new statement, a continuation one while a statement goes on, which
// shows (as psql's does) what is still open: a quote (', ", `) or a /* comment.
const (
	prompt         = "ghsql> "
	continuePrompt = "    -> "
)

// continuePrompts are the continuation prompts by what is open at the end of the statement so far.
var continuePrompts = map[string]string{
	"":   continuePrompt,
	"'":  "    '> ",
	`"`:  `    "> `,
	"`":  "    `> ",
	"/*": "    *> ",
}

// promptFor is the prompt to show after the statement typed so far, buf.
func promptFor(buf string) string {
	if isBlank(buf) {
		return prompt
	}
	open, _ := scanText(buf, len(buf))
	return continuePrompts[open]
}

// lineReader reads the input one line at a time: liner on a terminal, plain lines otherwise.
type lineReader interface {
	// ReadLine shows p (when it is a terminal) and returns the next line without its newline;
	// io.EOF at the end (Ctrl-D), errAborted when Ctrl-C drops the line being typed.
	ReadLine(p string) (string, error)
	// Remember adds a statement to the history (a no-op without one).
	Remember(entry string)
	Close() error
}

// errAborted is Ctrl-C at the prompt: the statement being typed is dropped.
var errAborted = errors.New("ghsql: input aborted")

// loop reads statements and meta commands from lr and runs them until the input ends or \q.
// Interactive, an error is shown and the loop goes on, and Ctrl-C cancels only the running
// statement; otherwise the first error ends the loop (and ghsql's exit status says so).
func (s *session) loop(ctx context.Context, lr lineReader, interactive bool) error {
	var interrupts <-chan os.Signal
	if interactive && s.sys.interrupts != nil {
		ch, stop := s.sys.interrupts()
		defer stop()
		interrupts = ch
		// Ctrl-C is a signal only while a statement runs (see interruptkey.go).
		if k, ok := lr.(interruptKeys); ok {
			k.InterruptKey(false)
			defer k.InterruptKey(true)
			s.keys = k
			defer func() { s.keys = nil }()
		}
	}
	var buf strings.Builder
	line, start := 0, 0 // the line read last, and the line the statement in buf starts on
	for {
		p := promptFor(buf.String())
		text, err := lr.ReadLine(p)
		switch {
		case errors.Is(err, errAborted):
			buf.Reset()
			continue
		case errors.Is(err, io.EOF):
			rest := buf.String()
			if !interactive {
				if !isBlank(rest) {
					// The last statement of a script may go without its ';'.
					return s.runOne(ctx, strings.TrimSpace(rest), start, interrupts, interactive)
				}
				return nil
			}
			fmt.Fprintln(s.sys.stdout)
			// At a terminal, Ctrl-D on an unfinished statement leaves without running it, as
			// psql and mysql do: "DELETE FROM objects" typed on the way to a WHERE must not run.
			s.discarded(rest)
			return nil
		case err != nil:
			return err
		}
		line++
		if s.echo {
			fmt.Fprintf(s.sys.stdout, "%s%s\n", p, text)
		}
		if isBlank(buf.String()) {
			start = line
		}
		// A meta command may start anywhere on a line, outside quotes and comments (psql): the
		// text before it belongs to the statement, the rest of the line is the command.
		sqlPart, metaPart := text, ""
		if _, at := scanText(buf.String()+text, buf.Len()); at >= 0 {
			at -= buf.Len()
			sqlPart, metaPart = text[:at], strings.TrimSpace(text[at:])
		}
		if metaPart == "" || !isBlank(sqlPart) {
			buf.WriteString(sqlPart)
			buf.WriteByte('\n')
		}
		stmts, rest := splitStatements(buf.String())
		buf.Reset()
		if !isBlank(rest) || metaPart == "" {
			buf.WriteString(rest)
		}
		if len(stmts) > 0 && isBlank(rest) {
			buf.Reset()
		}
		for _, stmt := range stmts {
			if interactive {
				lr.Remember(oneLine(stmt) + ";")
			}
			if err := s.runOne(ctx, stmt, start, interrupts, interactive); err != nil {
				return err
			}
			start = line
		}
		if metaPart == "" {
			continue
		}
		if interactive {
			lr.Remember(metaPart)
		}
		if isReset(metaPart) {
			// \r clears the statement being typed.
			buf.Reset()
			fmt.Fprintln(s.sys.stdout, "Statement buffer cleared.")
			continue
		}
		quit, err := s.meta(ctx, metaPart, interrupts)
		if err != nil && !interactive {
			return s.atLine(line, err)
		}
		if err != nil {
			fmt.Fprintf(s.sys.stderr, "ERROR: %s\n", explain(err, s.sys.clock.Now()))
		}
		if quit {
			if interactive {
				s.discarded(buf.String())
			}
			return nil
		}
	}
}

// isReset reports whether a meta command is \r (reset the statement being typed).
func isReset(meta string) bool {
	name, _, _ := strings.Cut(meta, " ")
	return strings.EqualFold(name, `\r`) || strings.EqualFold(name, `\reset`)
}

// discarded says, when rest holds an unfinished statement, that it was dropped and not run.
func (s *session) discarded(rest string) {
	if isBlank(rest) {
		return
	}
	stmt := oneLine(rest)
	if len(stmt) > 60 {
		stmt = stmt[:57] + "..."
	}
	fmt.Fprintf(s.sys.stderr, "ghsql: discarded the unfinished statement (no ';' ended it), which did not run: %s\n", stmt)
}

// lineError is an error of the statement that starts on a line of piped input.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// atLine says on which input line the failing statement starts, when the input is a script.
func (s *session) atLine(line int, err error) error {
	if !s.numberLines {
		return err
	}
	return &lineError{line: line, err: err}
}

// runOne runs stmt (starting on input line line) under a context that Ctrl-C cancels (interactive). Interactive, an error is
// shown and nil returned; otherwise the error is returned.
func (s *session) runOne(ctx context.Context, stmt string, line int, interrupts <-chan os.Signal, interactive bool) error {
	err := s.cancellable(ctx, interrupts, func(ctx context.Context) error { return s.execute(ctx, stmt) })
	if err == nil {
		return nil
	}
	if !interactive {
		return s.atLine(line, err)
	}
	fmt.Fprintf(s.sys.stderr, "ERROR: %s\n", explain(err, s.sys.clock.Now()))
	return nil
}

// cancellable runs f under a context that an interrupt cancels.
func (s *session) cancellable(ctx context.Context, interrupts <-chan os.Signal, f func(context.Context) error) error {
	if interrupts == nil {
		return f(ctx)
	}
	// An interrupt that came while no statement ran must not cancel this one. On a terminal
	// none can come then (Ctrl-C is a key between statements), except one sent in the last
	// moment of the previous statement.
	for len(interrupts) > 0 {
		<-interrupts
	}
	if s.keys != nil {
		s.keys.InterruptKey(true)
		defer s.keys.InterruptKey(false)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-interrupts:
			cancel()
		case <-done:
		}
	}()
	return f(ctx)
}

// oneLine joins a statement's lines for the history.
func oneLine(stmt string) string {
	return strings.Join(strings.Fields(strings.TrimSpace(stmt)), " ")
}

// plainReader reads lines from a stream with no prompt and no history: piped input.
type plainReader struct {
	sc *bufio.Scanner
}

// newPlainReader reads r line by line (lines up to 1 MiB: an object is at most 64 KiB).
func newPlainReader(r io.Reader) *plainReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	return &plainReader{sc: sc}
}

func (r *plainReader) ReadLine(string) (string, error) {
	if r.sc.Scan() {
		return strings.TrimSuffix(r.sc.Text(), "\r"), nil
	}
	if err := r.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

func (r *plainReader) Remember(string) {}

func (r *plainReader) Close() error { return nil }
