package query

import (
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// selectSpec is a compiled SELECT.
type selectSpec struct {
	items    []selectItem
	distinct bool
	groupBy  []expr
	having   expr
	order    []orderKey
	aggs     []*aggSpec
	grouped  bool
	limit    expr // nil: none
	offset   expr
}

type selectItem struct {
	name, typ string
	x         expr
}

type orderKey struct {
	x    expr
	desc bool
}

func (st *statement) compileSelect(x *sqlparser.Select) error {
	st.kind = Select
	if x.Hints != "" {
		return unsupportedAt(st.src, findWord(st.src, st.toks, strings.TrimSpace(x.Hints), 0), "%s is not supported", strings.ToUpper(strings.TrimSpace(x.Hints)))
	}
	if x.Lock != "" {
		return unsupportedAt(st.src, findWord(st.src, st.toks, strings.Fields(x.Lock)[0], 0), "%s is not supported", strings.ToUpper(strings.TrimSpace(x.Lock)))
	}
	table, alias, err := st.tableOf(x.From, "SELECT")
	if err != nil {
		return err
	}
	st.table = table
	c := st.compiler(table, alias)
	if err := st.compileWhere(c, x.Where); err != nil {
		return err
	}
	sel := &selectSpec{distinct: x.Distinct != ""}
	st.sel = sel
	c.aggs, c.aggWhat = &sel.aggs, "SELECT"
	texts := selectItemTexts(st.src, st.toks, len(x.SelectExprs))
	aliases := map[string]expr{}
	for i, se := range x.SelectExprs {
		switch y := se.(type) {
		case *sqlparser.StarExpr:
			if !y.TableName.IsEmpty() {
				if _, err := st.checkTable(y.TableName); err != nil && !strings.EqualFold(y.TableName.Name.String(), alias) {
					return err
				}
			}
			for _, col := range tableColumns[table] {
				sel.items = append(sel.items, selectItem{name: columnNames[col], typ: columnTypes[col], x: &columnExpr{col}})
			}
		case *sqlparser.AliasedExpr:
			e, err := c.compile(y.Expr, 0)
			if err != nil {
				return err
			}
			name := y.As.String()
			switch {
			case name != "":
				aliases[strings.ToLower(name)] = e
			case texts != nil:
				name = texts[i]
			default:
				name = sqlparser.String(y.Expr)
			}
			sel.items = append(sel.items, selectItem{name: name, typ: typeOf(e), x: e})
		default:
			return unsupportedAt(st.src, -1, "select expression %s is not supported", sqlparser.String(se))
		}
	}
	// GROUP BY: an ordinal or an alias names a select item.
	for _, g := range x.GroupBy {
		if e := sel.itemRef(g, aliases); e != nil {
			sel.groupBy = append(sel.groupBy, e)
			continue
		}
		gc := *c
		gc.aggs, gc.aggWhat = nil, "GROUP BY"
		e, err := gc.compile(g, 0)
		if err != nil {
			return err
		}
		sel.groupBy = append(sel.groupBy, e)
	}
	c.aliases = aliases
	if x.Having != nil && x.Having.Expr != nil {
		c.aggWhat = "HAVING"
		if sel.having, err = c.compile(x.Having.Expr, 0); err != nil {
			return err
		}
	}
	for _, o := range x.OrderBy {
		key := orderKey{desc: o.Direction == sqlparser.DescScr}
		if e := sel.itemRef(o.Expr, nil); e != nil {
			key.x = e
		} else {
			c.aggWhat = "ORDER BY"
			if key.x, err = c.compile(o.Expr, 0); err != nil {
				return err
			}
		}
		sel.order = append(sel.order, key)
	}
	c.aliases = nil
	sel.grouped = len(sel.groupBy) > 0 || len(sel.aggs) > 0
	if x.Limit != nil {
		lc := st.compiler(table, alias)
		lc.noColumns = true
		if x.Limit.Rowcount != nil {
			if sel.limit, err = lc.compile(x.Limit.Rowcount, 0); err != nil {
				return err
			}
		}
		if x.Limit.Offset != nil {
			if sel.offset, err = lc.compile(x.Limit.Offset, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// itemRef resolves an ORDER BY/GROUP BY entry that is an ordinal (1 = the first item) or, with
// aliases, a select alias.
func (sel *selectSpec) itemRef(x sqlparser.Expr, aliases map[string]expr) expr {
	switch y := x.(type) {
	case *sqlparser.SQLVal:
		if y.Type == sqlparser.IntVal {
			if n, err := strconv.Atoi(string(y.Val)); err == nil && n >= 1 && n <= len(sel.items) {
				return sel.items[n-1].x
			}
		}
	case *sqlparser.ColName:
		if aliases != nil && y.Qualifier.IsEmpty() {
			return aliases[strings.ToLower(y.Name.String())]
		}
	}
	return nil
}

// selectItemTexts returns each select item's text as written, when the statement's select
// list can be split at its top-level commas into n items; else nil.
func selectItemTexts(src string, toks []token, n int) []string {
	i := 0
	for i < len(toks) && !(toks[i].kind == tokWord && strings.EqualFold(toks[i].text(src), "select")) {
		i++
	}
	i++
	for i < len(toks) && toks[i].kind == tokWord {
		switch strings.ToLower(toks[i].text(src)) {
		case "distinct", "all", "sql_cache", "sql_no_cache", "distinctrow":
			i++
			continue
		}
		break
	}
	var texts []string
	depth, start := 0, -1
	for ; i < len(toks); i++ {
		t := toks[i]
		s := t.text(src)
		if start < 0 {
			start = t.start
		}
		switch {
		case s == "(":
			depth++
		case s == ")":
			depth--
		case depth == 0 && s == ",":
			texts = append(texts, strings.TrimSpace(src[start:t.start]))
			start = -1
			continue
		case depth == 0 && t.kind == tokWord && strings.EqualFold(s, "from"):
			if start >= 0 && start < t.start {
				texts = append(texts, strings.TrimSpace(src[start:t.start]))
			}
			start = -1
			i = len(toks)
		}
	}
	if start >= 0 {
		texts = append(texts, strings.TrimSpace(src[start:]))
	}
	if len(texts) != n {
		return nil
	}
	return texts
}

// typeOf is an expression's result column type, "" when it depends on the data.
func typeOf(x expr) string {
	switch y := x.(type) {
	case *litExpr:
		switch y.v.k {
		case kInt:
			return "INTEGER"
		case kFloat:
			return "REAL"
		case kString:
			return "TEXT"
		case kBool:
			return "BOOLEAN"
		}
	case *columnExpr:
		return columnTypes[y.col]
	case *pathExpr:
		if !y.scalar {
			return "JSON"
		}
	case *dynPathExpr:
		if !y.scalar {
			return "JSON"
		}
	case *cmpExpr, *inExpr, *betweenExpr, *isExpr, *likeExpr, *andExpr, *orExpr, *notExpr:
		return "BOOLEAN"
	case *arithExpr:
		if y.op == opDiv {
			return "REAL"
		}
		if l, r := typeOf(y.l), typeOf(y.r); l == "INTEGER" && r == "INTEGER" {
			return "INTEGER"
		}
	case *funcCall:
		return y.spec.typ
	case *aggRef:
		switch y.spec.fn {
		case "min", "max":
			return typeOf(y.spec.arg)
		}
		return aggregateFuncs[y.spec.fn]
	}
	return ""
}
