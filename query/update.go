package query

import (
	"strings"

	"github.com/tidwall/gjson"
	"github.com/xwb1989/sqlparser"
)

// assignment is one `target = expr` of UPDATE's SET list or ON DUPLICATE KEY UPDATE: target is
// the data column (the whole object) or a path into data.
type assignment struct {
	name string
	data bool
	path *jsonPath
	x    expr
}

func (st *statement) compileUpdate(x *sqlparser.Update) error {
	st.kind = Update
	table, alias, err := st.tableOf(x.TableExprs, "UPDATE")
	if err != nil {
		return err
	}
	if err := st.writable(table); err != nil {
		return err
	}
	st.table = table
	if err := st.rejectOrderLimit(x.OrderBy, x.Limit, "UPDATE"); err != nil {
		return err
	}
	c := st.compiler(table, alias)
	if err := st.compileWhere(c, x.Where); err != nil {
		return err
	}
	st.upd, err = st.compileAssignments(c, x.Exprs, "UPDATE")
	return err
}

func (st *statement) compileAssignments(c *compiler, exprs sqlparser.UpdateExprs, what string) ([]assignment, error) {
	c.aggs, c.aggWhat = nil, what
	var out []assignment
	for _, u := range exprs {
		col, p, err := c.resolveName(u.Name)
		if err != nil {
			return nil, err
		}
		name := u.Name.Name.String()
		a := assignment{name: name, path: p}
		switch col {
		case 0:
		case colData:
			a.data = true
		case colID:
			return nil, unsupportedAt(st.src, findIdent(st.src, st.toks, name), "%s cannot change an object's id", what)
		default:
			return nil, unsupportedAt(st.src, findIdent(st.src, st.toks, name), "column %s is read-only (the writable columns are id and data)", columnNames[col])
		}
		if a.x, err = c.compile(u.Expr, 0); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// apply runs assignments in order, left to right, each seeing the data the previous left, and
// returns the new data. Key order is kept: a changed value is replaced where it stands.
func apply(e *env, sets []assignment, what string) ([]byte, error) {
	if !e.hasDoc {
		e.doc, e.hasDoc = "{}", true
	}
	for _, a := range sets {
		v, err := a.x.eval(e)
		if err != nil {
			return nil, err
		}
		if a.data {
			text, err := objectText(v, what)
			if err != nil {
				return nil, err
			}
			e.doc = text
			continue
		}
		text, err := v.jsonText(false)
		if err != nil {
			return nil, err
		}
		e.doc = setPath(e.doc, a.path.steps, text, setNested)
	}
	return []byte(e.doc), nil
}

// objectText is v as the JSON text of a whole object, for `data = v`; anything else is an error.
func objectText(v value, what string) (string, error) {
	text, err := v.jsonText(true)
	if err != nil {
		return "", err
	}
	if !gjson.Parse(text).IsObject() || !jsonValid(text) {
		return "", evalError("%s: data must be a JSON object, got %s", what, describe(v, text))
	}
	return text, nil
}

// checkConstantData checks, at Bind, every `data = x` whose x is a literal or a placeholder: a
// value that is no JSON object is refused before anything is read (DESIGN.md §4: bad JSON, no
// request sent), rather than after the objects were fetched.
func checkConstantData(sets []assignment, args []value, what string) error {
	for _, a := range sets {
		if !a.data {
			continue
		}
		switch a.x.(type) {
		case *litExpr, *paramExpr:
			v, err := a.x.eval(&env{args: args})
			if err != nil {
				return err
			}
			if _, err := objectText(v, what); err != nil {
				return err
			}
		}
	}
	return nil
}

// describe names a value for an error message.
func describe(v value, text string) string {
	if v.isNull() {
		return "NULL"
	}
	r := gjson.Parse(text)
	if v.k == kString && !jsonValid(v.s) {
		return "a string that is not JSON: " + truncate(strings.TrimSpace(v.s), 40)
	}
	return strings.ToLower(jsonTypeName(r)) + " " + truncate(text, 40)
}
