package query

import (
	"fmt"
	"strings"
	"time"
)

// explainColumns are EXPLAIN's result columns: how the plan fetches, what it names, the most
// requests it sends and how many of those create content (GitHub's secondary limit counts
// those), the least wall time the Connector's pacing allows for them, and what it does besides.
var explainColumns = []string{"access", "table", "ids", "requests", "creating", "least_time", "detail"}

// explainRows describes the plan under e: one row.
func (p *plan) explainRows(e Estimate) ([]string, [][]any) {
	st := p.st
	cols := append([]string(nil), explainColumns...)
	a := p.access
	var ids any
	if !a.Scan && a.IDs != nil {
		ids = strings.Join(a.IDs, ",")
	}
	cost := p.cost(e)
	access := a.String()
	var detail []string
	switch st.kind {
	case Insert:
		access = fmt.Sprintf("insert of %d rows", len(p.rows))
		if st.ins.upsert {
			access += fmt.Sprintf(" with upsert (%s)", a)
			detail = append(detail, fmt.Sprintf("%d requests (%d creating) per existing id, %d (%d) per new one",
				updateRequests, updateCreating, insertRequests, insertCreating), updateModel(e.Async))
		} else {
			detail = append(detail, fmt.Sprintf("%d requests (%d creating) per object", insertRequests, insertCreating))
		}
	case Update, Delete:
		verb, req, cre := "updated", updateRequests, updateCreating
		switch {
		case st.kind == Delete:
			verb, req, cre = "deleted", deleteRequests, deleteCreating
		case e.Async:
			req, cre = asyncUpdateRequests, asyncUpdateCreating
		}
		detail = append(detail, fmt.Sprintf("up to %s %s, %d requests (%d creating) each", objectsText(cost.Objects), verb, req, cre))
		if st.kind == Update {
			detail = append(detail, updateModel(e.Async))
		}
	}
	if st.kind == Select && st.table == History {
		detail = append(detail, "each object's log: its lookup and 1 request per 100 comments (2 if it is open)")
	}
	if e.Scanned && a.ScanCheaper(e.Objects, e.Open) && st.table == Objects && st.kind != Insert {
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
	if a.Scan {
		switch {
		case !e.Scanned:
			detail = append(detail, "store size unknown until a scan (counted as empty)")
		case e.Open > 0:
			detail = append(detail, fmt.Sprintf("%s (%d open) at the last scan", objectsText(e.Objects), e.Open))
		default:
			detail = append(detail, objectsText(e.Objects)+" at the last scan")
		}
	}
	row := []any{access, string(st.table), ids, int64(cost.Requests), int64(cost.ContentCreating),
		durationText(cost.LeastTime), strings.Join(detail, "; ")}
	return cols, [][]any{row}
}

// objectsText is "1 object" or "n objects".
func objectsText(n int) string {
	if n == 1 {
		return "1 object"
	}
	return fmt.Sprintf("%d objects", n)
}

// durationText is a least wall time as EXPLAIN shows it: whole seconds past a minute, else
// rounded to the millisecond.
func durationText(d time.Duration) string {
	if d >= time.Minute {
		d = d.Round(time.Second)
	} else {
		d = d.Round(time.Millisecond)
	}
	return d.String()
}

// updateModel says what concurrent updates of one object do under the DSN's apply mode
// (DESIGN.md §3a).
func updateModel(async bool) string {
	if async {
		return "apply=async: last writer wins; read-modify-write needs apply=inline"
	}
	return "serializable; a lost race costs 3 requests more"
}
