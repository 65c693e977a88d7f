package store

import (
	"context"
	"sort"
)

// history returns object id's log rows (DESIGN.md §4): every comment that is a JSON object, in
// (created_at, comment id) order, seq from 1. The initial state is always processed; an untrusted
// comment is a row with Trusted false and never processed; a trusted update is processed per fold's
// rule (everything on a closed issue; the prefix the body witnesses on an open one; the +1 rollup on
// a legacy one). Non-JSON comments are not rows.
func (s *storeImpl) history(ctx context.Context, id string) ([]Entry, error) {
	rs, err := s.get(ctx, id, true)
	if err != nil {
		return nil, err
	}
	es, err := s.entries(ctx, rs.comments)
	if err != nil {
		return nil, err
	}
	processed := map[int64]bool{}
	for i, u := range rs.fold.updates {
		processed[u.commentID] = rs.fold.processed[i]
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.Before(b.createdAt)
		}
		return a.commentID < b.commentID
	})
	var out []Entry
	initialSeen := false
	for _, e := range es {
		if !e.isEntry {
			continue
		}
		row := Entry{
			ID:        rs.obj.ID,
			Seq:       len(out) + 1,
			Kind:      e.parsed.kind,
			Data:      e.parsed.data.compact(),
			Author:    e.author,
			Trusted:   e.trusted,
			CreatedAt: e.createdAt,
			CommentID: e.commentID,
		}
		switch {
		case !e.trusted:
		case e.parsed.kind == KindInitial:
			row.Processed = !initialSeen
			initialSeen = true
		default:
			row.Processed = processed[e.commentID]
		}
		out = append(out, row)
	}
	return out, nil
}
