package query

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// maxStatementLen caps a statement's length: 256 KiB holds an INSERT of several objects of the
// 64 KiB GitHub allows, written as literals.
const maxStatementLen = 256 << 10

// statement is a parsed, validated statement. It is immutable after parse.
type statement struct {
	src     string // as given (with $N as written)
	toks    []token
	kind    Kind
	table   Table
	explain bool
	ph      placeholders

	where  expr
	access accessSpec

	sel *selectSpec
	ins *insertSpec
	upd []assignment // UPDATE's SET list
}

func parse(src string) (st *statement, err error) {
	if len(src) > maxStatementLen {
		return nil, &Error{Kind: ErrSyntax, Msg: fmt.Sprintf("statement is %d bytes, longer than the %d allowed", len(src), maxStatementLen)}
	}
	toks, issue := scan(src)
	if issue != nil {
		e := &Error{Kind: issue.kind, Msg: issue.msg}
		e.setPos(src, issue.offset)
		return nil, e
	}
	depth := 0
	for _, t := range toks {
		switch t.text(src) {
		case "(":
			depth++
			if depth > maxDepth {
				return nil, syntaxAt(src, t.start, "expression nested deeper than %d levels", maxDepth)
			}
		case ")":
			depth--
		}
	}
	rewritten := []byte(src)
	st = &statement{src: src, toks: toks}
	// EXPLAIN <stmt>: blank the keyword out, keeping every offset.
	if len(toks) > 0 && toks[0].kind == tokWord && strings.EqualFold(toks[0].text(src), "explain") {
		st.explain = true
		for i := toks[0].start; i < toks[0].end; i++ {
			rewritten[i] = ' '
		}
		st.toks = toks[1:]
	}
	if st.ph, err = inventory(src, toks, rewritten); err != nil {
		return nil, err
	}
	text, inserted := keepLikeEscapes(src, toks, rewritten)
	ast, err := parseSQL(text)
	if err != nil {
		if e, ok := err.(*Error); ok && e.posInMsg && len(inserted) > 0 {
			e.mapPosition(inserted)
		}
		return nil, err
	}
	switch x := ast.(type) {
	case *sqlparser.Select:
		err = st.compileSelect(x)
	case *sqlparser.Insert:
		err = st.compileInsert(x)
	case *sqlparser.Update:
		err = st.compileUpdate(x)
	case *sqlparser.Delete:
		err = st.compileDelete(x)
	default:
		return nil, st.unsupportedStatement(ast)
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// keepLikeEscapes doubles the backslash of \% and \_ inside string literals: MySQL keeps those
// two escapes as written (so LIKE '50\%' matches "50%" only), which sqlparser's decoding would
// lose. It returns the text for sqlparser and the offsets (in that text) of the inserted bytes.
func keepLikeEscapes(src string, toks []token, rewritten []byte) (string, []int) {
	var out []byte
	var inserted []int
	last := 0
	for _, t := range toks {
		if t.kind != tokString {
			continue
		}
		for i := t.start + 1; i < t.end-1; i++ {
			if rewritten[i] != '\\' {
				continue
			}
			if c := rewritten[i+1]; c == '%' || c == '_' {
				out = append(out, rewritten[last:i]...)
				inserted = append(inserted, len(out))
				out = append(out, '\\')
				last = i
			}
			i++
		}
	}
	if inserted == nil {
		return string(rewritten), nil
	}
	out = append(out, rewritten[last:]...)
	return string(out), inserted
}

// mapPosition turns a position sqlparser reported in the text with inserted bytes back into
// a position in the statement as written.
func (e *Error) mapPosition(inserted []int) {
	n := e.Pos
	for _, off := range inserted {
		if off < e.Pos-1 {
			n--
		}
	}
	e.Msg = sqlparserPosition.ReplaceAllString(e.Msg, "at position "+strconv.Itoa(n))
	e.Pos = n
}

// parseSQL runs sqlparser, turning its panics into syntax errors.
func parseSQL(sql string) (ast sqlparser.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			ast, err = nil, &Error{Kind: ErrSyntax, Msg: fmt.Sprintf("syntax error (the parser failed: %v)", r)}
		}
	}()
	ast, err = sqlparser.ParseStrictDDL(sql)
	if err != nil {
		return nil, fromParser(err)
	}
	if ast == nil {
		return nil, &Error{Kind: ErrSyntax, Msg: "empty statement"}
	}
	return ast, nil
}

// unsupportedStatement names a statement kind outside the dialect by its first word.
func (st *statement) unsupportedStatement(ast sqlparser.Statement) error {
	word, pos := "", -1
	if len(st.toks) > 0 {
		word, pos = strings.ToUpper(st.toks[0].text(st.src)), st.toks[0].start
	}
	switch x := ast.(type) {
	case *sqlparser.Union:
		pos = findWord(st.src, st.toks, "union", 0)
		return unsupportedAt(st.src, pos, "UNION is not supported")
	case *sqlparser.ParenSelect:
		return unsupportedAt(st.src, pos, "parenthesized SELECT is not supported")
	case *sqlparser.DDL:
		return unsupportedAt(st.src, pos, "%s (DDL) is not supported", strings.ToUpper(x.Action))
	case *sqlparser.OtherRead:
		return unsupportedAt(st.src, pos, "%s is not supported (EXPLAIN takes a SELECT, INSERT, UPDATE or DELETE)", word)
	}
	if word == "" {
		word = fmt.Sprintf("%T", ast)
	}
	return unsupportedAt(st.src, pos, "%s statement is not supported", word)
}

// tableOf checks a statement's FROM/INTO/UPDATE target: one table, objects or history.
func (st *statement) tableOf(exprs sqlparser.TableExprs, what string) (Table, string, error) {
	if len(exprs) != 1 {
		pos := -1
		if len(exprs) > 1 {
			pos = findText(st.src, st.toks, ",")
		}
		return "", "", unsupportedAt(st.src, pos, "%s: more than one table (a join) is not supported", what)
	}
	switch t := exprs[0].(type) {
	case *sqlparser.JoinTableExpr:
		return "", "", unsupportedAt(st.src, findWord(st.src, st.toks, "join", 0), "JOIN is not supported")
	case *sqlparser.ParenTableExpr:
		return "", "", unsupportedAt(st.src, -1, "parenthesized table expression is not supported")
	case *sqlparser.AliasedTableExpr:
		if len(t.Partitions) > 0 {
			return "", "", unsupportedAt(st.src, findWord(st.src, st.toks, "partition", 0), "PARTITION is not supported")
		}
		if t.Hints != nil {
			return "", "", unsupportedAt(st.src, findWord(st.src, st.toks, "index", 0), "index hints are not supported")
		}
		switch name := t.Expr.(type) {
		case sqlparser.TableName:
			table, err := st.checkTable(name)
			return table, t.As.String(), err
		case *sqlparser.Subquery:
			return "", "", unsupportedAt(st.src, findSubquery(st.src, st.toks), "subquery in FROM is not supported")
		}
	}
	return "", "", unsupportedAt(st.src, -1, "%s: unsupported table expression", what)
}

func (st *statement) checkTable(name sqlparser.TableName) (Table, error) {
	n := name.Name.String()
	pos := findIdent(st.src, st.toks, n)
	if !name.Qualifier.IsEmpty() {
		return "", unsupportedAt(st.src, findIdent(st.src, st.toks, name.Qualifier.String()),
			"database-qualified table %s is not supported", sqlparser.String(name))
	}
	switch strings.ToLower(n) {
	case "objects":
		return Objects, nil
	case "history":
		return History, nil
	case "dual", "":
		return "", unsupportedAt(st.src, pos, "a statement needs a table: FROM objects or FROM history")
	}
	return "", unsupportedAt(st.src, pos, "table %s does not exist (the tables are objects and history)", n)
}

func (st *statement) compiler(table Table, alias string) *compiler {
	return &compiler{src: st.src, toks: st.toks, table: table, alias: alias, ph: &st.ph}
}

// compileWhere compiles a WHERE clause and its access path.
func (st *statement) compileWhere(c *compiler, w *sqlparser.Where) error {
	if w == nil || w.Expr == nil {
		st.access = accessSpec{scan: true}
		return nil
	}
	c.aggs, c.aggWhat = nil, "WHERE"
	x, err := c.compile(w.Expr, 0)
	if err != nil {
		return err
	}
	st.where = x
	st.access, err = analyzeAccess(c, w.Expr)
	return err
}

func (st *statement) rejectOrderLimit(orderBy sqlparser.OrderBy, limit *sqlparser.Limit, what string) error {
	if len(orderBy) > 0 {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "order", 0), "ORDER BY in %s is not supported", what)
	}
	if limit != nil {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "limit", 0), "LIMIT in %s is not supported", what)
	}
	return nil
}

func (st *statement) compileDelete(x *sqlparser.Delete) error {
	st.kind = Delete
	if len(x.Targets) > 0 {
		return unsupportedAt(st.src, -1, "multi-table DELETE is not supported")
	}
	if len(x.Partitions) > 0 {
		return unsupportedAt(st.src, findWord(st.src, st.toks, "partition", 0), "PARTITION is not supported")
	}
	table, alias, err := st.tableOf(x.TableExprs, "DELETE")
	if err != nil {
		return err
	}
	if err := st.writable(table); err != nil {
		return err
	}
	st.table = table
	if err := st.rejectOrderLimit(x.OrderBy, x.Limit, "DELETE"); err != nil {
		return err
	}
	return st.compileWhere(st.compiler(table, alias), x.Where)
}

func (st *statement) writable(t Table) error {
	if t != Objects {
		return unsupportedAt(st.src, findIdent(st.src, st.toks, string(t)), "table %s is read-only (only objects is writable)", t)
	}
	return nil
}
