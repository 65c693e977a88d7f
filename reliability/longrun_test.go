package reliability

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/localgh"
)

// The faults of the long run: one per faulted statement, once (a flicker), at a request drawn
// from the seed. Rate limits carry waits past the statement's deadline.
//
// transientFaults are what the stack must ride out; allLongRunFaults adds refusals, rate limits
// and timeouts. TestRandomLongRun injects transientFaults; TestRandomLongRunAllFaults every kind.
var (
	transientFaults  = []faultKind{fault502, fault503, fault504, faultReset, faultDrop}
	allLongRunFaults = []faultKind{fault502, fault503, fault504, faultReset, faultDrop,
		{"403-secondary", localgh.Fault{Status: 403, RetryAfter: 3600}},
		{"429-retry-after", localgh.Fault{Status: 429, RetryAfter: 3600}},
		faultPrimary, fault401, fault404, fault410, fault422, faultHang}
)

// step is one statement of the long run and what the model says it does.
type step struct {
	n       int
	sql     string
	args    []any
	id      string
	isQuery bool
	// apply computes the object's next state from the current one (nil = absent) and whether it
	// changed; dup marks an INSERT of a live id (ErrDuplicateKey expected).
	apply func(cur map[string]any) (next map[string]any, changed bool)
	dup   bool
}

// genStep draws statement n from rng over keys k00..k(nkeys-1).
func genStep(rng *rand.Rand, n, nkeys int, m *model) step {
	key := fmt.Sprintf("k%02d", rng.IntN(nkeys))
	id := key
	if rng.IntN(5) == 0 {
		id = strings.ToUpper(key) // ids are case-insensitive
	}
	_, live := m.objects[key]
	switch r := rng.IntN(100); {
	case r < 25: // INSERT
		data := fmt.Sprintf(`{"c":0,"born":%d,"x":{"s":"%d"},"tags":["t%d"]}`, n, n, n%7)
		return step{n: n, id: id, sql: `INSERT INTO objects (id, data) VALUES (?, ?)`, args: []any{id, data}, dup: live,
			apply: func(cur map[string]any) (map[string]any, bool) {
				if cur != nil {
					return cur, false
				}
				v, _ := decodeJSON([]byte(data))
				return normalise(v).(map[string]any), true
			}}
	case r < 40: // UPDATE … JSON_MERGE_PATCH
		patch := fmt.Sprintf(`{"n":%d,"x":{"s":"u%d"}}`, n, n)
		return step{n: n, id: id, sql: `UPDATE objects SET data = JSON_MERGE_PATCH(data, ?) WHERE id = ?`, args: []any{patch, id},
			apply: func(cur map[string]any) (map[string]any, bool) {
				if cur == nil {
					return nil, false
				}
				next := clone(cur)
				next["n"] = int64(n)
				x, ok := next["x"].(map[string]any)
				if !ok {
					x = map[string]any{}
				}
				x["s"] = fmt.Sprintf("u%d", n)
				next["x"] = x
				return next, true
			}}
	case r < 52: // UPDATE … increment
		return step{n: n, id: id, sql: `UPDATE objects SET c = c + 1 WHERE id = ?`, args: []any{id},
			apply: func(cur map[string]any) (map[string]any, bool) {
				if cur == nil {
					return nil, false
				}
				next := clone(cur)
				c, _ := next["c"].(int64)
				next["c"] = c + 1
				return next, true
			}}
	case r < 58: // UPDATE … JSON_REMOVE (written as a replace)
		return step{n: n, id: id, sql: `UPDATE objects SET data = JSON_REMOVE(data, '$.x') WHERE id = ?`, args: []any{id},
			apply: func(cur map[string]any) (map[string]any, bool) {
				if cur == nil {
					return nil, false
				}
				if _, ok := cur["x"]; !ok {
					return cur, false
				}
				next := clone(cur)
				delete(next, "x")
				return next, true
			}}
	case r < 70: // DELETE
		return step{n: n, id: id, sql: `DELETE FROM objects WHERE id = ?`, args: []any{id},
			apply: func(cur map[string]any) (map[string]any, bool) { return nil, cur != nil }}
	default: // SELECT
		return step{n: n, id: id, sql: `SELECT data FROM objects WHERE id = ?`, args: []any{id}, isQuery: true,
			apply: func(cur map[string]any) (map[string]any, bool) { return cur, false }}
	}
}

// TestRandomLongRun runs seeded sequences of statements through database/sql over loopback with a
// transient fault (5xx, reset, lost answer) injected into 10% of them, checking every statement against the model: a statement that
// succeeded did exactly what the model says (rows affected, data read back); one that failed has
// a typed error and either applied or did not, nothing else (the model resyncs by reading the
// object). Every 200 statements and at the end, the whole repository is read back with a fresh
// *sql.DB and with the oracle (no duplicate object or comment, bodies equal their folds).
//
// CI: seeds 1–3 × 2,000 statements (300 with -short). -long: 13 seeds × 10,000. -seed N reruns
// one seed; -steps N sets the length.
func TestRandomLongRun(t *testing.T) { longRun(t, transientFaults) }

// longRun runs the long run's seeds, injecting kinds: ciSeeds × 2,000 statements.
func longRun(t *testing.T, kinds []faultKind) { longRunWith(t, kinds, ciSeeds, 2000) }

// longRunWith runs seeds × steps statements, injecting kinds. -long runs ciSeeds and longSeeds
// × 10,000 instead, -short the first seed × at most 300; -seed and -steps override.
func longRunWith(t *testing.T, kinds []faultKind, seeds []uint64, steps int) {
	switch {
	case *longFlag:
		seeds, steps = append(append([]uint64{}, ciSeeds...), longSeeds...), 10000
	case testing.Short():
		seeds, steps = seeds[:1], min(steps, 300)
	}
	if *seedFlag != 0 {
		seeds = []uint64{*seedFlag}
	}
	if *stepsFlag > 0 {
		steps = *stepsFlag
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Logf("seed %d, %d statements (rerun: go test -race ./reliability -run TestRandomLongRun -seed %d -steps %d)", seed, steps, seed, steps)
			st := runLongRun(t, seed, steps, kinds)
			t.Logf("seed %d: %s", seed, st)
		})
	}
}

// longRunStats are a long run's figures, for RELIABILITY.md.
type longRunStats struct {
	statements, faulted, injected, failed, requests int
	took                                            time.Duration
}

func (s longRunStats) String() string {
	return fmt.Sprintf("%d statements, %d armed with a fault, %d faults injected, %d returned an error, %d requests, %s",
		s.statements, s.faulted, s.injected, s.failed, s.requests, s.took.Round(time.Millisecond))
}

func runLongRun(t *testing.T, seed uint64, steps int, kinds []faultKind) longRunStats {
	start := time.Now()
	w := newSQLWorld(t)
	w.faults.target("acme")
	db := w.open(secretToken, "")
	checker := w.open(auditorToken, "trusted=acme")
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	m := newModel()
	var st longRunStats
	for n := 1; n <= steps; n++ {
		s := genStep(rng, n, 24, m)
		var kind *faultKind
		if rng.Float64() < 0.10 {
			k := kinds[rng.IntN(len(kinds))]
			kind = &k
			w.faults.once("", "", rng.IntN(3), k)
			st.faulted++
		}
		before := w.faults.count()
		w.srv.ResetRequests()
		timeout := 20 * time.Second
		if kind != nil && kind.name == "hang" {
			timeout = 150 * time.Millisecond
		}
		ctx, cancel := context.WithTimeout(w.ctx, timeout)
		got, affected, err := runStep(ctx, db, s)
		cancel()
		w.faults.off()
		st.requests += len(w.srv.Requests())
		injected := w.faults.injectedLog()[before:]
		st.injected += len(injected)
		fail := func(format string, a ...any) {
			t.Helper()
			t.Fatalf("seed %d, statement %d: %s %v\n%s\nerror: %v\nfaults this statement: %v\nrequests this statement:\n%s",
				seed, n, s.sql, s.args, fmt.Sprintf(format, a...), err, injected, requestLog(w.world))
		}
		key := strings.ToLower(s.id)
		cur := m.objects[key]
		next, changed := s.apply(cur)
		if err != nil {
			st.failed++
			if strings.Contains(fmt.Sprintf("%v %+v", err, err), secretMarker) {
				fail("the error shows the token")
			}
			switch {
			case s.dup && isDuplicateKey(err):
				// expected; nothing changed
			case len(injected) == 0:
				fail("an error with no fault injected")
			default:
				if terr := checkSQLTypedError(kind0(injected, kind), err); terr != nil {
					fail("%v", terr)
				}
			}
		} else {
			if s.dup {
				fail("INSERT of a live id succeeded")
			}
			if s.isQuery {
				if !sameData(got, cur) {
					fail("SELECT read %s, the model holds %s", orAbsent(got), orAbsent(dataJSON(cur)))
				}
			} else if want := boolInt(changed); affected != want {
				fail("RowsAffected = %d, the model says %d", affected, want)
			}
			if !s.isQuery {
				if changed {
					m.set(key, dataJSON(next))
				}
			}
		}
		// Read the object back, faults off, as another client would.
		back, rerr := readObject(w.ctx, checker, s.id)
		if rerr != nil {
			fail("reading %q back: %v", s.id, rerr)
		}
		want := m.get(key)
		if err == nil && !sameJSONOrAbsent(back, want) {
			fail("read back as %s after success; the model holds %s", orAbsent(back), orAbsent(want))
		}
		if err != nil {
			alt := ""
			if next != nil {
				alt = dataJSON(next)
			}
			if !sameJSONOrAbsent(back, want) && !(changed && sameJSONOrAbsent(back, alt)) {
				fail("after an error %q reads as %s; allowed: %s (not applied) or %s (applied)", s.id, orAbsent(back), orAbsent(want), orAbsent(alt))
			}
			m.set(key, back)
		}
		if live := w.liveIssues(key); len(live) > 1 {
			fail("duplicate object %q: live issues %v", key, live)
		}
		if n%200 == 0 || n == steps {
			checkWhole(t, w, m, fmt.Sprintf("seed %d, after statement %d", seed, n))
		}
	}
	st.statements, st.took = steps, time.Since(start)
	return st
}

// kind0 is the fault the statement met: the first injected (they are one kind per statement).
func kind0(injected []injected, armed *faultKind) faultKind {
	if armed != nil {
		return *armed
	}
	return faultKind{name: injected[0].Kind}
}

// runStep runs one statement: a query's single data value ("" when no row), or an exec's
// RowsAffected.
func runStep(ctx context.Context, db *sql.DB, s step) (string, int64, error) {
	if s.isQuery {
		var data []byte
		err := db.QueryRowContext(ctx, s.sql, s.args...).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return "", 0, nil
		}
		return string(data), 0, err
	}
	res, err := db.ExecContext(ctx, s.sql, s.args...)
	if err != nil {
		return "", 0, err
	}
	n, err := res.RowsAffected()
	return "", n, err
}

// checkWhole reads every object with a fresh *sql.DB and with the oracle and compares both with
// the model.
func checkWhole(t *testing.T, w *sqlWorld, m *model, where string) {
	t.Helper()
	v := w.inspect()
	for _, p := range v.Problems {
		t.Errorf("%s: oracle: %s", where, p)
	}
	fresh := w.open(auditorToken, "trusted=acme")
	rows, err := fresh.QueryContext(w.ctx, `SELECT id, data FROM objects ORDER BY id`)
	must(t, err)
	seen := map[string]bool{}
	for rows.Next() {
		var id string
		var data []byte
		must(t, rows.Scan(&id, &data))
		key := strings.ToLower(id)
		seen[key] = true
		if want := m.get(key); !sameJSONOrAbsent(string(data), want) {
			t.Errorf("%s: a scan reads %q as %s; the model holds %s", where, id, data, orAbsent(want))
		}
		if od, ok := v.data(id); !ok || !sameJSONValue(od, string(data)) {
			t.Errorf("%s: a scan reads %q as %s; the oracle as %s", where, id, data, mustJSON(od))
		}
	}
	must(t, rows.Err())
	rows.Close()
	for _, k := range m.keys() {
		if !seen[k] {
			t.Errorf("%s: %q is in the model but not in a scan", where, k)
		}
	}
	if len(v.Live) != len(m.objects) {
		t.Errorf("%s: the oracle sees %d live objects, the model %d", where, len(v.Live), len(m.objects))
	}
	if t.Failed() {
		t.FailNow()
	}
}

func dataJSON(d map[string]any) string {
	if d == nil {
		return ""
	}
	return mustJSON(d)
}

func sameData(got string, cur map[string]any) bool { return sameJSONOrAbsent(got, dataJSON(cur)) }

func sameJSONOrAbsent(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return sameJSON([]byte(a), []byte(b))
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
