package store

import (
	"context"
	"errors"
	"fmt"
)

// checkWrite validates what a write is given, before any request: the id, the data (a JSON
// object), and its size once indented (what names the text the size applies to).
func checkWrite(id string, data []byte, what string) (*value, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	v, err := validateData(id, data)
	if err != nil {
		return nil, err
	}
	if err := checkIndented(id, what, v.compact()); err != nil {
		return nil, err
	}
	return v, nil
}

// update deep-merges patch into object id. The patch is checked before any request.
func (s *storeImpl) update(ctx context.Context, id string, patch []byte) (*Object, bool, error) {
	p, err := checkWrite(id, patch, "update comment")
	if err != nil {
		return nil, false, err
	}
	return s.modify(ctx, id, func(old *value) *value { return deepMerge(old, p) })
}

// replace makes data object id's whole state. data is checked before any request.
func (s *storeImpl) replace(ctx context.Context, id string, data []byte) (*Object, bool, error) {
	v, err := checkWrite(id, data, "issue body")
	if err != nil {
		return nil, false, err
	}
	return s.modify(ctx, id, func(*value) *value { return v })
}

// upsert replaces object id's state, or creates it when there is none.
func (s *storeImpl) upsert(ctx context.Context, id string, data []byte) (*Object, bool, error) {
	if _, err := checkWrite(id, data, "issue body"); err != nil {
		return nil, false, err
	}
	for try := 0; try < 2; try++ {
		obj, _, err := s.replace(ctx, id, data)
		if !errors.Is(err, ErrNotFound) {
			return obj, false, err
		}
		obj, err = s.create(ctx, id, data)
		if !errors.Is(err, ErrDuplicateKey) {
			return obj, err == nil, err
		}
		// Someone created it meanwhile: replace theirs.
	}
	return nil, false, fmt.Errorf("%w: %q: created and deleted concurrently", ErrDuplicateKey, id)
}

// getMany reads ids concurrently (at most Options.Concurrency at once), leaving out ids with no
// object and keeping the order of ids.
func (s *storeImpl) getMany(ctx context.Context, ids []string) ([]*Object, error) {
	for _, id := range ids {
		if err := ValidateID(id); err != nil {
			return nil, err
		}
	}
	out := make([]*Object, len(ids))
	err := eachBounded(ctx, len(ids), s.concurrency, true, func(ctx context.Context, i int) error {
		rs, err := s.get(ctx, ids[i], false)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			out[i] = rs.obj
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	found := out[:0]
	for _, o := range out {
		if o != nil {
			found = append(found, o)
		}
	}
	return found, nil
}
