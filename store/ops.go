package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// update deep-merges patch into object id. The patch is checked before any request.
func (s *storeImpl) update(ctx context.Context, id string, patch []byte) (*Object, bool, error) {
	if err := ValidateID(id); err != nil {
		return nil, false, err
	}
	p, err := validateData(id, patch)
	if err != nil {
		return nil, false, err
	}
	if err := checkIndented(id, "update comment", p.compact()); err != nil {
		return nil, false, err
	}
	return s.modify(ctx, id, func(old *value) *value { return deepMerge(old, p) })
}

// replace makes data object id's whole state. data is checked before any request.
func (s *storeImpl) replace(ctx context.Context, id string, data []byte) (*Object, bool, error) {
	if err := ValidateID(id); err != nil {
		return nil, false, err
	}
	v, err := validateData(id, data)
	if err != nil {
		return nil, false, err
	}
	if err := checkIndented(id, "issue body", v.compact()); err != nil {
		return nil, false, err
	}
	return s.modify(ctx, id, func(*value) *value { return v })
}

// upsert replaces object id's state, or creates it when there is none.
func (s *storeImpl) upsert(ctx context.Context, id string, data []byte) (*Object, bool, error) {
	if err := ValidateID(id); err != nil {
		return nil, false, err
	}
	v, err := validateData(id, data)
	if err != nil {
		return nil, false, err
	}
	if err := checkIndented(id, "issue body", v.compact()); err != nil {
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]*Object, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, s.concurrency)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			rs, err := s.get(ctx, id, false)
			switch {
			case errors.Is(err, ErrNotFound):
			case err != nil:
				errs[i] = err
				cancel()
			default:
				out[i] = rs.obj
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, e := range errs { // the first real cause, not the cancellations it caused
			if e != nil && !errors.Is(e, context.Canceled) {
				return nil, e
			}
		}
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
