package main

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/tidwall/gjson"
)

// describe is \d TABLE and DESCRIBE TABLE: the table's columns and their types, and for objects
// also every JSON path the objects' data holds, with its JSON type and how many objects have it
// (one scan), so that a typo'd path, which reads NULL everywhere, is easy to spot. Without a
// table it lists the two tables.
func (s *session) describe(ctx context.Context, table string) error {
	f, err := newFormatter(s.format, s.sys.stdout, s.tableWidth())
	if err != nil {
		return err
	}
	table = strings.ToLower(strings.Trim(strings.TrimSpace(table), "`;"))
	if table == "" {
		return writeRows(f, []string{"table", "what"}, [][]any{
			{"objects", "the live objects: id, data (JSON) and their issue's figures"},
			{"history", "every object's log: one row per change"},
		})
	}
	if table != "objects" && table != "history" {
		return fmt.Errorf("no table %q: the tables are objects and history", table)
	}
	// No object can have the id NULL: this reads nothing, and gives the columns.
	stmt := "SELECT * FROM " + table + " WHERE id = NULL"
	if table == "objects" {
		stmt = "SELECT * FROM objects"
	}
	rows, err := s.st.db.QueryContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	paths := newPathCensus()
	n := 0
	if table == "objects" {
		dataCol := -1
		for i, ct := range types {
			if ct.Name() == "data" {
				dataCol = i
			}
		}
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			n++
			if dataCol >= 0 {
				if b, ok := vals[dataCol].([]byte); ok {
					paths.add(gjson.ParseBytes(b))
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var out [][]any
	for _, ct := range types {
		var count any
		if table == "objects" {
			count = int64(n)
		}
		out = append(out, []any{ct.Name(), ct.DatabaseTypeName(), count})
	}
	for _, p := range paths.sorted() {
		out = append(out, []any{p.path, p.typ, int64(p.objects)})
	}
	return writeRows(f, []string{"column", "type", "objects"}, out)
}

// writeRows writes a whole result through f.
func writeRows(f formatter, cols []string, rows [][]any) error {
	if err := f.begin(cols); err != nil {
		return err
	}
	for _, r := range rows {
		if err := f.row(r); err != nil {
			return err
		}
	}
	return f.end(len(rows))
}

// pathCensus counts, for each JSON path and type, how many objects have it.
type pathCensus struct {
	counts map[pathType]int
}

// pathType is a JSON path in the dialect's syntax ($.a.b, $.tags[*]) and a JSON type.
type pathType struct{ path, typ string }

// censusRow is one path and type with its count.
type censusRow struct {
	pathType
	objects int
}

func newPathCensus() *pathCensus { return &pathCensus{counts: map[pathType]int{}} }

// add counts the paths of one object's data (each path and type once per object).
func (c *pathCensus) add(data gjson.Result) {
	seen := map[pathType]bool{}
	var walk func(path string, v gjson.Result, depth int)
	walk = func(path string, v gjson.Result, depth int) {
		if depth > 0 {
			seen[pathType{path, jsonType(v)}] = true
		}
		if depth >= 32 {
			return
		}
		switch {
		case v.IsObject():
			v.ForEach(func(k, child gjson.Result) bool {
				walk(path+"."+pathKey(k.String()), child, depth+1)
				return true
			})
		case v.IsArray():
			v.ForEach(func(_, child gjson.Result) bool {
				walk(path+"[*]", child, depth+1)
				return true
			})
		}
	}
	walk("$", data, 0)
	for pt := range seen {
		c.counts[pt]++
	}
}

// sorted is the census by path, then type.
func (c *pathCensus) sorted() []censusRow {
	out := make([]censusRow, 0, len(c.counts))
	for pt, n := range c.counts {
		out = append(out, censusRow{pt, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return out[i].typ < out[j].typ
	})
	return out
}

// plainKey is a key a path can name as it is.
var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// pathKey is an object key as a path step: as it is, or double-quoted.
func pathKey(k string) string {
	if plainKey.MatchString(k) {
		return k
	}
	return `"` + strings.ReplaceAll(strings.ReplaceAll(k, `\`, `\\`), `"`, `\"`) + `"`
}

// jsonType is v's JSON type as JSON_TYPE names it, in lower case.
func jsonType(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return "string"
	case gjson.Number:
		if strings.ContainsAny(v.Raw, ".eE") {
			return "double"
		}
		return "integer"
	case gjson.True, gjson.False:
		return "boolean"
	case gjson.Null:
		return "null"
	}
	if v.IsArray() {
		return "array"
	}
	return "object"
}
