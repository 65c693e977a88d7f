// Package query is ghstore's SQL dialect (DESIGN.md §4): it parses a statement with
// github.com/xwb1989/sqlparser into a validated Statement, binds its placeholders into a Plan, and
// evaluates the plan's expressions over JSON documents with gjson and sjson.
//
// It does no I/O and knows nothing of GitHub: a Plan says what to fetch (point lookups by id, or a
// scan) and how to filter, group, order, limit and project what it is given, and what to write.
//
// Invariants:
//   - Parse never panics and never lets MySQL's executable comments (/*! … */) through; every
//     construct outside the dialect is an error naming it and its position.
//   - A bound argument is only ever a value: no argument can change the statement.
//   - JSON keeps its key order and its raw numbers (2^53+1 stays exact).
//   - A statement is at most 256 KiB and an expression nests at most 128 levels; both are
//     checked before anything walks the parsed tree recursively.
//   - A Statement is immutable after Parse (safe for concurrent Bind); the package holds no
//     mutable state.
//
// Semantics follow MySQL 8.0 where it has them (JSON comparison and ordering, three-valued
// NULL logic, JSON_* functions, LIKE), with DESIGN.md §4's deviations: strings and LIKE are
// case-sensitive except on the id column (ids are GitHub labels, case-insensitive); ->> and
// bare names give typed scalars (bool, int64, float64), not text; a number compared with a
// string compares numerically only when the string is a number.
package query

import (
	"iter"
	"time"
)

// Kind is a statement's kind.
type Kind int

const (
	Select Kind = iota + 1
	Insert
	Update
	Delete
)

// Table is one of the two tables.
type Table string

const (
	Objects Table = "objects"
	History Table = "history"
)

// Statement is a parsed, validated statement whose placeholders are not yet bound. It is safe
// for concurrent use: prepare once, Bind many times.
type Statement struct {
	impl *statement
}

// Parse parses one statement (an optional trailing ';' is allowed). Placeholders may be `?`,
// `:name` or `$N` (rewritten before parsing, outside string literals).
func Parse(sql string) (*Statement, error) {
	st, err := parse(sql)
	if err != nil {
		return nil, err
	}
	return &Statement{impl: st}, nil
}

// Kind, Table and Explain describe the statement.
func (s *Statement) Kind() Kind    { return s.impl.kind }
func (s *Statement) Table() Table  { return s.impl.table }
func (s *Statement) Explain() bool { return s.impl.explain }

// NumInput is the number of placeholders to bind (a `:name` or `$N` used twice counts once).
func (s *Statement) NumInput() int { return s.impl.ph.slots }

// Arg is one bound value: by position (Ordinal, from 1) or by Name (for `:name`), as
// database/sql/driver.NamedValue carries it. Value is nil, int64, float64, bool, string, []byte,
// time.Time or json.RawMessage ([]byte that is JSON text).
type Arg struct {
	Name    string
	Ordinal int
	Value   any
}

// Bind binds args and returns a Plan. A wrong count or an unknown name is an error.
func (s *Statement) Bind(args []Arg) (*Plan, error) {
	p, err := s.impl.bind(args)
	if err != nil {
		return nil, err
	}
	return &Plan{impl: p}, nil
}

// Plan is a bound statement, ready to run. It is not safe for concurrent use.
type Plan struct {
	impl *plan
}

// Kind, Table and Explain describe the plan's statement.
func (p *Plan) Kind() Kind    { return p.impl.st.kind }
func (p *Plan) Table() Table  { return p.impl.st.table }
func (p *Plan) Explain() bool { return p.impl.st.explain }

// Access is what a statement needs fetched.
type Access struct {
	// IDs are point lookups, deduplicated case-insensitively, in order of first appearance
	// (`id = x`, `id IN (…)`, and OR of those). Empty with Scan.
	IDs []string
	// Scan: every object must be read and the predicate evaluated locally.
	Scan bool
}

// Requests (access.go) is the number of requests the access costs for a store of m objects, open
// of which are open (their pending comments are listed): len(IDs) for point lookups (or the scan
// when that is cheaper), ceil(m/100)+open for a scan (at least one listing request, even for
// an empty store).
//
// String (access.go) names the access path, e.g. "point lookup of 2 ids" or "scan".

// Access says what to fetch for SELECT, UPDATE and DELETE. For INSERT … ON DUPLICATE KEY UPDATE
// it lists the offered ids.
func (p *Plan) Access() Access { return p.impl.access }

// Column is one result column: its name (the alias, else the expression as written) and its
// database type name: "TEXT", "JSON", "INTEGER", "REAL", "BOOLEAN", "TIMESTAMP", or "" when the
// type depends on the data.
type Column struct {
	Name string
	Type string
}

// Columns are a SELECT's result columns.
func (p *Plan) Columns() []Column {
	sel := p.impl.st.sel
	if sel == nil {
		return nil
	}
	cols := make([]Column, len(sel.items))
	for i, it := range sel.items {
		cols[i] = Column{Name: it.name, Type: it.typ}
	}
	return cols
}

// Record is one row of a table before filtering and projection. Objects fill ID, Data, Issue,
// Version, Pending, CreatedAt, UpdatedAt; history rows fill ID, Seq, Kind, Data (the patch),
// Author, Trusted, Applied, Processed, CreatedAt, CommentID.
type Record struct {
	ID        string
	Data      []byte // JSON text
	Issue     int64
	Version   int64
	Pending   int64
	CreatedAt time.Time
	UpdatedAt time.Time

	Seq       int64
	Kind      string
	Author    string
	Trusted   bool
	Applied   bool // folded into the object's data (false: untrusted or superseded)
	Processed bool
	CommentID int64

	// Source is what the caller made the record from, handed back untouched with the records
	// Filter keeps; query never reads it.
	Source any
}

// Select runs a SELECT over records: WHERE, GROUP BY and aggregates, ORDER BY, OFFSET/LIMIT,
// then projection. Each result row holds Go values of DESIGN.md §4's types: nil, int64, float64,
// bool, string, []byte (JSON text) and time.Time. Without ORDER BY or aggregates it streams:
// it pulls a record only when the next row is wanted and stops pulling once LIMIT is met.
func (p *Plan) Select(records iter.Seq2[*Record, error]) iter.Seq2[[]any, error] {
	return p.impl.runSelect(records)
}

// Filter yields the records that satisfy the WHERE clause (all when there is none), pulling
// records only as it is pulled, and stops at the first error.
func (p *Plan) Filter(records iter.Seq2[*Record, error]) iter.Seq2[*Record, error] {
	return p.impl.filter(records, &env{args: p.impl.args})
}

// Match reports whether rec satisfies the WHERE clause (true when there is none).
func (p *Plan) Match(rec *Record) (bool, error) {
	e := &env{args: p.impl.args}
	e.setRecord(rec)
	return p.impl.matches(e)
}

// Assign computes rec's new data under UPDATE's SET list. The result is a JSON object that keeps
// rec.Data's key order.
func (p *Plan) Assign(rec *Record) ([]byte, error) {
	if p.impl.st.kind != Update {
		return nil, &Error{Msg: "Assign on a " + p.impl.st.kindName() + " statement"}
	}
	e := &env{args: p.impl.args}
	e.setRecord(rec)
	return apply(e, p.impl.st.upd, "UPDATE")
}

// Row is one row an INSERT offers.
type Row struct {
	ID   string
	Data []byte // a JSON object
}

// Rows are INSERT's rows, in order. Columns other than id/data build Data (a dotted name nests).
func (p *Plan) Rows() ([]Row, error) {
	if p.impl.st.kind != Insert {
		return nil, &Error{Msg: "Rows on a " + p.impl.st.kindName() + " statement"}
	}
	return p.impl.rows, nil
}

// Upsert reports whether the INSERT has ON DUPLICATE KEY UPDATE.
func (p *Plan) Upsert() bool { return p.impl.st.ins != nil && p.impl.st.ins.upsert }

// AssignDuplicate computes the new data of an existing object under ON DUPLICATE KEY UPDATE,
// VALUES(col) naming the offered row.
func (p *Plan) AssignDuplicate(existing *Record, offered Row) ([]byte, error) {
	if !p.Upsert() {
		return nil, &Error{Msg: "AssignDuplicate on a statement without ON DUPLICATE KEY UPDATE"}
	}
	e := &env{args: p.impl.args, offered: &offered}
	e.setRecord(existing)
	return apply(e, p.impl.st.ins.onDup, "ON DUPLICATE KEY UPDATE")
}

// ExplainRows describes the plan for EXPLAIN, for a store of m objects of which open are open,
// with no pacing (see ExplainWith).
func (p *Plan) ExplainRows(m, open int) (columns []string, rows [][]any) {
	return p.impl.explainRows(Estimate{Scanned: m > 0, Objects: m, Open: open})
}

// ExplainWith describes the plan for EXPLAIN under e: its access path, the most requests it
// sends and how many create content, the least wall time e's pacing allows, and what it does
// locally (see Cost).
func (p *Plan) ExplainWith(e Estimate) (columns []string, rows [][]any) {
	return p.impl.explainRows(e)
}
