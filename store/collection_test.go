package store

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
)

type task struct {
	Title string `json:"title"`
	Done  bool   `json:"done"`
	Count int64  `json:"count"`
}

func TestCollection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.store("acme")
	tasks := NewCollection[task](s)
	ctx := e.ctx
	check(t, tasks.Insert(ctx, "t1", task{Title: "write docs"}))
	check(t, tasks.Insert(ctx, "t2", task{Title: "ship", Done: true}))
	if err := tasks.Insert(ctx, "T1", task{}); !errors.Is(err, ErrDuplicateKey) {
		t.Fatalf("Insert of an existing id: %v, want ErrDuplicateKey", err)
	}
	// A key T does not model survives an Update.
	_, err := s.Update(ctx, "t1", json.RawMessage(`{"owner":"carol"}`))
	check(t, err)
	got, err := tasks.Update(ctx, "t1", func(t *task) error { t.Done = true; return nil })
	check(t, err)
	if got != (task{Title: "write docs", Done: true}) {
		t.Fatalf("Update returned %+v", got)
	}
	obj, err := s.Get(ctx, "t1")
	check(t, err)
	if !jsonEqual(obj.Data, []byte(`{"title":"write docs","done":true,"count":0,"owner":"carol"}`)) {
		t.Fatalf("object after Update: %s", obj.Data)
	}
	stop := errors.New("no")
	if _, err := tasks.Update(ctx, "t1", func(*task) error { return stop }); err != stop {
		t.Fatalf("Update whose fn fails: %v, want fn's error as it is", err)
	}
	var open []string
	for v, err := range tasks.Where(ctx, func(t task) bool { return t.Title == "ship" }) {
		check(t, err)
		open = append(open, v.Title)
	}
	if len(open) != 1 {
		t.Fatalf("Where: %v", open)
	}
	n := 0
	for _, err := range tasks.All(ctx) {
		check(t, err)
		n++
	}
	if n != 2 {
		t.Fatalf("All: %d objects, want 2", n)
	}
	check(t, tasks.Delete(ctx, "t2"))
	if _, err := tasks.Get(ctx, "t2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := NewCollection[[]int](s).Insert(ctx, "x", []int{1}); !errors.Is(err, ErrInvalidData) {
		t.Fatalf("Insert of a T that is no JSON object: %v, want ErrInvalidData", err)
	}
}

// TestCollectionUpdateIsSerializable: writers with their own Stores (their own transports and
// caches) increment one counter through Collection.Update; every increment holds.
func TestCollectionUpdateIsSerializable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	check(t, NewCollection[task](e.store("acme")).Insert(e.ctx, "c", task{Title: "counter"}))
	const writers, each = 4, 8
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		tasks := NewCollection[task](e.store([]string{"acme", "carol"}[w%2]))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := tasks.Update(context.Background(), "c", func(t *task) error { t.Count++; return nil }); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got, err := NewCollection[task](e.store("carol")).Get(e.ctx, "c")
	check(t, err)
	if got.Count != writers*each {
		t.Fatalf("count = %d after %d increments", got.Count, writers*each)
	}
}
