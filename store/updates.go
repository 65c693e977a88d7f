package store

import (
	"context"
	"encoding/json"
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
	return s.modify(ctx, id, func(_ *Object, old *value) (*value, error) { return deepMerge(old, p), nil })
}

// replace makes data object id's whole state. data is checked before any request.
func (s *storeImpl) replace(ctx context.Context, id string, data []byte) (*Object, bool, error) {
	v, err := checkWrite(id, data, "issue body")
	if err != nil {
		return nil, false, err
	}
	return s.modify(ctx, id, func(*Object, *value) (*value, error) { return v, nil })
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

// put writes the change from base to data without reading the object first, conditionally: when
// another update landed since base was read, nothing is applied and the error wraps ErrConflict.
func (s *storeImpl) put(ctx context.Context, base *Object, data []byte) (*Object, bool, error) {
	if base == nil {
		return nil, false, fmt.Errorf("%w: Put needs the object as read", ErrInvalidData)
	}
	nv, err := validateData(base.ID, data)
	if err != nil {
		return nil, false, err
	}
	return s.updateFrom(ctx, base, func(*Object, *value) (*value, error) { return nv, nil }, true)
}

// updateWith applies fn, a function of the current object, serializably: fn is called again on the
// exact current state whenever another update landed first (DESIGN.md §3a). base is the object as
// read, or nil to read object id first.
func (s *storeImpl) updateWith(ctx context.Context, id string, base *Object, fn func(cur *Object) (json.RawMessage, error)) (*Object, bool, error) {
	m := func(cur *Object, _ *value) (*value, error) {
		data, err := fn(cur)
		if err != nil || data == nil {
			return nil, err
		}
		return validateData(cur.ID, data)
	}
	if base != nil {
		if err := ValidateID(base.ID); err != nil {
			return nil, false, err
		}
		return s.updateFrom(ctx, base, m, false)
	}
	if err := ValidateID(id); err != nil {
		return nil, false, err
	}
	return s.modify(ctx, id, m)
}
