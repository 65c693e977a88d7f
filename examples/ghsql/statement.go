package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/ghstore/ghstore/driver"
)

// session runs statements on one store and shows their results; it carries the prompt's
// settings (\timing) from one statement to the next.
type session struct {
	sys    *system
	st     *database
	format string
	timing bool
	// execute runs one statement: exec, unless a test stands in for the store.
	execute func(ctx context.Context, stmt string) error
	// echo prints each input line after the prompt, as a terminal shows it (a transcript of
	// piped input).
	echo bool
	// numberLines makes an error name the input line its statement starts on (piped scripts).
	numberLines bool
	// keys, at an interactive prompt on a terminal, makes Ctrl-C a signal while a statement
	// runs and a key otherwise (see interruptkey.go); nil elsewhere.
	keys interruptKeys
}

// isQuery reports whether stmt returns rows (as opposed to a write, which returns a count).
func isQuery(stmt string) bool {
	switch firstKeyword(stmt) {
	case "select", "explain", "with", "show", "describe", "desc", "values", "table":
		return true
	}
	return false
}

// exec runs one statement and writes its result to stdout (and, with \timing, its cost to
// stderr). Long statements on a terminal show progress on stderr.
func (s *session) exec(ctx context.Context, stmt string) error {
	f, err := newFormatter(s.format, s.sys.stdout, s.tableWidth())
	if err != nil {
		return err
	}
	before, start := s.st.conn.Stats(), s.sys.clock.Now()

	var prog *progress
	if s.sys.stderrTerminal && s.sys.ticker != nil {
		prog = startProgress(s.sys.stderr, s.sys.clock, s.sys.ticker, s.st.conn.Stats)
		defer prog.stop()
	}
	switch kw := firstKeyword(stmt); {
	case kw == "describe" || kw == "desc":
		err = s.describe(ctx, describedTable(stmt))
	case isQuery(stmt):
		err = s.query(ctx, stmt, f, prog)
	default:
		var res sql.Result
		if prog != nil {
			ctx = driver.WithProgress(ctx, func(w driver.WriteProgress) { prog.write.Store(&w) })
		}
		res, err = s.st.db.ExecContext(ctx, stmt)
		if err == nil {
			var n int64
			if n, err = res.RowsAffected(); err == nil {
				if prog != nil {
					prog.stop()
				}
				err = f.affected(n)
			}
		}
	}
	if s.timing {
		if prog != nil {
			prog.stop()
		}
		fmt.Fprintln(s.sys.stderr, costLine(before, s.st.conn.Stats(), s.sys.clock.Now().Sub(start)))
	}
	return err
}

// describedTable is the table DESCRIBE (or DESC) names: the word after the keyword.
func describedTable(stmt string) string {
	fields := strings.Fields(stripComments(stmt))
	if len(fields) < 2 {
		return ""
	}
	return fields[1]
}

// query runs a statement that returns rows and streams them to f.
func (s *session) query(ctx context.Context, stmt string, f formatter, prog *progress) error {
	rows, err := s.st.db.QueryContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	// The table is drawn at the end; other formats stream, so the progress line goes first.
	if prog != nil && s.format != "table" {
		prog.stop()
	}
	if err := f.begin(cols); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := f.row(vals); err != nil {
			return err
		}
		n++
		if prog != nil {
			prog.rows.Store(int64(n))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if prog != nil {
		prog.stop()
	}
	return f.end(n)
}

// tableWidth is the width a table is cut to: the terminal's, when stdout is one.
func (s *session) tableWidth() int {
	if !s.sys.stdoutTerminal || s.sys.width == nil {
		return 0
	}
	return s.sys.width()
}

// costLine is \timing's report of one statement: time, requests sent, how many GitHub counted
// against the budget (304s are free), and how many created content.
func costLine(before, after driver.Stats, elapsed time.Duration) string {
	d := driver.Stats{
		Requests:        after.Requests - before.Requests,
		NotModified:     after.NotModified - before.NotModified,
		ContentCreating: after.ContentCreating - before.ContentCreating,
	}
	return fmt.Sprintf("Time: %s, requests: %d (counted %d, content-creating %d)",
		elapsed.Round(time.Microsecond), d.Requests, d.Counted(), d.ContentCreating)
}
