package live

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	_ "github.com/ghstore/ghstore/driver"
)

// The scenario's statements.
const (
	sqlInsert    = `INSERT INTO objects (id, data) VALUES (?, ?)`
	sqlGet       = `SELECT id, data FROM objects WHERE id = ?`
	sqlSetScore  = `UPDATE objects SET score = ? WHERE id = ?`
	sqlIncrement = `UPDATE objects SET n = n + 1 WHERE id = ?`
	sqlScan      = `SELECT id, data FROM objects`
	sqlHistory   = `SELECT seq, kind FROM history WHERE id = ?`
	sqlDelete    = `DELETE FROM objects WHERE id = ?`
)

// raceIncrements is how many increments each of the two racing Connectors applies.
const raceIncrements = 3

// TestScenario runs the fixed scenario on the target (see the package doc). Each step checks
// what it reads; each step DESIGN.md §6 has a figure for is measured after the replicas had
// time to catch up (target.wait), and compared with that figure.
func TestScenario(t *testing.T) {
	tg := newTarget(t)
	ctx := context.Background()
	if err := checkRepoIsOurs(ctx, tg.gitHub(), tg.owner, tg.repo); err != nil {
		t.Fatalf("refusing to run: %v", err)
	}
	run := runID(t)
	id := func(name string) string { return run + "-" + name }
	a, connA := tg.open()
	b, _ := tg.open()
	async, _ := tg.open("apply=async")
	made := []string{}
	t.Cleanup(func() { // archive whatever the scenario left (DELETE's soft delete)
		for _, x := range made {
			if err := connA.Store().Delete(context.Background(), x); err != nil {
				t.Logf("archiving %s: %v", x, err)
			}
		}
	})

	// Insert: ≤ 4 requests, ≤ 3 content-creating.
	objects := map[string]string{
		id("get"):     `{"name":"ann","score":1}`,
		id("async"):   `{"name":"bob","score":1}`,
		id("counter"): `{"n":0}`,
		id("delete"):  `{"name":"cy"}`,
	}
	for _, name := range []string{"get", "async", "counter", "delete"} {
		x := id(name)
		made = append(made, x)
		got := tg.counts.measure(func() { exec(t, a, 1, sqlInsert, x, objects[x]) })
		within(t, "insert "+name, got, budget{4, 3, 4})
	}
	// Read your writes, at once (no wait for replicas): on the writing Connector and another.
	for _, db := range []*sql.DB{a, b} {
		if got := readField(t, db, id("get"), "name"); got != `"ann"` {
			t.Errorf("right after the insert, %s reads name %s, want \"ann\"", id("get"), got)
		}
	}

	tg.wait()
	// Get by id: cold on a new Connector is 1 counted request; again, a 304.
	cold, _ := tg.open()
	got := tg.counts.measure(func() { readField(t, cold, id("get"), "name") })
	within(t, "get by id, cold", got, budget{1, 0, 1})
	got = tg.counts.measure(func() { readField(t, cold, id("get"), "name") })
	within(t, "get by id, unchanged", got, budget{1, 0, 0})
	if got.NotModified != 1 {
		t.Errorf("get by id, unchanged: want its one request answered 304; sent %s", got)
	}

	// Inline update after a read: 5 requests, 3 content-creating, 4 counted (the lookup is a 304).
	readField(t, a, id("get"), "score")
	got = tg.counts.measure(func() { exec(t, a, 1, sqlSetScore, 2, id("get")) })
	within(t, "update, inline, after a read", got, budget{5, 3, 4})
	for _, db := range []*sql.DB{a, b} {
		if s := readField(t, db, id("get"), "score"); s != "2" {
			t.Errorf("right after the inline update, score reads %s, want 2", s)
		}
	}

	// Async update after a read: a comment and a reopen (2 content-creating), and the read's
	// lookup may add a 304.
	tg.wait()
	readField(t, async, id("async"), "score")
	got = tg.counts.measure(func() { exec(t, async, 1, sqlSetScore, 7, id("async")) })
	within(t, "update, async, after a read", got, budget{3, 2, 2})

	// Process the async update through the store API: 2 + ⌈C/100⌉ + N for N = 1 of C = 2.
	tg.wait()
	obj, err := connA.Store().Get(ctx, id("async"))
	if err != nil {
		t.Fatalf("store Get %s: %v", id("async"), err)
	}
	if obj.Pending != 1 {
		t.Errorf("after the async update %s has %d pending, want 1", id("async"), obj.Pending)
	}
	got = tg.counts.measure(func() {
		p, err := connA.Store().Process(ctx, obj.Issue)
		if err != nil {
			t.Errorf("process %s: %v", id("async"), err)
			return
		}
		if p.Pending != 0 || readJSON(p.Data, "score") != "7" {
			t.Errorf("processed %s: %s, %d pending; want score 7, none pending", id("async"), p.Data, p.Pending)
		}
	})
	within(t, "process N=1 pending of C=2 comments", got, budget{2 + 1 + 1, 2, 2 + 1 + 1})

	// Two Connectors race raceIncrements increments each: every one is applied exactly once.
	tg.wait()
	start := time.Now()
	got = tg.counts.measure(func() {
		var wg sync.WaitGroup
		for _, db := range []*sql.DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range raceIncrements {
					exec(t, db, 1, sqlIncrement, id("counter"))
				}
			}()
		}
		wg.Wait()
	})
	t.Logf("the race of 2×%d increments took %v: %d requests, %d content-creating, %d refused by a secondary limit",
		raceIncrements, time.Since(start).Round(time.Millisecond), got.Requests, got.Creating, got.Refused)
	tg.wait()
	for _, db := range []*sql.DB{a, b} {
		if n := readField(t, db, id("counter"), "n"); n != fmt.Sprint(2*raceIncrements) {
			t.Errorf("after %d increments from each of two Connectors, n = %s, want %d", raceIncrements, n, 2*raceIncrements)
		}
	}

	// Scan: ⌈M/100⌉ + P requests (P open objects), nothing counted when nothing changed.
	tg.wait()
	var rows int
	seen := map[string]bool{}
	got = tg.counts.measure(func() { rows = scan(t, a, seen) })
	m, open := rows, 0
	within(t, fmt.Sprintf("scan of %d objects, %d open", m, open), got, budget{(m+99)/100 + open, 0, (m+99)/100 + open})
	for x := range objects {
		if !seen[x] {
			t.Errorf("the scan did not find %s", x)
		}
	}
	got = tg.counts.measure(func() { scan(t, a, map[string]bool{}) })
	within(t, "unchanged rescan", got, budget{(m+99)/100 + open, 0, 0})

	// History: the initial state, then the update.
	var kinds []string
	hr, err := a.QueryContext(ctx, sqlHistory, id("get"))
	must(t, err)
	for hr.Next() {
		var seq int
		var kind string
		must(t, hr.Scan(&seq, &kind))
		kinds = append(kinds, fmt.Sprint(seq, ":", kind))
	}
	must(t, hr.Err())
	hr.Close()
	if fmt.Sprint(kinds) != "[1:initial_state 2:update]" {
		t.Errorf("history of %s: %v, want [1:initial_state 2:update]", id("get"), kinds)
	}

	// Delete: ≤ 2 requests, 1 content-creating; then the object is gone for the Connector that
	// deleted it at once (it trusts its own write over a lagging listing), and for every other
	// Connector once GitHub's lag has passed (a listing may show the old labels until then).
	got = tg.counts.measure(func() { exec(t, a, 1, sqlDelete, id("delete")) })
	within(t, "delete", got, budget{2, 1, 2})
	made = made[:len(made)-1] // id("delete") is archived: the cleanup leaves it
	if n := countRows(t, a, sqlGet, id("delete")); n != 0 {
		t.Errorf("right after the delete, the deleting Connector's get of %s finds %d rows, want 0", id("delete"), n)
	}
	tg.wait()
	if n := countRows(t, b, sqlGet, id("delete")); n != 0 {
		t.Errorf("after the lag, another Connector's get of %s finds %d rows, want 0", id("delete"), n)
	}
}

// exec runs a statement and checks it affected want rows.
func exec(t *testing.T, db *sql.DB, want int64, q string, args ...any) {
	t.Helper()
	res, err := db.ExecContext(context.Background(), q, args...)
	if err != nil {
		t.Errorf("%s %v: %v", q, args, err)
		return
	}
	if n, err := res.RowsAffected(); err != nil || n != want {
		t.Errorf("%s %v: %d rows affected (%v), want %d", q, args, n, err, want)
	}
}

// readField reads one object and returns the raw JSON of one of its top-level keys ("" when
// the get found no row).
func readField(t *testing.T, db *sql.DB, id, key string) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), sqlGet, id)
	if err != nil {
		t.Errorf("get %s: %v", id, err)
		return ""
	}
	defer rows.Close()
	if !rows.Next() {
		must(t, rows.Err())
		return ""
	}
	var got string
	var data []byte
	must(t, rows.Scan(&got, &data))
	return readJSON(data, key)
}

func readJSON(data []byte, key string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return ""
	}
	return string(m[key])
}

func countRows(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Errorf("%s: %v", q, err)
		return -1
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	must(t, rows.Err())
	return n
}

// scan runs the scan, noting each id in seen, and returns the rows.
func scan(t *testing.T, db *sql.DB, seen map[string]bool) int {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), sqlScan)
	if err != nil {
		t.Errorf("scan: %v", err)
		return 0
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var data []byte
		must(t, rows.Scan(&id, &data))
		seen[id] = true
		n++
	}
	must(t, rows.Err())
	return n
}
