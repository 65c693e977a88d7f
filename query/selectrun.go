package query

import (
	"iter"
	"slices"
)

// runSelect is Plan.Select. Without ORDER BY, GROUP BY or aggregates it streams: it pulls a
// record only when the consumer wants the next row and stops pulling once LIMIT is met.
func (p *plan) runSelect(records iter.Seq2[*Record, error]) iter.Seq2[[]any, error] {
	sel := p.st.sel
	return func(yield func([]any, error) bool) {
		if sel == nil {
			yield(nil, &Error{Msg: "Select on a " + p.st.kindName() + " statement"})
			return
		}
		if p.limit == 0 {
			return
		}
		e := &env{args: p.args}
		var dedupe *distinctSet
		if sel.distinct {
			dedupe = &distinctSet{seen: map[string]bool{}}
		}
		if !sel.grouped && len(sel.order) == 0 {
			skip, left := p.offset, p.limit
			for _, err := range p.filter(records, e) {
				if err != nil {
					yield(nil, err)
					return
				}
				row, vals, err := project(e, sel)
				if err != nil {
					yield(nil, err)
					return
				}
				if dedupe != nil && dedupe.dup(vals) {
					continue
				}
				if skip > 0 {
					skip--
					continue
				}
				if !yield(row, nil) {
					return
				}
				if left > 0 {
					if left--; left == 0 {
						return
					}
				}
			}
			return
		}
		rows, err := p.collect(records, e, dedupe)
		if err != nil {
			yield(nil, err)
			return
		}
		if len(sel.order) > 0 {
			slices.SortStableFunc(rows, func(a, b sortedRow) int {
				for i, k := range sel.order {
					c := sortCompare(a.keys[i], b.keys[i])
					if k.desc {
						c = -c
					}
					if c != 0 {
						return c
					}
				}
				return 0
			})
		}
		skip, left := p.offset, p.limit
		for _, r := range rows {
			if skip > 0 {
				skip--
				continue
			}
			if !yield(r.row, nil) {
				return
			}
			if left > 0 {
				if left--; left == 0 {
					return
				}
			}
		}
	}
}

type sortedRow struct {
	row  []any
	keys []value
}

// collect reads every record, filtering, grouping and aggregating, and computes each output
// row with its ORDER BY keys.
func (p *plan) collect(records iter.Seq2[*Record, error], e *env, dedupe *distinctSet) ([]sortedRow, error) {
	sel := p.st.sel
	var rows []sortedRow
	emit := func() error {
		if sel.having != nil {
			v, err := sel.having.eval(e)
			if err != nil {
				return err
			}
			if b, ok := v.truth(); !ok || !b {
				return nil
			}
		}
		row, vals, err := project(e, sel)
		if err != nil {
			return err
		}
		if dedupe != nil && dedupe.dup(vals) {
			return nil
		}
		keys := make([]value, len(sel.order))
		for i, k := range sel.order {
			if keys[i], err = k.x.eval(e); err != nil {
				return err
			}
		}
		rows = append(rows, sortedRow{row, keys})
		return nil
	}
	if !sel.grouped {
		for _, err := range p.filter(records, e) {
			if err != nil {
				return nil, err
			}
			if err := emit(); err != nil {
				return nil, err
			}
		}
		return rows, nil
	}
	type group struct {
		first  Record
		has    bool
		states []aggState
	}
	newGroup := func() *group {
		g := &group{states: make([]aggState, len(sel.aggs))}
		for i, a := range sel.aggs {
			g.states[i].spec = a
		}
		return g
	}
	var groups []*group
	index := map[string]*group{}
	var key []byte
	for rec, err := range p.filter(records, e) {
		if err != nil {
			return nil, err
		}
		key = key[:0]
		for _, g := range sel.groupBy {
			v, err := g.eval(e)
			if err != nil {
				return nil, err
			}
			key = groupKey(key, v)
		}
		g := index[string(key)]
		if g == nil {
			g = newGroup()
			g.first, g.has = *rec, true
			index[string(key)] = g
			groups = append(groups, g)
		}
		for i := range g.states {
			if err := g.states[i].add(e); err != nil {
				return nil, err
			}
		}
	}
	if len(groups) == 0 && len(sel.groupBy) == 0 {
		groups = append(groups, newGroup()) // aggregates over no rows: COUNT 0, others NULL
	}
	e.aggs = make([]value, len(sel.aggs))
	for _, g := range groups {
		if g.has {
			e.setRecord(&g.first)
		} else {
			e.setRecord(nil)
		}
		for i := range g.states {
			e.aggs[i] = g.states[i].result()
		}
		if err := emit(); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// project computes a result row: the Go values, and the values for DISTINCT.
func project(e *env, sel *selectSpec) ([]any, []value, error) {
	row := make([]any, len(sel.items))
	var vals []value
	if sel.distinct {
		vals = make([]value, len(sel.items))
	}
	for i, it := range sel.items {
		v, err := it.x.eval(e)
		if err != nil {
			return nil, nil, err
		}
		row[i] = v.goValue()
		if vals != nil {
			vals[i] = v
		}
	}
	return row, vals, nil
}

type distinctSet struct {
	seen map[string]bool
	buf  []byte
}

func (d *distinctSet) dup(vals []value) bool {
	d.buf = d.buf[:0]
	for _, v := range vals {
		d.buf = groupKey(d.buf, v)
	}
	if d.seen[string(d.buf)] {
		return true
	}
	d.seen[string(d.buf)] = true
	return false
}

// filter is the one WHERE loop: it yields the records WHERE keeps, each set in e when it is
// yielded, and the first error (of the records or of WHERE), after which it stops.
func (p *plan) filter(records iter.Seq2[*Record, error], e *env) iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		for rec, err := range records {
			if err != nil {
				yield(nil, err)
				return
			}
			e.setRecord(rec)
			ok, err := p.matches(e)
			if err != nil {
				yield(nil, err)
				return
			}
			if ok && !yield(rec, nil) {
				return
			}
		}
	}
}

// matches evaluates WHERE for the record in e.
func (p *plan) matches(e *env) (bool, error) {
	if p.st.where == nil {
		return true, nil
	}
	v, err := p.st.where.eval(e)
	if err != nil {
		return false, err
	}
	b, ok := v.truth()
	return ok && b, nil
}
