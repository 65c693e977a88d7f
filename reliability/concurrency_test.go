package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentWriters: 4 *sql.DB, each with its own Connector (transport, ETag cache, store)
// as separate processes would have, run mixed statements at once on one repository while 5% of
// their requests meet a transient fault. Each writer increments counters on its own keys and
// sets its own field of one shared object; every statement that succeeded is in the model, every
// one that failed is resynced by reading. Afterwards: no lost update (each counter and each shared
// field is what its writer's model says), no duplicate object or comment, and once processed,
// every issue is closed with a body equal to its fold.
//
// CI: 4 × 500 statements (4 × 100 with -short, 4 × 2,000 with -long). The faults come from one
// seeded source shared by the writers, so the interleaving (and which request meets a fault) is
// not reproducible; the seed is logged all the same.
func TestConcurrentWriters(t *testing.T) {
	const writers, keysEach = 4, 4
	perWriter := 500
	switch {
	case *longFlag:
		perWriter = 2000
	case testing.Short():
		perWriter = 100
	}
	seed := uint64(time.Now().UnixNano())
	if *seedFlag != 0 {
		seed = *seedFlag
	}
	t.Logf("seed %d, %d writers × %d statements", seed, writers, perWriter)

	w := newSQLWorld(t)
	setup := w.open(secretToken, "")
	must(t, execAffecting(w.ctx, setup, 1, `INSERT INTO objects (id, data) VALUES ('shared', '{"kind":"shared"}')`))
	for i := range writers {
		for k := range keysEach {
			must(t, execAffecting(w.ctx, setup, 1, `INSERT INTO objects (id, data) VALUES (?, '{"c":0}')`, fmt.Sprintf("w%d-k%d", i, k)))
		}
	}
	w.faults.target("acme")
	w.faults.randomly(seed, 0.05, transientFaults)

	type result struct {
		counters map[string]int64 // own key → c
		shared   int64            // own field of the shared object (0: never set)
		failed   int
		err      error
	}
	results := make([]result, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			r.counters = map[string]int64{}
			db := w.open(secretToken, "")
			checker := w.open(auditorToken, "trusted=acme")
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			field := fmt.Sprintf("w%d", i)
			for n := 1; n <= perWriter && r.err == nil; n++ {
				key := fmt.Sprintf("w%d-k%d", i, rng.IntN(keysEach))
				ctx, cancel := context.WithTimeout(w.ctx, 30*time.Second)
				switch x := rng.IntN(10); {
				case x < 5: // increment an own counter
					err := execAffecting(ctx, db, 1, `UPDATE objects SET c = c + 1 WHERE id = ?`, key)
					if err == nil {
						r.counters[key]++
						break
					}
					r.failed++
					got, rerr := readCounter(w.ctx, checker, key)
					switch {
					case rerr != nil:
						r.err = rerr
					case got != r.counters[key] && got != r.counters[key]+1:
						r.err = fmt.Errorf("writer %d: after a failed increment (%v) %s.c = %d, want %d or %d", i, err, key, got, r.counters[key], r.counters[key]+1)
					default:
						r.counters[key] = got
					}
				case x < 8: // set the own field of the shared object
					err := execAffecting(ctx, db, 1, `UPDATE objects SET data = JSON_SET(data, ?, ?) WHERE id = 'shared'`, "$."+field, int64(n))
					if err == nil {
						r.shared = int64(n)
						break
					}
					r.failed++
					got, rerr := readField(w.ctx, checker, "shared", field)
					switch {
					case rerr != nil:
						r.err = rerr
					case got != r.shared && got != int64(n):
						r.err = fmt.Errorf("writer %d: after a failed set (%v) shared.%s = %d, want %d or %d", i, err, field, got, r.shared, n)
					default:
						r.shared = got
					}
				default: // read an own counter: it must be what this writer wrote
					got, err := readCounter(ctx, db, key)
					if err != nil {
						r.failed++
						break
					}
					if got != r.counters[key] {
						r.err = fmt.Errorf("writer %d: %s.c reads %d, its model holds %d", i, key, got, r.counters[key])
					}
				}
				cancel()
			}
		}()
	}
	wg.Wait()
	w.faults.off()
	for i, r := range results {
		if r.err != nil {
			t.Errorf("writer %d: %v", i, r.err)
		}
	}
	t.Logf("%d faults injected; statements that failed per writer: %d %d %d %d", w.faults.count(),
		results[0].failed, results[1].failed, results[2].failed, results[3].failed)
	if t.Failed() {
		t.Fatalf("faults: %v", w.faults.injectedLog())
	}

	v := w.inspect()
	open := 0
	for _, oi := range v.Issues {
		if oi.Open {
			open++
		}
	}
	t.Logf("%d of %d issues open before processing", open, len(v.Issues))
	n, err := w.store(secretToken).ProcessAll(w.ctx)
	must(t, err)
	t.Logf("processed %d", n)

	v = w.inspect()
	for _, p := range v.Problems {
		t.Errorf("oracle: %s", p)
	}
	if len(v.Problems) > 0 {
		for _, oi := range v.Issues {
			t.Logf("requests on issue #%d (%q):\n%s", oi.Number, oi.ID, requestLogFor(w.world, oi.Number))
		}
	}
	for _, oi := range v.Issues {
		if oi.Open {
			t.Errorf("issue #%d (%q) is still open after processing", oi.Number, oi.ID)
		}
	}
	if len(v.Live) != 1+writers*keysEach {
		t.Errorf("%d live objects, want %d", len(v.Live), 1+writers*keysEach)
	}
	shared, _ := v.data("shared")
	sm, _ := shared.(map[string]any)
	for i, r := range results {
		for k := range keysEach {
			key := fmt.Sprintf("w%d-k%d", i, k)
			d, _ := v.data(key)
			dm, _ := d.(map[string]any)
			if got := fmt.Sprint(dm["c"]); got != fmt.Sprint(r.counters[key]) {
				t.Errorf("%s.c = %s, writer %d's model holds %d (lost or doubled increments)", key, got, i, r.counters[key])
			}
		}
		field := fmt.Sprintf("w%d", i)
		want := fmt.Sprint(r.shared)
		if r.shared == 0 {
			want = "<nil>"
		}
		if got := fmt.Sprint(sm[field]); got != want {
			t.Errorf("shared.%s = %s, writer %d's model holds %s (a lost update)", field, got, i, want)
		}
	}
	// A fresh *sql.DB reads what the oracle reads.
	fresh := w.open(auditorToken, "trusted=acme")
	for key := range v.Live {
		got, err := readObject(w.ctx, fresh, key)
		must(t, err)
		if od, _ := v.data(key); !sameJSONValue(od, got) {
			t.Errorf("a fresh *sql.DB reads %q as %s, the oracle as %s", key, got, mustJSON(od))
		}
	}
}

// readCounter reads id's "c" through db.
func readCounter(ctx context.Context, db *sql.DB, id string) (int64, error) {
	return readField(ctx, db, id, "c")
}

// readField reads an integer field of id through db (0 when it is absent).
func readField(ctx context.Context, db *sql.DB, id, field string) (int64, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT data->>? FROM objects WHERE id = ?`, "$."+field, id).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading %s.%s: %w", id, strings.TrimPrefix(field, "$."), err)
	}
	return v.Int64, nil
}
