package store

import (
	"context"
	"errors"
	"iter"
)

// getManyMirrored answers GetMany from the mirror after one refresh: ids with no object are left
// out, the order of ids is kept, and no request is sent per id.
func (s *storeImpl) getManyMirrored(ctx context.Context, ids []string, skip bool) ([]*Object, error) {
	for _, id := range ids {
		if err := ValidateID(id); err != nil {
			return nil, err
		}
	}
	if err := s.mirror.readyToRead(ctx, skip); err != nil {
		return nil, err
	}
	out := make([]*Object, 0, len(ids))
	for _, id := range ids {
		obj, err := s.mirror.lookup(id)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return nil, err
		default:
			out = append(out, obj)
		}
	}
	return out, nil
}

// listMirrored answers List from the mirror after one refresh, as List does: live objects by
// trusted authors, the oldest issue of an id met twice, oldest first, ListOptions.Since compared
// with the updated_at, an unreadable object yielded as its error (the listing goes on), and
// Limit counting the objects yielded.
func (s *storeImpl) listMirrored(ctx context.Context, opts ListOptions, skip bool) iter.Seq2[*Object, error] {
	return func(yield func(*Object, error) bool) {
		if err := s.mirror.readyToRead(ctx, skip); err != nil {
			yield(nil, err)
			return
		}
		count := 0
		var seen ScanFigures
		for _, e := range s.mirror.objects(opts.Since) {
			if e.err != nil {
				if !yield(nil, e.err) {
					return
				}
				continue
			}
			o := cloneObject(e.obj)
			o.duplicates = s.mirror.duplicatesOf(e)
			seen.count(o)
			if !yield(o, nil) {
				return
			}
			count++
			if opts.Limit > 0 && count >= opts.Limit {
				return
			}
		}
		if opts == (ListOptions{}) {
			s.lastScan.Store(&seen)
		}
	}
}
