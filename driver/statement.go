package driver

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/ghstore/ghstore/query"
)

// stmt is a prepared statement: one parse, bound afresh by every Exec and Query. The parsed
// query.Statement is safe for concurrent use, but database/sql uses a stmt on its own conn only.
type stmt struct {
	cn     *conn
	text   string
	st     *query.Statement
	closed bool
}

var (
	_ driver.Stmt             = (*stmt)(nil)
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

// Close drops the parse; a prepared statement holds nothing else.
func (s *stmt) Close() error {
	s.closed = true
	return nil
}

// NumInput is the number of distinct placeholders (a `:name` or `$N` used twice counts once),
// which database/sql checks the arguments against.
func (s *stmt) NumInput() int { return s.st.NumInput() }

func (s *stmt) checkOpen() error {
	if s.closed {
		return fmt.Errorf("ghstore: statement: %w", ErrClosed)
	}
	return s.cn.checkOpen()
}

// Exec is ExecContext with positional arguments.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), namedValues(args))
}

// Query is QueryContext with positional arguments.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), namedValues(args))
}

// ExecContext binds the parsed statement and runs it (or buffers it in a transaction).
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	return s.cn.exec(ctx, s.text, s.st, args)
}

// QueryContext binds the parsed statement and runs it for its rows.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	return s.cn.query(ctx, s.text, s.st, args)
}

func namedValues(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}
