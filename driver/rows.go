package driver

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"io"
	"iter"
	"reflect"
	"time"

	"github.com/ghstore/ghstore/query"
)

// rows streams a SELECT: each Next pulls one row from the plan, which pulls records from the
// store only as it needs them (the first row comes after the first page; LIMIT stops the
// paging). Close stops the pull, which ends the store's iteration and its requests, and cancels
// the statement's context.
type rows struct {
	cols   []query.Column
	table  query.Table
	next   func() ([]any, error, bool)
	stop   func()
	cancel context.CancelFunc
	closed bool
}

var (
	_ driver.Rows                           = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
)

func newRows(cols []query.Column, table query.Table, seq iter.Seq2[[]any, error], cancel context.CancelFunc) *rows {
	next, stop := iter.Pull2(seq)
	return &rows{cols: cols, table: table, next: next, stop: stop, cancel: cancel}
}

func (r *rows) Columns() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = c.Name
	}
	return names
}

// Close ends the iteration; it is safe to call twice.
func (r *rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.stop()
	r.cancel()
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.closed {
		return io.EOF
	}
	row, err, ok := r.next()
	if !ok {
		return io.EOF
	}
	if err != nil {
		return err
	}
	for i := range dest {
		if i >= len(row) {
			dest[i] = nil
			continue
		}
		v, err := driverValue(row[i])
		if err != nil {
			return err
		}
		dest[i] = v
	}
	return nil
}

// ColumnTypeDatabaseTypeName is query's type of the column: TEXT, JSON, INTEGER, REAL, BOOLEAN,
// TIMESTAMP, or "" when the type depends on the data (a path into data, say).
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.cols[i].Type }

var (
	typeString = reflect.TypeFor[string]()
	typeInt64  = reflect.TypeFor[int64]()
	typeFloat  = reflect.TypeFor[float64]()
	typeBool   = reflect.TypeFor[bool]()
	typeTime   = reflect.TypeFor[time.Time]()
	typeAny    = reflect.TypeFor[any]()
	typeJSON   = reflect.TypeFor[json.RawMessage]()
)

// ColumnTypeScanType is the Go type the column's values have (any when it depends on the data).
func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	switch r.cols[i].Type {
	case "TEXT":
		return typeString
	case "JSON":
		return typeJSON
	case "INTEGER":
		return typeInt64
	case "REAL":
		return typeFloat
	case "BOOLEAN":
		return typeBool
	case "TIMESTAMP":
		return typeTime
	}
	return typeAny
}

// tableColumns are the columns of each table that are never NULL, with their types.
var tableColumns = map[query.Table]map[string]string{
	query.Objects: {"id": "TEXT", "data": "JSON", "issue": "INTEGER", "version": "INTEGER", "pending": "INTEGER", "created_at": "TIMESTAMP", "updated_at": "TIMESTAMP"},
	query.History: {"id": "TEXT", "seq": "INTEGER", "kind": "TEXT", "author": "TEXT", "trusted": "BOOLEAN", "processed": "BOOLEAN", "created_at": "TIMESTAMP", "comment_id": "INTEGER"},
}

// ColumnTypeNullable: a column of the table itself (named and typed as it) is never NULL;
// anything computed (a path into data, an aggregate, an expression) may be.
func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	c := r.cols[i]
	if t, found := tableColumns[r.table][c.Name]; found && t == c.Type {
		return false, true
	}
	return true, true
}

// staticRows are rows known in full: EXPLAIN's, and the none of a write run through Query.
type staticRows struct {
	cols []string
	data [][]any
	i    int
}

func (r *staticRows) Columns() []string { return r.cols }
func (r *staticRows) Close() error      { return nil }
func (r *staticRows) Next(dest []driver.Value) error {
	if r.i >= len(r.data) {
		return io.EOF
	}
	row := r.data[r.i]
	r.i++
	for i := range dest {
		dest[i] = nil
		if i < len(row) {
			v, err := driverValue(row[i])
			if err != nil {
				return err
			}
			dest[i] = v
		}
	}
	return nil
}

// drain reads rows to their end.
func drain(r driver.Rows) error {
	dest := make([]driver.Value, len(r.Columns()))
	for {
		if err := r.Next(dest); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
