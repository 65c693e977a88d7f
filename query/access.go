package query

import (
	"fmt"
	"github.com/ghstore/ghstore/internal/idkey"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// accessSpec is what a WHERE clause says about which objects to fetch, before binding: the
// top-level conjuncts that only admit listed ids (`id = x`, `x = id`, `id IN (…)`, OR of
// those), each as the exprs giving its ids. Everything else scans. The whole WHERE is still
// evaluated on what is fetched, so the access path only narrows the fetch.
type accessSpec struct {
	scan  bool
	idSet [][]expr
}

func analyzeAccess(c *compiler, where sqlparser.Expr) (accessSpec, error) {
	var conj []sqlparser.Expr
	var flatten func(x sqlparser.Expr, d int)
	flatten = func(x sqlparser.Expr, d int) {
		switch y := x.(type) {
		case *sqlparser.AndExpr:
			if d < maxDepth {
				flatten(y.Left, d+1)
				flatten(y.Right, d+1)
				return
			}
		case *sqlparser.ParenExpr:
			if d < maxDepth {
				flatten(y.Expr, d+1)
				return
			}
		}
		conj = append(conj, x)
	}
	flatten(where, 0)
	var spec accessSpec
	for _, x := range conj {
		ids, ok := idOperands(x, c, 0)
		if !ok {
			continue
		}
		list := make([]expr, 0, len(ids))
		for _, id := range ids {
			e, err := c.compile(id, 0)
			if err != nil {
				return accessSpec{}, err
			}
			list = append(list, e)
		}
		spec.idSet = append(spec.idSet, list)
	}
	spec.scan = len(spec.idSet) == 0
	return spec, nil
}

// idOperands returns the values x admits for the id column, when x only admits listed ids.
func idOperands(x sqlparser.Expr, c *compiler, d int) ([]sqlparser.Expr, bool) {
	if d > maxDepth {
		return nil, false
	}
	switch y := x.(type) {
	case *sqlparser.ParenExpr:
		return idOperands(y.Expr, c, d+1)
	case *sqlparser.OrExpr:
		l, ok := idOperands(y.Left, c, d+1)
		if !ok {
			return nil, false
		}
		r, ok := idOperands(y.Right, c, d+1)
		if !ok {
			return nil, false
		}
		return append(l, r...), true
	case *sqlparser.ComparisonExpr:
		switch y.Operator {
		case sqlparser.EqualStr:
			if isIDColumn(y.Left, c) && isConstant(y.Right) {
				return []sqlparser.Expr{y.Right}, true
			}
			if isIDColumn(y.Right, c) && isConstant(y.Left) {
				return []sqlparser.Expr{y.Left}, true
			}
		case sqlparser.InStr:
			tuple, ok := y.Right.(sqlparser.ValTuple)
			if !ok || !isIDColumn(y.Left, c) {
				return nil, false
			}
			for _, v := range tuple {
				if !isConstant(v) {
					return nil, false
				}
			}
			return append([]sqlparser.Expr(nil), tuple...), true
		}
	}
	return nil, false
}

func isIDColumn(x sqlparser.Expr, c *compiler) bool {
	col, ok := x.(*sqlparser.ColName)
	if !ok || !col.Name.EqualString("id") {
		return false
	}
	if !col.Qualifier.IsEmpty() {
		q := col.Qualifier.Name.String()
		return col.Qualifier.Qualifier.IsEmpty() && (strings.EqualFold(q, string(c.table)) || c.alias != "" && strings.EqualFold(q, c.alias))
	}
	return true
}

func isConstant(x sqlparser.Expr) bool {
	switch y := x.(type) {
	case *sqlparser.SQLVal:
		return y.Type == sqlparser.StrVal || y.Type == sqlparser.IntVal || y.Type == sqlparser.ValArg
	case *sqlparser.NullVal:
		return true
	}
	return false
}

// bindAccess computes the access path with the arguments bound: the ids every id conjunct
// admits (intersected, deduplicated case-insensitively, in order of first appearance). An id
// operand that is no string or integer (a float, a JSON value) falls back to a scan.
func (s accessSpec) bind(args []value) Access {
	if s.scan {
		return Access{Scan: true}
	}
	e := &env{args: args}
	var result []string
	for n, list := range s.idSet {
		var ids []string
		seen := map[string]bool{}
		for _, x := range list {
			v, err := x.eval(e)
			if err != nil {
				return Access{Scan: true}
			}
			var id string
			switch v.k {
			case kNull:
				continue
			case kString:
				id = v.s
			case kInt:
				id = strconv.FormatInt(v.i, 10)
			default:
				return Access{Scan: true}
			}
			key := foldID(id)
			if !seen[key] {
				seen[key] = true
				ids = append(ids, id)
			}
		}
		if n == 0 {
			result = ids
			continue
		}
		kept := result[:0]
		for _, id := range result {
			if seen[foldID(id)] {
				kept = append(kept, id)
			}
		}
		result = kept
	}
	if result == nil {
		result = []string{}
	}
	return Access{IDs: result}
}

// scanRequests is a scan's cost: the listing, 100 a page (at least one request), plus one per
// open object for its pending comments.
func scanRequests(m, open int) int {
	pages := (m + 99) / 100
	if pages < 1 {
		pages = 1
	}
	return pages + open
}

// Requests is the number of requests the access costs for a store of m objects, open of which
// are open.
func (a Access) Requests(m, open int) int {
	scan := scanRequests(m, open)
	if a.Scan {
		return scan
	}
	return min(len(a.IDs), scan)
}

// ScanCheaper reports whether scanning a store of m objects (open of them open) costs fewer
// requests than the point lookups: the driver may then scan instead.
func (a Access) ScanCheaper(m, open int) bool {
	return !a.Scan && scanRequests(m, open) < len(a.IDs)
}

// String names the access path, e.g. "point lookup of 2 ids" or "scan".
func (a Access) String() string {
	if a.Scan {
		return "scan"
	}
	if len(a.IDs) == 1 {
		return "point lookup of 1 id"
	}
	return fmt.Sprintf("point lookup of %d ids", len(a.IDs))
}

// foldID is an id's key (internal/idkey: the one key function of ids).
func foldID(id string) string { return idkey.Of(id) }
