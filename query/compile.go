package query

import (
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// maxDepth caps expression nesting. The compiler counts depth as it descends and stops at the
// cap, so no recursion over a parsed tree (sqlparser's included) ever goes deeper than this.
const maxDepth = 128

// compiler turns sqlparser expressions into exprs, checking each construct against the dialect.
type compiler struct {
	src   string
	toks  []token
	table Table
	alias string // the table's alias in FROM, if any
	ph    *placeholders

	// noColumns: column references are errors (INSERT's VALUES).
	noColumns bool
	// aggs collects aggregate calls; nil where aggregates are not allowed (WHERE, SET).
	aggs    *[]*aggSpec
	aggWhat string // the clause, for the error when aggs is nil
	inAgg   bool
	// aliases of select items, for ORDER BY, GROUP BY and HAVING.
	aliases map[string]expr
	// offered: VALUES(col) is allowed (ON DUPLICATE KEY UPDATE).
	offered bool
}

func (c *compiler) unsupported(find string, format string, args ...any) error {
	return unsupportedAt(c.src, findText(c.src, c.toks, find), format, args...)
}

func (c *compiler) compile(x sqlparser.Expr, depth int) (expr, error) {
	if depth > maxDepth {
		return nil, syntaxAt(c.src, -1, "expression nested deeper than %d levels", maxDepth)
	}
	d := depth + 1
	switch x := x.(type) {
	case *sqlparser.ParenExpr:
		return c.compile(x.Expr, d)
	case *sqlparser.AndExpr:
		return c.compileLogic(x, d)
	case *sqlparser.OrExpr:
		return c.compileLogic(x, d)
	case *sqlparser.NotExpr:
		inner, err := c.compile(x.Expr, d)
		if err != nil {
			return nil, err
		}
		return &notExpr{inner}, nil
	case *sqlparser.ComparisonExpr:
		return c.compileComparison(x, d)
	case *sqlparser.RangeCond:
		v, err := c.compile(x.Left, d)
		if err != nil {
			return nil, err
		}
		lo, err := c.compile(x.From, d)
		if err != nil {
			return nil, err
		}
		hi, err := c.compile(x.To, d)
		if err != nil {
			return nil, err
		}
		return &betweenExpr{x: v, lo: lo, hi: hi, not: x.Operator == sqlparser.NotBetweenStr}, nil
	case *sqlparser.IsExpr:
		inner, err := c.compile(x.Expr, d)
		if err != nil {
			return nil, err
		}
		op, ok := isOps[x.Operator]
		if !ok {
			return nil, c.unsupported("is", "IS %s is not supported", strings.ToUpper(x.Operator))
		}
		return &isExpr{inner, op}, nil
	case *sqlparser.SQLVal:
		return c.compileValue(x)
	case *sqlparser.NullVal:
		return &litExpr{nullValue}, nil
	case sqlparser.BoolVal:
		return &litExpr{boolValue(bool(x))}, nil
	case *sqlparser.ColName:
		return c.compileColumn(x, true)
	case *sqlparser.BinaryExpr:
		return c.compileBinary(x, d)
	case *sqlparser.UnaryExpr:
		inner, err := c.compile(x.Expr, d)
		if err != nil {
			return nil, err
		}
		switch x.Operator {
		case sqlparser.UMinusStr:
			if l, ok := inner.(*litExpr); ok && (l.v.k == kInt || l.v.k == kFloat) {
				v, err := arith(opSub, intValue(0), l.v)
				if err == nil {
					return &litExpr{v}, nil
				}
			}
			return &negExpr{inner}, nil
		case sqlparser.UPlusStr:
			return inner, nil
		case sqlparser.BangStr:
			return &notExpr{inner}, nil
		}
		return nil, c.unsupported(strings.TrimSpace(x.Operator), "operator %s is not supported", strings.TrimSpace(x.Operator))
	case *sqlparser.FuncExpr:
		return c.compileFunc(x, d)
	case *sqlparser.ValuesFuncExpr:
		return c.compileValuesFunc(x)
	case *sqlparser.Subquery:
		return nil, unsupportedAt(c.src, findSubquery(c.src, c.toks), "subquery is not supported")
	case *sqlparser.ExistsExpr:
		return nil, c.unsupported("exists", "EXISTS subquery is not supported")
	case sqlparser.ValTuple:
		return nil, c.unsupported("(", "row constructor (a, b) is not supported outside IN")
	case sqlparser.ListArg:
		return nil, c.unsupported(string(x), "list placeholder is not supported")
	case *sqlparser.CaseExpr:
		return nil, c.unsupported("case", "CASE is not supported")
	case *sqlparser.IntervalExpr:
		return nil, c.unsupported("interval", "INTERVAL is not supported")
	case *sqlparser.CollateExpr:
		return nil, c.unsupported("collate", "COLLATE is not supported")
	case *sqlparser.ConvertExpr:
		return nil, c.unsupported("convert", "CONVERT/CAST is not supported")
	case *sqlparser.ConvertUsingExpr:
		return nil, c.unsupported("convert", "CONVERT … USING is not supported")
	case *sqlparser.SubstrExpr:
		return nil, c.unsupported("substr", "function SUBSTR is not supported")
	case *sqlparser.MatchExpr:
		return nil, c.unsupported("match", "MATCH … AGAINST is not supported")
	case *sqlparser.GroupConcatExpr:
		return nil, c.unsupported("group_concat", "function GROUP_CONCAT is not supported")
	case *sqlparser.Default:
		return nil, c.unsupported("default", "DEFAULT is not supported")
	}
	return nil, unsupportedAt(c.src, -1, "expression %T is not supported", x)
}

// compileLogic flattens a chain of one logical operator into one node.
func (c *compiler) compileLogic(x sqlparser.Expr, depth int) (expr, error) {
	var parts []sqlparser.Expr
	_, isAnd := x.(*sqlparser.AndExpr)
	var flatten func(y sqlparser.Expr, d int) error
	flatten = func(y sqlparser.Expr, d int) error {
		if d > maxDepth {
			return syntaxAt(c.src, -1, "expression nested deeper than %d levels", maxDepth)
		}
		switch y := y.(type) {
		case *sqlparser.AndExpr:
			if isAnd {
				if err := flatten(y.Left, d+1); err != nil {
					return err
				}
				return flatten(y.Right, d+1)
			}
		case *sqlparser.OrExpr:
			if !isAnd {
				if err := flatten(y.Left, d+1); err != nil {
					return err
				}
				return flatten(y.Right, d+1)
			}
		}
		parts = append(parts, y)
		return nil
	}
	if err := flatten(x, depth); err != nil {
		return nil, err
	}
	xs := make([]expr, len(parts))
	for i, p := range parts {
		e, err := c.compile(p, depth+1)
		if err != nil {
			return nil, err
		}
		xs[i] = e
	}
	if isAnd {
		return &andExpr{xs}, nil
	}
	return &orExpr{xs}, nil
}

func (c *compiler) compileComparison(x *sqlparser.ComparisonExpr, d int) (expr, error) {
	l, err := c.compile(x.Left, d)
	if err != nil {
		return nil, err
	}
	switch x.Operator {
	case sqlparser.InStr, sqlparser.NotInStr:
		tuple, ok := x.Right.(sqlparser.ValTuple)
		if !ok {
			if _, sub := x.Right.(*sqlparser.Subquery); sub {
				return nil, unsupportedAt(c.src, findSubquery(c.src, c.toks), "IN (subquery) is not supported")
			}
			return nil, c.unsupported("in", "IN needs a list of values")
		}
		list := make([]expr, len(tuple))
		for i, y := range tuple {
			if list[i], err = c.compile(y, d); err != nil {
				return nil, err
			}
		}
		return &inExpr{x: l, list: list, not: x.Operator == sqlparser.NotInStr}, nil
	}
	r, err := c.compile(x.Right, d)
	if err != nil {
		return nil, err
	}
	switch x.Operator {
	case sqlparser.LikeStr, sqlparser.NotLikeStr:
		var esc expr
		if x.Escape != nil {
			if esc, err = c.compile(x.Escape, d); err != nil {
				return nil, err
			}
		}
		return &likeExpr{x: l, pat: r, esc: esc, not: x.Operator == sqlparser.NotLikeStr}, nil
	}
	op, ok := cmpOps[x.Operator]
	if !ok {
		return nil, c.unsupported(x.Operator, "operator %s is not supported", strings.ToUpper(x.Operator))
	}
	return &cmpExpr{op: op, l: l, r: r}, nil
}

func (c *compiler) compileValue(x *sqlparser.SQLVal) (expr, error) {
	switch x.Type {
	case sqlparser.StrVal:
		return &litExpr{stringValue(string(x.Val))}, nil
	case sqlparser.IntVal:
		if i, err := strconv.ParseInt(string(x.Val), 10, 64); err == nil {
			return &litExpr{intValue(i)}, nil
		}
		f, _ := strconv.ParseFloat(string(x.Val), 64)
		return &litExpr{floatValue(f)}, nil
	case sqlparser.FloatVal:
		f, err := strconv.ParseFloat(string(x.Val), 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			return nil, syntaxAt(c.src, findText(c.src, c.toks, string(x.Val)), "bad number %s", x.Val)
		}
		return &litExpr{floatValue(f)}, nil
	case sqlparser.HexNum:
		u, err := strconv.ParseUint(string(x.Val[2:]), 16, 64)
		if err != nil || u > 1<<63-1 {
			return nil, syntaxAt(c.src, findText(c.src, c.toks, string(x.Val)), "hex number %s is out of range", x.Val)
		}
		return &litExpr{intValue(int64(u))}, nil
	case sqlparser.HexVal:
		b, err := x.HexDecode()
		if err != nil {
			return nil, syntaxAt(c.src, -1, "bad hex literal X'%s'", x.Val)
		}
		return &litExpr{stringValue(string(b))}, nil
	case sqlparser.BitVal:
		u, err := strconv.ParseUint(string(x.Val), 2, 64)
		if err != nil || u > 1<<63-1 {
			return nil, syntaxAt(c.src, -1, "bit literal b'%s' is out of range", x.Val)
		}
		return &litExpr{intValue(int64(u))}, nil
	case sqlparser.ValArg:
		slot := c.ph.slotOf(string(x.Val))
		if slot < 0 {
			return nil, syntaxAt(c.src, -1, "unknown placeholder %s", x.Val)
		}
		return &paramExpr{slot}, nil
	}
	return nil, unsupportedAt(c.src, -1, "literal of type %d is not supported", x.Type)
}

// resolveName resolves a name: a column of the table, or (col 0) a path into data.
func (c *compiler) resolveName(x *sqlparser.ColName) (column, *jsonPath, error) {
	name := x.Name.String()
	if c.noColumns {
		return 0, nil, unsupportedAt(c.src, findIdent(c.src, c.toks, name), "column reference %s is not allowed here", sqlparser.String(x))
	}
	if !x.Qualifier.IsEmpty() {
		q := x.Qualifier.Name.String()
		if !x.Qualifier.Qualifier.IsEmpty() || !(strings.EqualFold(q, string(c.table)) || c.alias != "" && strings.EqualFold(q, c.alias)) {
			return 0, nil, unsupportedAt(c.src, findIdent(c.src, c.toks, q),
				"unknown table %s in %s (to read the path %s.%s in data, quote it: `%s.%s`)", q, sqlparser.String(x), q, name, q, name)
		}
	}
	if col, ok := lookupColumn(c.table, name); ok {
		return col, nil, nil
	}
	p, err := namePath(name)
	if err != nil {
		return 0, nil, errorAt(c.src, findIdent(c.src, c.toks, name), "%v", err)
	}
	return 0, p, nil
}

// compileColumn compiles a name: a select alias (where allowed), a column, else a path into
// data read as a scalar.
func (c *compiler) compileColumn(x *sqlparser.ColName, scalar bool) (expr, error) {
	if x.Qualifier.IsEmpty() && c.aliases != nil {
		if a, ok := c.aliases[strings.ToLower(x.Name.String())]; ok {
			return a, nil
		}
	}
	col, p, err := c.resolveName(x)
	if err != nil {
		return nil, err
	}
	if col != 0 {
		return &columnExpr{col}, nil
	}
	return &pathExpr{path: p, scalar: scalar}, nil
}

// compileArrow compiles data->'path' and data->>'path' (a name that is no column, being a
// path into data, may stand for data: `user`->'$.name' is data->'$.user.name').
func (c *compiler) compileArrow(x *sqlparser.BinaryExpr) (expr, error) {
	scalar := x.Operator == sqlparser.JSONUnquoteExtractOp
	colName, _ := x.Left.(*sqlparser.ColName)
	if colName == nil {
		return nil, c.unsupported(x.Operator, "%s needs the data column on its left", x.Operator)
	}
	col, base, err := c.resolveName(colName)
	if err != nil {
		return nil, err
	}
	if col != 0 && col != colData {
		return nil, unsupportedAt(c.src, findIdent(c.src, c.toks, colName.Name.String()),
			"%s applies to the data column, not %s", x.Operator, sqlparser.String(colName))
	}
	val, _ := x.Right.(*sqlparser.SQLVal)
	switch {
	case val != nil && val.Type == sqlparser.StrVal:
		p, err := parseJSONPath(string(val.Val))
		if err != nil {
			return nil, errorAt(c.src, findText(c.src, c.toks, string(val.Val)), "%v", err)
		}
		if base != nil {
			steps := append(append([]pathStep(nil), base.steps...), p.steps...)
			p = &jsonPath{text: "$." + base.text + strings.TrimSpace(p.text)[1:], steps: steps, segs: segment(steps)}
		}
		return &pathExpr{path: p, scalar: scalar}, nil
	case val != nil && val.Type == sqlparser.ValArg:
		path, err := c.compileValue(val)
		if err != nil {
			return nil, err
		}
		var doc expr = &columnExpr{colData}
		if base != nil {
			doc = &pathExpr{path: base}
		}
		return &dynPathExpr{doc: doc, path: path, scalar: scalar, what: x.Operator}, nil
	}
	return nil, c.unsupported(x.Operator, "%s needs a JSON path string", x.Operator)
}

func (c *compiler) compileBinary(x *sqlparser.BinaryExpr, d int) (expr, error) {
	switch x.Operator {
	case sqlparser.JSONExtractOp, sqlparser.JSONUnquoteExtractOp:
		return c.compileArrow(x)
	}
	op, ok := arithOps[x.Operator]
	if !ok {
		return nil, c.unsupported(x.Operator, "operator %s is not supported", x.Operator)
	}
	l, err := c.compile(x.Left, d)
	if err != nil {
		return nil, err
	}
	r, err := c.compile(x.Right, d)
	if err != nil {
		return nil, err
	}
	return &arithExpr{op: op, l: l, r: r}, nil
}

func (c *compiler) compileFunc(x *sqlparser.FuncExpr, d int) (expr, error) {
	name := x.Name.Lowered()
	if !x.Qualifier.IsEmpty() {
		return nil, c.unsupported(x.Qualifier.String(), "qualified function %s.%s is not supported", x.Qualifier.String(), x.Name.String())
	}
	pos := findCall(c.src, c.toks, x.Name.String())
	if _, ok := aggregateFuncs[name]; ok {
		return c.compileAggregate(x, name, d, pos)
	}
	spec, ok := scalarFuncs[name]
	if !ok {
		if sqlparser.Aggregates[name] {
			return nil, unsupportedAt(c.src, pos, "aggregate function %s is not supported", strings.ToUpper(name))
		}
		return nil, unsupportedAt(c.src, pos, "function %s is not supported", strings.ToUpper(name))
	}
	if x.Distinct {
		return nil, unsupportedAt(c.src, pos, "DISTINCT in %s is not supported", strings.ToUpper(name))
	}
	n := len(x.Exprs)
	if n < spec.minArgs || spec.maxArgs >= 0 && n > spec.maxArgs {
		return nil, syntaxAt(c.src, pos, "wrong number of arguments (%d) to function %s", n, strings.ToUpper(name))
	}
	f := &funcCall{name: name, spec: spec, args: make([]expr, n), paths: make([]pathArg, n)}
	for i, se := range x.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, syntaxAt(c.src, pos, "bad argument %d to function %s", i+1, strings.ToUpper(name))
		}
		a, err := c.compile(ae.Expr, d)
		if err != nil {
			return nil, err
		}
		f.args[i] = a
		if spec.pathArgs != nil && spec.pathArgs(i, n) {
			if l, ok := a.(*litExpr); ok {
				if l.v.isNull() {
					f.paths[i] = pathArg{dyn: a}
					continue
				}
				p, err := parseJSONPath(l.v.text())
				if err != nil {
					return nil, errorAt(c.src, pos, "%s: %v", strings.ToUpper(name), err)
				}
				f.paths[i] = pathArg{static: p}
			} else {
				f.paths[i] = pathArg{dyn: a}
			}
		}
	}
	if name == "json_set" && n%2 == 0 {
		return nil, syntaxAt(c.src, pos, "wrong number of arguments (%d) to function JSON_SET: it takes a document and path/value pairs", n)
	}
	return f, nil
}

func (c *compiler) compileValuesFunc(x *sqlparser.ValuesFuncExpr) (expr, error) {
	pos := findCall(c.src, c.toks, "values")
	if !c.offered {
		return nil, unsupportedAt(c.src, pos, "VALUES(col) is only allowed in ON DUPLICATE KEY UPDATE")
	}
	name := x.Name.Name.String()
	switch strings.ToLower(name) {
	case "id":
		return &offeredExpr{col: colID}, nil
	case "data":
		return &offeredExpr{col: colData}, nil
	}
	if _, ok := lookupColumn(Objects, name); ok {
		return nil, unsupportedAt(c.src, pos, "VALUES(%s): %s is not a column INSERT writes", name, name)
	}
	p, err := namePath(name)
	if err != nil {
		return nil, errorAt(c.src, pos, "VALUES(%s): %v", name, err)
	}
	return &offeredExpr{path: p}, nil
}

// Operator tables (read-only).
var isOps = map[string]isOp{
	sqlparser.IsNullStr: isNull, sqlparser.IsNotNullStr: isNotNull, sqlparser.IsTrueStr: isTrue,
	sqlparser.IsNotTrueStr: isNotTrue, sqlparser.IsFalseStr: isFalse, sqlparser.IsNotFalseStr: isNotFalse,
}

var cmpOps = map[string]cmpOp{
	sqlparser.EqualStr: opEq, sqlparser.NotEqualStr: opNe, sqlparser.LessThanStr: opLt,
	sqlparser.LessEqualStr: opLe, sqlparser.GreaterThanStr: opGt, sqlparser.GreaterEqualStr: opGe,
	sqlparser.NullSafeEqualStr: opNullSafeEq,
}

var arithOps = map[string]arithOp{
	sqlparser.PlusStr: opAdd, sqlparser.MinusStr: opSub, sqlparser.MultStr: opMul,
	sqlparser.DivStr: opDiv, sqlparser.IntDivStr: opIntDiv, sqlparser.ModStr: opMod,
}
