package query

import (
	"fmt"
	"strings"
)

// explainColumns are EXPLAIN's result columns.
var explainColumns = []string{"access", "table", "ids", "requests", "detail"}

// explainRows describes the plan: how it fetches, what that costs for a store of m objects of
// which open are open, and what it then does locally.
func (p *plan) explainRows(m, open int) ([]string, [][]any) {
	st := p.st
	cols := append([]string(nil), explainColumns...)
	a := p.access
	var ids any
	if !a.Scan && a.IDs != nil {
		ids = strings.Join(a.IDs, ",")
	}
	access := a.String()
	requests := a.Requests(m, open)
	var detail []string
	switch st.kind {
	case Insert:
		access = fmt.Sprintf("insert of %d rows", len(p.rows))
		if st.ins.upsert {
			access += fmt.Sprintf(" with upsert (%s)", a)
			detail = append(detail, "existing ids are updated by ON DUPLICATE KEY UPDATE")
		} else {
			requests = 0
		}
		detail = append(detail, "then ≤ 4 requests per inserted object")
	case Update:
		detail = append(detail, "then ≤ 4 requests per changed object")
	case Delete:
		detail = append(detail, "then ≤ 2 requests per deleted object")
	}
	if a.ScanCheaper(m, open) {
		access = fmt.Sprintf("scan (cheaper than a point lookup of %d ids)", len(a.IDs))
	}
	if st.where != nil {
		detail = append([]string{"filter evaluated locally"}, detail...)
	}
	if sel := st.sel; sel != nil {
		if sel.grouped {
			detail = append(detail, fmt.Sprintf("aggregate (%d group keys)", len(sel.groupBy)))
		}
		if len(sel.order) > 0 {
			detail = append(detail, fmt.Sprintf("sort on %d keys", len(sel.order)))
		}
		if p.limit >= 0 || p.offset > 0 {
			detail = append(detail, fmt.Sprintf("limit %d offset %d", p.limit, p.offset))
		}
		if !sel.grouped && len(sel.order) == 0 {
			detail = append(detail, "streams")
		}
	}
	row := []any{access, string(st.table), ids, int64(requests), strings.Join(detail, "; ")}
	return cols, [][]any{row}
}
