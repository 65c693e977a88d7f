package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/tidwall/sjson"
	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// seedConcurrency is how many objects the seeder writes at once.
const seedConcurrency = 8

// objectID names the i-th seeded object.
func objectID(i int) string { return fmt.Sprintf("obj-%05d", i) }

// objectData is the i-th seeded object: a score from 0 to 99 for predicates, a nested name.
func objectData(i int) json.RawMessage {
	teams := []string{"red", "green", "blue", "gold"}
	return json.RawMessage(fmt.Sprintf(
		`{"n": %d, "score": %d, "name": "object %d", "user": {"name": "user-%d", "team": %q}, "tags": ["a", "b"]}`,
		i, (i*37)%100, i, i%41, teams[i%4]))
}

// seeder is a Store that writes straight into the server in-process (no socket, no latency
// counting against the loopback handler, no ETag cache), for filling a repository fast.
func (e *env) seeder(async bool) *store.Store {
	e.tb.Helper()
	tr := transport.New(transport.Options{
		Base:       e.srv.Transport(),
		Token:      oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}),
		NoCache:    true,
		MaxRetries: -1,
	})
	st, err := store.New(store.Options{Owner: owner, Repo: repo, HTTPClient: &http.Client{Transport: tr},
		BaseURL: "http://localgh.invalid/", Login: owner, Async: async})
	if err != nil {
		e.tb.Fatal(err)
	}
	return st
}

// seed creates objects from..from+n-1 (objectID, objectData), several at once. The server's
// latency must be off.
func (e *env) seed(from, n int) {
	e.tb.Helper()
	st := e.seeder(false)
	ctx := context.Background()
	next := make(chan int)
	errs := make(chan error, seedConcurrency)
	var wg sync.WaitGroup
	for range seedConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if _, err := st.Create(ctx, objectID(i), objectData(i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var failed error
feed:
	for i := from; i < from+n; i++ {
		select {
		case next <- i:
		case failed = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if failed == nil && len(errs) > 0 {
		failed = <-errs
	}
	if failed != nil {
		e.tb.Fatalf("seeding %d objects: %v", n, failed)
	}
}

// pend leaves n pending updates on object id, setting "rev" to 1..n: each a comment + reopen
// (apply=async) written with Put from the state before it, so no update reads the growing log.
// None is processed. It returns the object's issue number.
func (e *env) pend(id string, n int) int {
	e.tb.Helper()
	st := e.seeder(true)
	ctx := context.Background()
	obj, err := st.Get(ctx, id)
	if err != nil {
		e.tb.Fatal(err)
	}
	for k := range n {
		data, err := sjson.SetBytes(obj.Data, "rev", k+1)
		if err != nil {
			e.tb.Fatal(err)
		}
		if obj, _, err = st.Put(ctx, obj, data); err != nil {
			e.tb.Fatalf("pending update %d of %q: %v", k+1, id, err)
		}
	}
	return obj.Issue
}
