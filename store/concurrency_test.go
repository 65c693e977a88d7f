package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// 8 writers (separate Stores, separate transports) × 10 inline updates to disjoint keys of one
// object: nothing is lost, neither from the body nor from the log.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	e := newEnv(t)
	obj, err := e.store("acme").Create(e.ctx, "shared", json.RawMessage(`{}`))
	check(t, err)
	const writers, updates = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*updates)
	for w := 0; w < writers; w++ {
		login := []string{"acme", "carol"}[w%2]
		s := e.store(login)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < updates; i++ {
				patch := fmt.Sprintf(`{"w%d":%d,"k%d_%d":true}`, w, i, w, i)
				if _, err := s.Update(e.ctx, "shared", json.RawMessage(patch)); err != nil {
					errs <- fmt.Errorf("writer %d update %d: %w", w, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := e.store("carol").Get(e.ctx, "shared")
	check(t, err)
	v, _ := parseObject(got.Data)
	for w := 0; w < writers; w++ {
		if x := v.get(fmt.Sprintf("w%d", w)); x == nil || string(x.raw) != fmt.Sprint(updates-1) {
			t.Errorf("w%d = %v", w, x)
		}
		for i := 0; i < updates; i++ {
			if v.get(fmt.Sprintf("k%d_%d", w, i)) == nil {
				t.Errorf("lost k%d_%d", w, i)
			}
		}
	}
	h, err := e.store("carol").History(e.ctx, "shared")
	check(t, err)
	applied := 0
	for _, r := range h {
		if r.Applied && r.Kind != KindCheckpoint {
			applied++
		}
	}
	if applied != 1+writers*updates {
		t.Fatalf("%d applied log rows of %d, want %d (an update duplicated or lost)", applied, len(h), 1+writers*updates)
	}
	iss, _, err := e.client("acme").Issues.Get(e.ctx, "acme", "data", obj.Issue)
	check(t, err)
	if iss.GetState() == "closed" && !jsonEqual([]byte(iss.GetBody()), got.Data) {
		t.Fatalf("closed issue's body is not the fold:\n%s", iss.GetBody())
	}
}

// Concurrent Create of one id: one live object; every other caller gets ErrDuplicateKey.
func TestConcurrentCreateOneWins(t *testing.T) {
	e := newEnv(t)
	const n = 6
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := 0; i < n; i++ {
		s := e.store([]string{"acme", "carol"}[i%2])
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = s.Create(e.ctx, "race", json.RawMessage(fmt.Sprintf(`{"by":%d}`, i)))
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, ErrDuplicateKey):
			t.Fatalf("create: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d creates won: %v", wins, results)
	}
	live := 0
	for _, err := range e.store("acme").List(e.ctx, ListOptions{}) {
		check(t, err)
		live++
	}
	if live != 1 {
		t.Fatalf("%d live objects", live)
	}
	// Ids are case-insensitive: "RACE" is the same object.
	if _, err := e.store("acme").Create(e.ctx, "RACE", json.RawMessage(`{}`)); !errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), "#") {
		t.Fatalf("RACE: %v", err)
	}
}

// Two processors racing over pending updates (with an async writer still writing) end with the
// full fold.
func TestProcessorsRacing(t *testing.T) {
	e := newEnv(t)
	obj, err := e.store("acme").Create(e.ctx, "p", json.RawMessage(`{"n":0}`))
	check(t, err)
	async := e.store("carol", Options{Async: true})
	for i := 0; i < 5; i++ {
		_, err := async.Update(e.ctx, "p", json.RawMessage(fmt.Sprintf(`{"a%d":%d}`, i, i)))
		check(t, err)
	}
	var wg sync.WaitGroup
	for _, login := range []string{"acme", "carol"} {
		s := e.store(login)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				if _, err := s.Process(e.ctx, obj.Issue); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 5; i < 8; i++ {
			if _, err := async.Update(e.ctx, "p", json.RawMessage(fmt.Sprintf(`{"a%d":%d}`, i, i))); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
	s := e.store("acme")
	if _, err := s.ProcessAll(e.ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(e.ctx, "p")
	check(t, err)
	want := `{"n":0,"a0":0,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7}`
	if !jsonEqual(got.Data, []byte(want)) || got.Pending != 0 {
		t.Fatalf("after racing processors %s pending %d", got.Data, got.Pending)
	}
}
