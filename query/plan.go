package query

import (
	"fmt"
)

// plan is a bound statement.
type plan struct {
	st     *statement
	args   []value
	access Access
	limit  int64 // -1: none
	offset int64
	rows   []Row // INSERT's rows
}

func (st *statement) kindName() string {
	switch st.kind {
	case Select:
		return "SELECT"
	case Insert:
		return "INSERT"
	case Update:
		return "UPDATE"
	case Delete:
		return "DELETE"
	}
	return "unknown"
}

func (st *statement) bind(args []Arg) (*plan, error) {
	vals, err := st.ph.bindArgs(args)
	if err != nil {
		return nil, err
	}
	p := &plan{st: st, args: vals, limit: -1}
	switch st.kind {
	case Select, Update, Delete:
		p.access = st.access.bind(vals)
	}
	if err := checkConstantData(st.upd, vals, "UPDATE"); err != nil {
		return nil, err
	}
	if sel := st.sel; sel != nil {
		if p.limit, err = bindCount(sel.limit, vals, "LIMIT", -1); err != nil {
			return nil, err
		}
		if p.offset, err = bindCount(sel.offset, vals, "OFFSET", 0); err != nil {
			return nil, err
		}
	}
	if ins := st.ins; ins != nil {
		if p.rows, err = ins.buildRows(vals); err != nil {
			return nil, err
		}
		if ins.upsert {
			if err := checkConstantData(ins.onDup, vals, "ON DUPLICATE KEY UPDATE"); err != nil {
				return nil, err
			}
			ids := []string{}
			seen := map[string]bool{}
			for _, r := range p.rows {
				if k := foldID(r.ID); !seen[k] {
					seen[k] = true
					ids = append(ids, r.ID)
				}
			}
			p.access = Access{IDs: ids}
		}
	}
	return p, nil
}

// bindCount evaluates LIMIT or OFFSET: a non-negative integer.
func bindCount(x expr, args []value, what string, absent int64) (int64, error) {
	if x == nil {
		return absent, nil
	}
	v, err := x.eval(&env{args: args})
	if err != nil {
		return 0, err
	}
	if v.k != kInt || v.i < 0 {
		return 0, &Error{Kind: ErrBind, Msg: fmt.Sprintf("%s must be a non-negative integer, got %s", what, describeArg(v))}
	}
	return v.i, nil
}

func describeArg(v value) string {
	if v.isNull() {
		return "NULL"
	}
	return fmt.Sprintf("%v", v.goValue())
}
