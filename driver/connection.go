package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/ghstore/ghstore/query"
)

// conn is one connection of the pool: a cheap handle onto its Connector, which holds everything
// that costs (HTTP client, caches, store). Its only state is the open transaction.
//
// database/sql never uses a conn from two goroutines at once, so conn has no lock.
type conn struct {
	c      *connector
	tx     *tx
	closed bool
	// ownsConnector: made by Driver.Open, so Close closes the Connector too.
	ownsConnector bool
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

// parse parses one statement, or takes its parse from the Connector's statement cache; parses
// are counted on the Connector.
func (cn *conn) parse(text string) (*query.Statement, error) {
	if st, ok := cn.c.statements.Get(text); ok {
		return st, nil
	}
	cn.c.parses.Add(1)
	st, err := query.Parse(text)
	if err != nil {
		return nil, err
	}
	cn.c.statements.Put(text, st)
	return st, nil
}

func (cn *conn) checkOpen() error {
	if cn.closed {
		return fmt.Errorf("ghstore: connection: %w", ErrClosed)
	}
	if cn.c.closed.Load() {
		return fmt.Errorf("ghstore: connector: %w", ErrClosed)
	}
	return nil
}

// Prepare parses the statement once; every Exec and Query of it binds that parse.
func (cn *conn) Prepare(text string) (driver.Stmt, error) {
	return cn.PrepareContext(context.Background(), text)
}

// PrepareContext is Prepare. Parsing sends no request.
func (cn *conn) PrepareContext(ctx context.Context, text string) (driver.Stmt, error) {
	if err := cn.checkOpen(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := cn.parse(text)
	if err != nil {
		return nil, err
	}
	return &stmt{cn: cn, text: text, st: st}, nil
}

// Close closes the handle. Nothing is held per connection but an open transaction, which
// database/sql has ended before it closes a connection.
func (cn *conn) Close() error {
	if cn.closed {
		return nil
	}
	cn.closed = true
	cn.tx = nil
	if cn.ownsConnector {
		return (&Connector{impl: cn.c}).Close()
	}
	return nil
}

// Begin starts a transaction with default options.
func (cn *conn) Begin() (driver.Tx, error) {
	return cn.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a transaction (DESIGN.md §4): writes are bound at once and buffered, and
// applied in order at Commit; reads see committed state. Only the default isolation level is
// offered, since no other can be given on GitHub; ReadOnly refuses writes.
func (cn *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := cn.checkOpen(); err != nil {
		return nil, err
	}
	if sql.IsolationLevel(opts.Isolation) != sql.LevelDefault {
		return nil, fmt.Errorf("%w; got %s", ErrIsolation, sql.IsolationLevel(opts.Isolation))
	}
	if cn.tx != nil {
		return nil, fmt.Errorf("ghstore: a transaction is already open on this connection")
	}
	cn.tx = &tx{cn: cn, ctx: ctx, readOnly: opts.ReadOnly}
	return cn.tx, nil
}

// QueryContext parses and runs one statement.
func (cn *conn) QueryContext(ctx context.Context, text string, args []driver.NamedValue) (driver.Rows, error) {
	if err := cn.checkOpen(); err != nil {
		return nil, err
	}
	st, err := cn.parse(text)
	if err != nil {
		return nil, err
	}
	return cn.query(ctx, text, st, args)
}

// ExecContext parses and runs one statement.
func (cn *conn) ExecContext(ctx context.Context, text string, args []driver.NamedValue) (driver.Result, error) {
	if err := cn.checkOpen(); err != nil {
		return nil, err
	}
	st, err := cn.parse(text)
	if err != nil {
		return nil, err
	}
	return cn.exec(ctx, text, st, args)
}

// CheckNamedValue accepts the argument types of checkArg.
func (cn *conn) CheckNamedValue(nv *driver.NamedValue) error {
	v, err := checkArg(nv.Value)
	if err != nil {
		return fmt.Errorf("argument %s: %w", argName(nv), err)
	}
	nv.Value = v
	return nil
}

func argName(nv *driver.NamedValue) string {
	if nv.Name != "" {
		return ":" + nv.Name
	}
	return fmt.Sprintf("$%d", nv.Ordinal)
}

// Ping checks, once per Connector, that the repository exists, the token can see it and its
// Issues are enabled (GET /repos/{owner}/{repo}).
func (cn *conn) Ping(ctx context.Context) error {
	if err := cn.checkOpen(); err != nil {
		return err
	}
	return cn.c.ping(ctx)
}

// ResetSession readies the connection for reuse. A connection holds nothing to reset; one of a
// closed Connector is bad (and, holding no write, may be dropped safely).
func (cn *conn) ResetSession(ctx context.Context) error {
	if cn.closed || cn.c.closed.Load() {
		return driver.ErrBadConn
	}
	cn.tx = nil
	return nil
}

// IsValid reports whether the connection may go back to the pool.
func (cn *conn) IsValid() bool { return !cn.closed && !cn.c.closed.Load() }

// bind turns database/sql's arguments into query's and binds them.
func bind(st *query.Statement, args []driver.NamedValue) (*query.Plan, error) {
	qargs := make([]query.Arg, len(args))
	for i, a := range args {
		qargs[i] = query.Arg{Name: a.Name, Ordinal: a.Ordinal, Value: a.Value}
	}
	return st.Bind(qargs)
}

// isWrite reports whether the plan changes anything when run (EXPLAIN never does).
func isWrite(p *query.Plan) bool { return p.Kind() != query.Select && !p.Explain() }

// exec runs or, inside a transaction, buffers a statement.
func (cn *conn) exec(ctx context.Context, text string, st *query.Statement, args []driver.NamedValue) (driver.Result, error) {
	plan, err := bind(st, args)
	if err != nil {
		return nil, err
	}
	if cn.tx != nil && isWrite(plan) {
		if err := cn.tx.buffer(text, plan); err != nil {
			return nil, err
		}
		return bufferedResult{}, nil
	}
	if !isWrite(plan) {
		// A SELECT through Exec: run it (a scan still refreshes EXPLAIN's figures) and drop rows.
		rows, err := cn.c.rowsOf(ctx, plan)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return driver.RowsAffected(0), drain(rows)
	}
	ctx, cancel := cn.c.statementContext(ctx)
	defer cancel()
	return cn.c.execPlan(ctx, plan)
}

// query runs a statement for its rows; a write through Query runs (or is buffered) and gives
// no rows.
func (cn *conn) query(ctx context.Context, text string, st *query.Statement, args []driver.NamedValue) (driver.Rows, error) {
	plan, err := bind(st, args)
	if err != nil {
		return nil, err
	}
	if isWrite(plan) {
		if cn.tx != nil {
			if err := cn.tx.buffer(text, plan); err != nil {
				return nil, err
			}
			return &staticRows{}, nil
		}
		ctx, cancel := cn.c.statementContext(ctx)
		defer cancel()
		if _, err := cn.c.execPlan(ctx, plan); err != nil {
			return nil, err
		}
		return &staticRows{}, nil
	}
	return cn.c.rowsOf(ctx, plan)
}
