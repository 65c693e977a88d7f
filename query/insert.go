package query

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/xwb1989/sqlparser"
)

// insertSpec is a compiled INSERT: its columns, its rows of expressions, and the assignments
// of ON DUPLICATE KEY UPDATE.
type insertSpec struct {
	cols   []insertCol
	idCol  int
	rows   [][]expr
	upsert bool
	onDup  []assignment
}

// insertCol is an INSERT column: id, data, or a path into data (a dotted name nests).
type insertCol struct {
	name string
	col  column // colID, colData, or 0 for a path
	path *jsonPath
}

func (st *statement) compileInsert(x *sqlparser.Insert) error {
	st.kind = Insert
	if x.Action != sqlparser.InsertStr {
		return unsupportedAt(st.src, findWord(st.src, st.toks, x.Action, 0), "%s is not supported (use INSERT … ON DUPLICATE KEY UPDATE)", strings.ToUpper(x.Action))
	}
	if x.Ignore != "" {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "ignore", 0), "INSERT IGNORE is not supported")
	}
	if len(x.Partitions) > 0 {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "partition", 0), "PARTITION is not supported")
	}
	table, err := st.checkTable(x.Table)
	if err != nil {
		return err
	}
	if err := st.writable(table); err != nil {
		return err
	}
	st.table = table
	ins := &insertSpec{idCol: -1}
	st.ins = ins
	names := []string{"id", "data"}
	if len(x.Columns) > 0 {
		names = names[:0]
		for _, c := range x.Columns {
			names = append(names, c.String())
		}
	}
	seen := map[string]bool{}
	for i, name := range names {
		pos := findIdent(st.src, st.toks, name)
		if seen[strings.ToLower(name)] {
			return syntaxAt(st.src, pos, "column %s is listed twice", name)
		}
		seen[strings.ToLower(name)] = true
		ic := insertCol{name: name}
		if col, ok := lookupColumn(Objects, name); ok {
			switch col {
			case colID:
				ins.idCol = i
			case colData:
			default:
				return unsupportedAt(st.src, pos, "column %s is read-only (the writable columns are id and data)", columnNames[col])
			}
			ic.col = col
		} else {
			p, err := namePath(name)
			if err != nil {
				return errorAt(st.src, pos, "%v", err)
			}
			ic.path = p
		}
		ins.cols = append(ins.cols, ic)
	}
	if ins.idCol < 0 {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "into", 0), "INSERT needs the id column")
	}
	values, ok := x.Rows.(sqlparser.Values)
	if !ok {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "select", 0), "INSERT … SELECT is not supported")
	}
	vc := st.compiler(table, "")
	vc.noColumns, vc.aggWhat = true, "VALUES"
	for r, tuple := range values {
		if len(tuple) != len(ins.cols) {
			return syntaxAt(st.src, findWord(st.src, st.toks, "values", 0), "row %d has %d values for %d columns", r+1, len(tuple), len(ins.cols))
		}
		row := make([]expr, len(tuple))
		for i, y := range tuple {
			if row[i], err = vc.compile(y, 0); err != nil {
				return err
			}
		}
		ins.rows = append(ins.rows, row)
	}
	if len(x.OnDup) > 0 {
		ins.upsert = true
		c := st.compiler(table, "")
		c.offered = true
		if ins.onDup, err = st.compileAssignments(c, sqlparser.UpdateExprs(x.OnDup), "ON DUPLICATE KEY UPDATE"); err != nil {
			return err
		}
	}
	return nil
}

// buildRows evaluates INSERT's rows with the arguments bound.
func (ins *insertSpec) buildRows(args []value) ([]Row, error) {
	e := &env{args: args}
	rows := make([]Row, 0, len(ins.rows))
	for r, exprs := range ins.rows {
		vals := make([]value, len(exprs))
		for i, x := range exprs {
			v, err := x.eval(e)
			if err != nil {
				return nil, fmt.Errorf("row %d, column %s: %w", r+1, ins.cols[i].name, err)
			}
			vals[i] = v
		}
		var row Row
		idv := vals[ins.idCol]
		switch idv.k {
		case kString:
			row.ID = idv.s
		case kInt:
			row.ID = strconv.FormatInt(idv.i, 10)
		case kNull:
			return nil, &Error{Msg: fmt.Sprintf("row %d: id is NULL", r+1)}
		default:
			return nil, &Error{Msg: fmt.Sprintf("row %d: id must be a string, got %s", r+1, idv.text())}
		}
		doc := "{}"
		for i, c := range ins.cols {
			if c.col != colData {
				continue
			}
			text, err := vals[i].jsonText(true)
			if err != nil {
				return nil, fmt.Errorf("row %d, column data: %w", r+1, err)
			}
			if !gjson.Parse(text).IsObject() || !jsonValid(text) {
				return nil, &Error{Msg: fmt.Sprintf("row %d (id %q): data must be a JSON object, got %s", r+1, row.ID, describe(vals[i], text))}
			}
			doc = text
		}
		for i, c := range ins.cols {
			if c.path == nil {
				continue
			}
			text, err := vals[i].jsonText(false)
			if err != nil {
				return nil, fmt.Errorf("row %d, column %s: %w", r+1, c.name, err)
			}
			doc = setPath(doc, c.path.steps, text, setNested)
		}
		row.Data = []byte(doc)
		rows = append(rows, row)
	}
	return rows, nil
}
