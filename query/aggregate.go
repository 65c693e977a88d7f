package query

import (
	"strings"

	"github.com/xwb1989/sqlparser"
)

// aggregateFuncs are the dialect's aggregates and their result column types.
var aggregateFuncs = map[string]string{"count": "INTEGER", "sum": "", "min": "", "max": "", "avg": "REAL"}

// aggSpec is one aggregate call of a SELECT (in its items, HAVING or ORDER BY).
type aggSpec struct {
	fn       string
	arg      expr // nil for COUNT(*)
	distinct bool
}

func (c *compiler) compileAggregate(x *sqlparser.FuncExpr, name string, d, pos int) (expr, error) {
	upper := strings.ToUpper(name)
	if c.aggs == nil {
		what := c.aggWhat
		if what == "" {
			what = "this clause"
		}
		return nil, unsupportedAt(c.src, pos, "aggregate %s is not allowed in %s", upper, what)
	}
	if c.inAgg {
		return nil, unsupportedAt(c.src, pos, "aggregate %s inside another aggregate", upper)
	}
	if len(x.Exprs) != 1 {
		return nil, syntaxAt(c.src, pos, "wrong number of arguments (%d) to %s", len(x.Exprs), upper)
	}
	spec := &aggSpec{fn: name, distinct: x.Distinct}
	switch a := x.Exprs[0].(type) {
	case *sqlparser.StarExpr:
		if name != "count" || x.Distinct || !a.TableName.IsEmpty() {
			return nil, syntaxAt(c.src, pos, "%s(*) is not valid", upper)
		}
	case *sqlparser.AliasedExpr:
		c.inAgg = true
		arg, err := c.compile(a.Expr, d)
		c.inAgg = false
		if err != nil {
			return nil, err
		}
		spec.arg = arg
	default:
		return nil, syntaxAt(c.src, pos, "bad argument to %s", upper)
	}
	*c.aggs = append(*c.aggs, spec)
	return &aggRef{idx: len(*c.aggs) - 1, spec: spec}, nil
}

// aggState accumulates one aggregate over one group.
type aggState struct {
	spec    *aggSpec
	count   int64
	sumI    int64
	sumF    float64
	isFloat bool
	best    value
	seen    map[string]bool
	keyBuf  []byte
}

func (s *aggState) add(e *env) error {
	if s.spec.arg == nil { // COUNT(*)
		s.count++
		return nil
	}
	v, err := s.spec.arg.eval(e)
	if err != nil {
		return err
	}
	if v.isNull() {
		return nil
	}
	if s.spec.distinct {
		s.keyBuf = groupKey(s.keyBuf[:0], v)
		if s.seen == nil {
			s.seen = map[string]bool{}
		}
		if s.seen[string(s.keyBuf)] {
			return nil
		}
		s.seen[string(s.keyBuf)] = true
	}
	s.count++
	switch s.spec.fn {
	case "sum", "avg":
		n, ok := v.number()
		if !ok {
			return nil
		}
		if n.k == kInt && !s.isFloat {
			sum := s.sumI + n.i
			if (sum > s.sumI) == (n.i > 0) || n.i == 0 {
				s.sumI = sum
				return nil
			}
			// overflow: continue in floating point
			s.isFloat, s.sumF = true, float64(s.sumI)
		}
		if !s.isFloat {
			s.isFloat, s.sumF = true, float64(s.sumI)
		}
		s.sumF += toFloat(n)
	case "min":
		if s.count == 1 || sortCompare(v, s.best) < 0 {
			s.best = v
		}
	case "max":
		if s.count == 1 || sortCompare(v, s.best) > 0 {
			s.best = v
		}
	}
	return nil
}

func (s *aggState) result() value {
	switch s.spec.fn {
	case "count":
		return intValue(s.count)
	case "sum":
		if s.count == 0 {
			return nullValue
		}
		if s.isFloat {
			return floatValue(s.sumF)
		}
		return intValue(s.sumI)
	case "avg":
		if s.count == 0 {
			return nullValue
		}
		if s.isFloat {
			return floatValue(s.sumF / float64(s.count))
		}
		return floatValue(float64(s.sumI) / float64(s.count))
	}
	if s.count == 0 {
		return nullValue
	}
	return s.best
}
