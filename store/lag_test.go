package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/localgh"
)

// newLagEnv is newEnv on a server whose reads lag its writes by lag (localgh.Realism.Lag: a new
// issue 404s and is missing from listings, a label change shows late).
func newLagEnv(t *testing.T, lag time.Duration) *env {
	t.Helper()
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1,
		Realism: localgh.Realism{Lag: lag}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, login := range []string{"acme", "carol"} {
		check(t, srv.AddUser(login, tokenOf(login)))
	}
	check(t, srv.CreateRepo("acme", "data", false))
	check(t, srv.SetRole("acme", "data", "carol", localgh.Collaborator))
	return &env{t: t, srv: srv, ctx: t.Context()}
}

// TestReadYourWritesUnderLag: with reads lagging writes, a Store that knows the lag bound finds
// what it just created (Get, Update, Delete, a scan right after an INSERT), does not read what it
// just deleted, and reads its update of a just-created object.
func TestReadYourWritesUnderLag(t *testing.T) {
	t.Parallel()
	const lag = 150 * time.Millisecond
	e := newLagEnv(t, lag)
	s := e.store("acme", Options{ReadLag: lag})
	_, err := s.Create(e.ctx, "a", json.RawMessage(`{"n":1}`))
	check(t, err)
	got, err := s.Get(e.ctx, "a")
	check(t, err)
	if !jsonEqual(got.Data, []byte(`{"n":1}`)) {
		t.Fatalf("Get right after Create: %s", got.Data)
	}
	_, err = s.Create(e.ctx, "b", json.RawMessage(`{"n":1}`))
	check(t, err)
	_, err = s.Update(e.ctx, "b", json.RawMessage(`{"n":2}`))
	check(t, err)
	n := 0
	for _, err := range s.List(e.ctx, ListOptions{}) {
		check(t, err)
		n++
	}
	if n != 2 {
		t.Fatalf("a scan right after two Creates found %d objects", n)
	}
	_, err = s.Create(e.ctx, "c", json.RawMessage(`{}`))
	check(t, err)
	check(t, s.Delete(e.ctx, "c"))
	if _, err := s.Get(e.ctx, "c"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get right after Delete: %v, want ErrNotFound", err)
	}
	got, err = s.Get(e.ctx, "b")
	check(t, err)
	if !jsonEqual(got.Data, []byte(`{"n":2}`)) {
		t.Fatalf("b reads %s after its update", got.Data)
	}
}

// TestCreateRaceUnderLag: Stores creating one id at once, while listings omit new issues for the
// lag, still leave exactly one winner; the others are told ErrDuplicateKey. Without the re-check
// after the lag bound every one of them won.
func TestCreateRaceUnderLag(t *testing.T) {
	t.Parallel()
	const lag = 150 * time.Millisecond
	e := newLagEnv(t, lag)
	for round := 0; round < 3; round++ {
		id := fmt.Sprintf("race%d", round)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			s := e.store([]string{"acme", "carol"}[i%2], Options{ReadLag: lag})
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Create(e.ctx, id, json.RawMessage(fmt.Sprintf(`{"by":%d}`, i)))
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, ErrDuplicateKey):
				t.Fatalf("%s: %v", id, err)
			}
		}
		if wins != 1 {
			t.Fatalf("%s: %d Creates were told they won, want 1 (%v)", id, wins, errs)
		}
	}
}
