package query

import (
	"math"
	"strings"
)

// env is what an expression is evaluated against: one record (its data possibly already
// changed by earlier assignments), the bound arguments, the current group's aggregates and,
// for ON DUPLICATE KEY UPDATE, the offered row.
type env struct {
	rec     *Record
	doc     string // the record's data as JSON text
	hasDoc  bool
	args    []value
	aggs    []value
	offered *Row
}

func (e *env) setRecord(rec *Record) {
	e.rec = rec
	e.hasDoc = rec != nil && len(rec.Data) > 0
	if e.hasDoc {
		e.doc = trimJSON(string(rec.Data))
	} else {
		e.doc = ""
	}
}

// expr is a compiled expression. Compiled expressions are immutable: a Statement's are shared by
// all its Plans.
type expr interface {
	eval(e *env) (value, error)
}

type litExpr struct{ v value }

func (x *litExpr) eval(*env) (value, error) { return x.v, nil }

type paramExpr struct{ slot int }

func (x *paramExpr) eval(e *env) (value, error) { return e.args[x.slot], nil }

type columnExpr struct{ col column }

func (x *columnExpr) eval(e *env) (value, error) { return columnValue(e, x.col), nil }

// pathExpr reads a path into data: as JSON (->, JSON_EXTRACT) or as a scalar (->>, bare names).
type pathExpr struct {
	path   *jsonPath
	scalar bool
}

func (x *pathExpr) eval(e *env) (value, error) {
	if !e.hasDoc {
		return nullValue, nil
	}
	return pathResult(x.path.lookup(e.doc), x.scalar), nil
}

// dynPathExpr is data->? : the path is a bound argument.
type dynPathExpr struct {
	doc    expr
	path   expr
	scalar bool
	what   string
}

func (x *dynPathExpr) eval(e *env) (value, error) {
	d, err := x.doc.eval(e)
	if err != nil || d.isNull() {
		return nullValue, err
	}
	pv, err := x.path.eval(e)
	if err != nil || pv.isNull() {
		return nullValue, err
	}
	p, err := parseJSONPath(pv.text())
	if err != nil {
		return nullValue, evalError("%s: %v", x.what, err)
	}
	text, err := docText(d, x.what, 1)
	if err != nil {
		return nullValue, err
	}
	return pathResult(p.lookup(text), x.scalar), nil
}

type notExpr struct{ x expr }

func (n *notExpr) eval(e *env) (value, error) {
	v, err := n.x.eval(e)
	if err != nil {
		return nullValue, err
	}
	b, ok := v.truth()
	if !ok {
		return nullValue, nil
	}
	return boolValue(!b), nil
}

// andExpr and orExpr are three-valued (NULL is unknown) and short-circuit.
type andExpr struct{ xs []expr }

func (a *andExpr) eval(e *env) (value, error) {
	unknown := false
	for _, x := range a.xs {
		v, err := x.eval(e)
		if err != nil {
			return nullValue, err
		}
		b, ok := v.truth()
		if !ok {
			unknown = true
			continue
		}
		if !b {
			return boolValue(false), nil
		}
	}
	if unknown {
		return nullValue, nil
	}
	return boolValue(true), nil
}

type orExpr struct{ xs []expr }

func (o *orExpr) eval(e *env) (value, error) {
	unknown := false
	for _, x := range o.xs {
		v, err := x.eval(e)
		if err != nil {
			return nullValue, err
		}
		b, ok := v.truth()
		if !ok {
			unknown = true
			continue
		}
		if b {
			return boolValue(true), nil
		}
	}
	if unknown {
		return nullValue, nil
	}
	return boolValue(false), nil
}

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opNullSafeEq
)

type cmpExpr struct {
	op   cmpOp
	l, r expr
}

func (c *cmpExpr) eval(e *env) (value, error) {
	a, err := c.l.eval(e)
	if err != nil {
		return nullValue, err
	}
	b, err := c.r.eval(e)
	if err != nil {
		return nullValue, err
	}
	if c.op == opNullSafeEq {
		if a.isNull() || b.isNull() {
			return boolValue(a.isNull() && b.isNull()), nil
		}
		r, ok := compare(a, b)
		return boolValue(ok && r == 0), nil
	}
	r, ok := compare(a, b)
	if !ok {
		return nullValue, nil
	}
	switch c.op {
	case opEq:
		return boolValue(r == 0), nil
	case opNe:
		return boolValue(r != 0), nil
	case opLt:
		return boolValue(r < 0), nil
	case opLe:
		return boolValue(r <= 0), nil
	case opGt:
		return boolValue(r > 0), nil
	}
	return boolValue(r >= 0), nil
}

// inExpr: true when x equals an element; else NULL when x or an element is NULL; else false.
type inExpr struct {
	x    expr
	list []expr
	not  bool
}

func (in *inExpr) eval(e *env) (value, error) {
	a, err := in.x.eval(e)
	if err != nil {
		return nullValue, err
	}
	if a.isNull() {
		return nullValue, nil
	}
	unknown := false
	for _, y := range in.list {
		b, err := y.eval(e)
		if err != nil {
			return nullValue, err
		}
		r, ok := compare(a, b)
		if !ok {
			unknown = true
			continue
		}
		if r == 0 {
			return boolValue(!in.not), nil
		}
	}
	if unknown {
		return nullValue, nil
	}
	return boolValue(in.not), nil
}

type betweenExpr struct {
	x, lo, hi expr
	not       bool
}

func (bt *betweenExpr) eval(e *env) (value, error) {
	v, err := bt.x.eval(e)
	if err != nil {
		return nullValue, err
	}
	lo, err := bt.lo.eval(e)
	if err != nil {
		return nullValue, err
	}
	hi, err := bt.hi.eval(e)
	if err != nil {
		return nullValue, err
	}
	// x BETWEEN lo AND hi is x >= lo AND x <= hi, three-valued.
	c1, ok1 := compare(v, lo)
	c2, ok2 := compare(v, hi)
	var res value
	switch {
	case ok1 && c1 < 0, ok2 && c2 > 0:
		res = boolValue(false)
	case !ok1 || !ok2:
		return nullValue, nil
	default:
		res = boolValue(true)
	}
	if bt.not {
		res.i = 1 - res.i
	}
	return res, nil
}

type isOp uint8

const (
	isNull isOp = iota
	isNotNull
	isTrue
	isNotTrue
	isFalse
	isNotFalse
)

type isExpr struct {
	x  expr
	op isOp
}

func (is *isExpr) eval(e *env) (value, error) {
	v, err := is.x.eval(e)
	if err != nil {
		return nullValue, err
	}
	b, known := v.truth()
	switch is.op {
	case isNull:
		return boolValue(v.isNull()), nil
	case isNotNull:
		return boolValue(!v.isNull()), nil
	case isTrue:
		return boolValue(known && b), nil
	case isNotTrue:
		return boolValue(!(known && b)), nil
	case isFalse:
		return boolValue(known && !b), nil
	}
	return boolValue(!(known && !b)), nil
}

type likeExpr struct {
	x, pat, esc expr
	not         bool
}

func (l *likeExpr) eval(e *env) (value, error) {
	v, err := l.x.eval(e)
	if err != nil {
		return nullValue, err
	}
	p, err := l.pat.eval(e)
	if err != nil {
		return nullValue, err
	}
	if v.isNull() || p.isNull() {
		return nullValue, nil
	}
	esc := '\\'
	if l.esc != nil {
		ev, err := l.esc.eval(e)
		if err != nil {
			return nullValue, err
		}
		s := []rune(ev.text())
		if len(s) > 1 {
			return nullValue, evalError("LIKE: ESCAPE must be one character, got %q", ev.text())
		}
		if len(s) == 1 {
			esc = s[0]
		} else {
			esc = -1
		}
	}
	s, pat := v.text(), p.text()
	if v.ci || p.ci {
		s, pat = strings.ToLower(s), strings.ToLower(pat)
	}
	m := likeMatch([]rune(s), []rune(pat), esc)
	return boolValue(m != l.not), nil
}

// likeMatch matches s against a LIKE pattern: % any run, _ one character, esc quoting the next.
func likeMatch(s, p []rune, esc rune) bool {
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			c := p[pi]
			switch {
			case c == '%':
				starP, starS = pi, si
				pi++
				continue
			case c == '_':
				si++
				pi++
				continue
			case c == esc && pi+1 < len(p):
				if p[pi+1] == s[si] {
					si++
					pi += 2
					continue
				}
			default:
				if c == s[si] {
					si++
					pi++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		si, pi = starS, starP+1
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

type arithOp uint8

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
	opIntDiv
	opMod
)

var arithNames = [...]string{"+", "-", "*", "/", "DIV", "%"}

type arithExpr struct {
	op   arithOp
	l, r expr
}

func (a *arithExpr) eval(e *env) (value, error) {
	x, err := a.l.eval(e)
	if err != nil {
		return nullValue, err
	}
	y, err := a.r.eval(e)
	if err != nil {
		return nullValue, err
	}
	return arith(a.op, x, y)
}

func arith(op arithOp, x, y value) (value, error) {
	if x.isNull() || y.isNull() {
		return nullValue, nil
	}
	xn, ok1 := x.number()
	yn, ok2 := y.number()
	if !ok1 || !ok2 {
		if x.k == kTime || y.k == kTime {
			return nullValue, evalError("arithmetic %s on a timestamp is not supported", arithNames[op])
		}
		return nullValue, nil
	}
	if xn.k == kInt && yn.k == kInt {
		a, b := xn.i, yn.i
		switch op {
		case opAdd:
			s := a + b
			if (s > a) != (b > 0) {
				return nullValue, evalError("integer overflow in %d + %d", a, b)
			}
			return intValue(s), nil
		case opSub:
			s := a - b
			if (s < a) != (b > 0) {
				return nullValue, evalError("integer overflow in %d - %d", a, b)
			}
			return intValue(s), nil
		case opMul:
			if a != 0 && b != 0 {
				p := a * b
				if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
					return nullValue, evalError("integer overflow in %d * %d", a, b)
				}
				return intValue(p), nil
			}
			return intValue(0), nil
		case opIntDiv:
			if b == 0 {
				return nullValue, nil
			}
			if a == math.MinInt64 && b == -1 {
				return nullValue, evalError("integer overflow in %d DIV %d", a, b)
			}
			return intValue(a / b), nil
		case opMod:
			if b == 0 {
				return nullValue, nil
			}
			if b == -1 {
				return intValue(0), nil
			}
			return intValue(a % b), nil
		}
	}
	f, g := toFloat(xn), toFloat(yn)
	switch op {
	case opAdd:
		return floatValue(f + g), nil
	case opSub:
		return floatValue(f - g), nil
	case opMul:
		return floatValue(f * g), nil
	case opDiv:
		if g == 0 {
			return nullValue, nil // MySQL: division by zero is NULL
		}
		return floatValue(f / g), nil
	case opIntDiv:
		if g == 0 {
			return nullValue, nil
		}
		q := math.Trunc(f / g)
		if q >= 9223372036854775808.0 || q < -9223372036854775808.0 || math.IsNaN(q) {
			return nullValue, evalError("integer overflow in DIV")
		}
		return intValue(int64(q)), nil
	case opMod:
		if g == 0 {
			return nullValue, nil
		}
		return floatValue(math.Mod(f, g)), nil
	}
	return nullValue, nil
}

func toFloat(v value) float64 {
	if v.k == kInt {
		return float64(v.i)
	}
	return v.f
}

type negExpr struct{ x expr }

func (n *negExpr) eval(e *env) (value, error) {
	v, err := n.x.eval(e)
	if err != nil || v.isNull() {
		return nullValue, err
	}
	return arith(opSub, intValue(0), v)
}

// aggRef is an aggregate's value for the current group.
type aggRef struct {
	idx  int
	spec *aggSpec
}

func (a *aggRef) eval(e *env) (value, error) { return e.aggs[a.idx], nil }

// offeredExpr is VALUES(col) in ON DUPLICATE KEY UPDATE.
type offeredExpr struct {
	col  column // colID, colData, or 0 for a path
	path *jsonPath
}

func (o *offeredExpr) eval(e *env) (value, error) {
	if e.offered == nil {
		return nullValue, nil
	}
	switch o.col {
	case colID:
		return stringValue(e.offered.ID), nil
	case colData:
		return jsonValue(trimJSON(string(e.offered.Data))), nil
	}
	return pathResult(o.path.lookup(string(e.offered.Data)), true), nil
}
