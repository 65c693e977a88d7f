package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// Collection is a typed view of a Store (DESIGN.md §4a): each object's JSON data is a T, decoded
// and encoded by encoding/json through T's `json` tags. It is what asyncrepo's one interface (get,
// list, search) is for ghstore, typed:
//
//	type Task struct {
//		Title string `json:"title"`
//		Done  bool   `json:"done"`
//	}
//	tasks := store.NewCollection[Task](st)
//	err := tasks.Insert(ctx, "t1", Task{Title: "write docs"})
//	t, err := tasks.Update(ctx, "t1", func(t *Task) error { t.Done = true; return nil })
//	for t, err := range tasks.Where(ctx, func(t Task) bool { return !t.Done }) { … }
//
// Update is serializable (§3a): fn runs on the current value and, when another writer's update
// lands first, again on the value that update left, so no update is lost. A T that does not name
// every key of an object leaves the others as they are: Insert writes T's keys, Update writes the
// keys T encodes over the object's current ones (a key T omits, or omits when empty, is kept).
type Collection[T any] struct {
	s *Store
}

// NewCollection is the collection of s's objects read as T.
func NewCollection[T any](s *Store) *Collection[T] { return &Collection[T]{s: s} }

// Get reads object id as a T. ErrNotFound when there is none.
func (c *Collection[T]) Get(ctx context.Context, id string) (T, error) {
	var v T
	obj, err := c.s.Get(ctx, id)
	if err != nil {
		return v, err
	}
	return decodeAs[T](obj)
}

// Insert stores v as a new object id. ErrDuplicateKey when a live object has that id.
func (c *Collection[T]) Insert(ctx context.Context, id string, v T) error {
	data, err := encodeObject(id, v)
	if err != nil {
		return err
	}
	_, err = c.s.Create(ctx, id, data)
	return err
}

// Update changes object id by fn, serializably, and returns the value written (or, when fn left it
// equal, the value as it is). An error from fn ends the update with nothing written and is
// returned as it is. fn may run several times and must not have other effects.
func (c *Collection[T]) Update(ctx context.Context, id string, fn func(*T) error) (T, error) {
	var out T
	obj, _, err := c.s.UpdateFunc(ctx, id, func(cur *Object) (json.RawMessage, error) {
		v, err := decodeAs[T](cur)
		if err != nil {
			return nil, err
		}
		if err := fn(&v); err != nil {
			return nil, errFromFunc{err}
		}
		patch, err := encodeObject(cur.ID, v)
		if err != nil {
			return nil, err
		}
		return overlay(cur.Data, patch), nil
	})
	var fe errFromFunc
	if errors.As(err, &fe) {
		return out, fe.err
	}
	if err != nil {
		return out, err
	}
	return decodeAs[T](obj)
}

// errFromFunc carries an error of Update's fn through the store unchanged.
type errFromFunc struct{ err error }

func (e errFromFunc) Error() string { return e.err.Error() }
func (e errFromFunc) Unwrap() error { return e.err }

// Delete archives object id (soft delete). ErrNotFound when there is none.
func (c *Collection[T]) Delete(ctx context.Context, id string) error { return c.s.Delete(ctx, id) }

// All yields every live object as a T, in creation order, a page at a time.
func (c *Collection[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return c.Where(ctx, nil)
}

// Where yields the live objects whose T keep returns true for (nil: all). The predicate runs
// here, on every object: GitHub has no query on issue bodies.
func (c *Collection[T]) Where(ctx context.Context, keep func(T) bool) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for obj, err := range c.s.List(ctx, ListOptions{}) {
			var v T
			if err == nil {
				v, err = decodeAs[T](obj)
			}
			if err != nil {
				yield(v, err)
				return
			}
			if keep != nil && !keep(v) {
				continue
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

func decodeAs[T any](obj *Object) (T, error) {
	var v T
	if err := json.Unmarshal(obj.Data, &v); err != nil {
		return v, fmt.Errorf("%w: %q (issue #%d) does not decode as %T: %v", ErrInvalidData, obj.ID, obj.Issue, v, err)
	}
	return v, nil
}

// encodeObject encodes v, which must encode as a JSON object.
func encodeObject[T any](id string, v T) (json.RawMessage, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: encoding %T: %v", ErrInvalidData, id, v, err)
	}
	if _, ok := parseObject(data); !ok {
		return nil, fmt.Errorf("%w: %q: %T encodes as %s, not a JSON object", ErrInvalidData, id, v, data)
	}
	return data, nil
}

// overlay is cur with each top-level key of patch set to patch's value (both JSON objects).
func overlay(cur, patch []byte) json.RawMessage {
	base, ok := parseObject(cur)
	if !ok {
		return patch
	}
	p, _ := parseObject(patch)
	out := base.clone()
	for i, k := range p.keys {
		out.set(k, p.vals[i])
	}
	return out.compact()
}
