package store

import (
	"context"
	"sort"
)

// history returns object id's log rows (DESIGN.md §4): every comment that is a JSON object, in
// (created_at, comment id) order, seq from 1, checkpoints included (kind "checkpoint"). The initial
// state is always applied and processed; an untrusted comment is a row with Trusted and Applied
// false and never processed; a trusted update is applied unless superseded (§3a), and processed
// per fold's rule (everything on a closed issue; the prefix the body witnesses on an open one; the
// +1 rollup on a legacy one). Non-JSON comments are not rows. It reads the whole log (that is
// what it is for): 1 + ceil(C/100) requests, the lookup left out when the mirror knows the issue.
func (s *storeImpl) history(ctx context.Context, id string) ([]Entry, error) {
	rs, err := s.get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return s.historyOf(ctx, rs.obj.ID, rs.obj.Issue, rs.issue.body, rs.issue.state == "open")
}

// historyOf is history of the object id whose issue (number, body, open) is known.
func (s *storeImpl) historyOf(ctx context.Context, id string, number int, body string, open bool) ([]Entry, error) {
	cs, err := s.listComments(ctx, number)
	if err != nil {
		return nil, err
	}
	es, err := s.entries(ctx, cs)
	if err != nil {
		return nil, err
	}
	f, err := foldWhole(number, body, open, es)
	if err != nil {
		return nil, err
	}
	type state struct{ applied, processed bool }
	updates := map[int64]state{}
	for i, u := range f.updates {
		updates[u.commentID] = state{f.applied[i], f.processed[i]}
	}
	sort.SliceStable(es, func(i, j int) bool { return logOrder(&es[i], &es[j]) })
	var out []Entry
	initialSeen := false
	for _, e := range es {
		if !e.isEntry {
			continue
		}
		row := Entry{
			ID:        id,
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
			row.Applied, row.Processed = !initialSeen, !initialSeen
			initialSeen = true
		case e.parsed.kind == KindCheckpoint:
			// The whole state through an earlier comment: what readers fold from, itself no change.
			row.Applied, row.Processed = true, true
		default:
			st := updates[e.commentID]
			row.Applied, row.Processed = st.applied, st.processed
		}
		out = append(out, row)
	}
	return out, nil
}
