package benchmarks

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// The statements the tests and benchmarks run, one per operation of DESIGN.md §6.
const (
	sqlGet    = `SELECT id, data FROM objects WHERE id = ?`
	sqlInsert = `INSERT INTO objects (id, data) VALUES (?, ?)`
	sqlUpdate = `UPDATE objects SET data = JSON_SET(data, '$.score', ?) WHERE id = ?`
	sqlDelete = `DELETE FROM objects WHERE id = ?`
	// sqlScan evaluates a JSON predicate over every object.
	sqlScan = `SELECT id, data->>'$.user.name' FROM objects WHERE data->>'$.score' >= 90`
	// sqlTop orders every object and keeps ten.
	sqlTop = `SELECT id, data->>'$.score' AS score FROM objects ORDER BY data->>'$.score' DESC, id LIMIT 10`
)

// sqlIDIn is a point lookup of ids: `SELECT id, data FROM objects WHERE id IN (?, …)`.
func sqlIDIn(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.Repeat("?, ", len(ids))
	return `SELECT id, data FROM objects WHERE id IN (` + strings.TrimSuffix(marks, ", ") + `)`, args
}

// ids names objects from..from+n-1.
func ids(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = objectID(from + i)
	}
	return out
}

// rowsOf runs a query, reads every row and returns how many there were.
func rowsOf(tb testing.TB, db *sql.DB, q string, args ...any) int {
	tb.Helper()
	rows, err := db.QueryContext(context.Background(), q, args...)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		tb.Fatal(err)
	}
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(any)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

// exec runs a write and returns RowsAffected.
func exec(tb testing.TB, db *sql.DB, q string, args ...any) int64 {
	tb.Helper()
	res, err := db.ExecContext(context.Background(), q, args...)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
