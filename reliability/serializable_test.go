package reliability

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/store"
)

// These tests show DESIGN.md §3a's READ COMMITTED semantics for single-object writes across
// processes: each writer is a separate OS process (this test binary run again as a child, in the
// manner of os/exec's helper process), talking SQL through the driver to one localgh served over
// loopback with latency on every answer. On the first release every one of them failed: 100
// acknowledged increments ended at 63, 6 of 8 lock takers were told they won, and so on.

// childEnv names the scenario a child process runs; the parent sets it, nothing else does.
const childEnv = "GHSTORE_SERIALIZABLE_CHILD"

// serializableWorld is one localgh on loopback with latency, and the DSN its writers use.
type serializableWorld struct {
	srv *localgh.Server
	dsn string
}

func newSerializableWorld(t *testing.T, latency, lag time.Duration) *serializableWorld {
	t.Helper()
	srv, err := localgh.Open(localgh.Options{WritesPerMinute: -1, WritesPerHour: -1, RateLimit: -1,
		Realism: localgh.Realism{Lag: lag}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.CreateRepo("acme", "data", true); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddUser("acme", "tok-acme"); err != nil {
		t.Fatal(err)
	}
	srv.SetLatency(latency)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	// No pacing (the server has no secondary limit) and the lag bound of the server's lag.
	dsn := fmt.Sprintf("acme/data?base_url=http://%s/&token=tok-acme&writes_per_minute=0&writes_per_hour=0&write_interval=0&read_lag=%s&timeout=2m", ln.Addr(), lag)
	return &serializableWorld{srv: srv, dsn: dsn}
}

// db opens the world's repository in this process (setting up, checking).
func (w *serializableWorld) db(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("ghstore", w.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// forEachLag runs test on a server whose reads do not lag and on one whose reads lag its
// writes by 50 ms (localgh.Realism.Lag: new issues missing from listings, label changes late),
// each in parallel; the writers' DSN names the bound (read_lag).
func forEachLag(t *testing.T, test func(t *testing.T, lag time.Duration)) {
	for _, lag := range []time.Duration{0, 50 * time.Millisecond} {
		t.Run("lag="+lag.String(), func(t *testing.T) {
			t.Parallel()
			test(t, lag)
		})
	}
}

// childResult is one line a child prints: what one statement it ran was told.
type childResult struct {
	Child    int    `json:"child"`
	Affected int64  `json:"affected"`
	Job      string `json:"job,omitempty"`
	Err      string `json:"err,omitempty"`
}

// runChildren starts n children running scenario against the world (each with its own index and
// extra arguments) and returns every line they printed. A child that fails fails the test.
func (w *serializableWorld) runChildren(t *testing.T, scenario string, n int, args string) []childResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var mu sync.Mutex
	var all []childResult
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSerializableChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+scenario, "GHSTORE_CHILD_INDEX="+strconv.Itoa(i),
			"GHSTORE_CHILD_DSN="+w.dsn, "GHSTORE_CHILD_ARGS="+args)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				var r childResult
				if json.Unmarshal(sc.Bytes(), &r) == nil && strings.HasPrefix(sc.Text(), "{") {
					mu.Lock()
					all = append(all, r)
					mu.Unlock()
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("child %d (%s): %v\n%s", i, scenario, err, stderr.String())
			}
		}()
	}
	wg.Wait()
	return all
}

// TestSerializableChild is the body of a child process; run directly it has nothing to do.
func TestSerializableChild(t *testing.T) {
	scenario := os.Getenv(childEnv)
	if scenario == "" {
		return // not a child: the parent tests below start this binary with the scenario set
	}
	child, _ := strconv.Atoi(os.Getenv("GHSTORE_CHILD_INDEX"))
	args := strings.Split(os.Getenv("GHSTORE_CHILD_ARGS"), ",")
	db, err := sql.Open("ghstore", os.Getenv("GHSTORE_CHILD_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	enc := json.NewEncoder(os.Stdout)
	say := func(r childResult) { r.Child = child; _ = enc.Encode(r) }
	affected := func(res sql.Result, err error) (int64, error) {
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	k, _ := strconv.Atoi(args[0])
	switch scenario {
	case "increment": // k × n = n + 1
		for i := 0; i < k; i++ {
			n, err := affected(db.ExecContext(ctx, `UPDATE objects SET n = n + 1 WHERE id = 'counter'`))
			say(childResult{Affected: n, Err: errText(err)})
		}
	case "increment-tx": // k × a transaction of two increments of two objects
		for i := 0; i < k; i++ {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"tx-a", "tx-b"} {
				// Buffered until Commit, which applies them in order.
				if _, err := tx.ExecContext(ctx, `UPDATE objects SET n = n + 1 WHERE id = ?`, id); err != nil {
					t.Fatal(err)
				}
			}
			say(childResult{Affected: 2, Err: errText(tx.Commit())})
		}
	case "collection": // k × a typed Collection[T].Update of one counter
		cfg, err := driver.ParseDSN(os.Getenv("GHSTORE_CHILD_DSN"))
		if err != nil {
			t.Fatal(err)
		}
		conn, err := driver.NewConnector(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		type counter struct {
			N int64 `json:"n"`
		}
		counters := store.NewCollection[counter](conn.Store())
		for i := 0; i < k; i++ {
			_, err := counters.Update(ctx, "counter", func(c *counter) error { c.N++; return nil })
			say(childResult{Affected: 1, Err: errText(err)})
		}
	case "lock": // one try to take the lock
		n, err := affected(db.ExecContext(ctx, `UPDATE objects SET owner = ? WHERE id = 'lock' AND owner = 'nobody'`, fmt.Sprintf("w%d", child)))
		say(childResult{Affected: n, Err: errText(err)})
	case "upsert": // k × upsert of one new id
		for i := 0; i < k; i++ {
			n, err := affected(db.ExecContext(ctx, `INSERT INTO objects (id, hits) VALUES ('page', 1) ON DUPLICATE KEY UPDATE hits = hits + 1`))
			say(childResult{Affected: n, Err: errText(err)})
		}
	case "queue": // claim jobs until none is open
		for {
			var id string
			err := db.QueryRowContext(ctx, `SELECT id FROM objects WHERE status = 'open' ORDER BY id LIMIT 1`).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return
			}
			if err != nil {
				say(childResult{Err: errText(err)})
				return
			}
			n, err := affected(db.ExecContext(ctx, `UPDATE objects SET status = 'taken', worker = ? WHERE id = ? AND status = 'open'`, child, id))
			say(childResult{Affected: n, Job: id, Err: errText(err)})
			if err != nil {
				return
			}
		}
	default:
		t.Fatalf("unknown scenario %q", scenario)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func scanInt(t *testing.T, db *sql.DB, q string) int64 {
	t.Helper()
	var n sql.NullInt64
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n.Int64
}

// serializableSize is (processes, statements each): small by default, larger with -long.
func serializableSize() (int, int) {
	if *longFlag {
		return 6, 30
	}
	return 4, 6
}

// TestConcurrentIncrementsAcrossProcesses: N processes × K `n = n + 1` end at exactly N·K, and
// every statement was told it changed one row.
func TestConcurrentIncrementsAcrossProcesses(t *testing.T) {
	t.Parallel()
	forEachLag(t, func(t *testing.T, lag time.Duration) {
		w := newSerializableWorld(t, 20*time.Millisecond, lag)
		db := w.db(t)
		mustExec(t, db, `INSERT INTO objects (id, n) VALUES ('counter', 0)`)
		procs, k := serializableSize()
		results := w.runChildren(t, "increment", procs, strconv.Itoa(k))
		if len(results) != procs*k {
			t.Fatalf("%d statements reported, want %d", len(results), procs*k)
		}
		for _, r := range results {
			if r.Err != "" || r.Affected != 1 {
				t.Errorf("child %d: affected %d, err %q; want 1, nil", r.Child, r.Affected, r.Err)
			}
		}
		if n := scanInt(t, db, `SELECT n FROM objects WHERE id = 'counter'`); n != int64(procs*k) {
			t.Fatalf("n = %d after %d acknowledged increments: updates were lost", n, procs*k)
		}
		if v := scanInt(t, db, `SELECT COUNT(*) FROM history WHERE id = 'counter' AND applied AND kind != 'checkpoint'`); v != int64(1+procs*k) {
			t.Fatalf("%d applied history rows, want %d", v, 1+procs*k)
		}
	})
}

// TestCollectionUpdatesAcrossProcesses: the typed Go API is serializable across processes too:
// N processes × K Collection[T].Update increments of one counter end at exactly N·K.
func TestCollectionUpdatesAcrossProcesses(t *testing.T) {
	t.Parallel()
	forEachLag(t, func(t *testing.T, lag time.Duration) {
		w := newSerializableWorld(t, 20*time.Millisecond, lag)
		db := w.db(t)
		mustExec(t, db, `INSERT INTO objects (id, n) VALUES ('counter', 0)`)
		procs, k := serializableSize()
		for _, r := range w.runChildren(t, "collection", procs, strconv.Itoa(k)) {
			if r.Err != "" {
				t.Errorf("child %d: %s", r.Child, r.Err)
			}
		}
		if n := scanInt(t, db, `SELECT n FROM objects WHERE id = 'counter'`); n != int64(procs*k) {
			t.Fatalf("n = %d after %d acknowledged Collection updates", n, procs*k)
		}
	})
}

// TestTransactionsIncrementAcrossProcesses: a transaction's UPDATEs are evaluated serializably at
// Commit, so N processes × K transactions of two increments leave both counters at N·K.
func TestTransactionsIncrementAcrossProcesses(t *testing.T) {
	t.Parallel()
	forEachLag(t, func(t *testing.T, lag time.Duration) {
		w := newSerializableWorld(t, 20*time.Millisecond, lag)
		db := w.db(t)
		mustExec(t, db, `INSERT INTO objects (id, n) VALUES ('tx-a', 0), ('tx-b', 0)`)
		procs, k := serializableSize()
		k = max(2, k/2)
		results := w.runChildren(t, "increment-tx", procs, strconv.Itoa(k))
		for _, r := range results {
			if r.Err != "" || r.Affected != 2 {
				t.Errorf("child %d: affected %d, commit err %q; want 2, nil", r.Child, r.Affected, r.Err)
			}
		}
		for _, id := range []string{"tx-a", "tx-b"} {
			if n := scanInt(t, db, `SELECT n FROM objects WHERE id = '`+id+`'`); n != int64(procs*k) {
				t.Fatalf("%s: n = %d after %d committed increments", id, n, procs*k)
			}
		}
	})
}

// TestOneWriterTakesTheLock: of W processes racing `… WHERE owner = 'nobody'`, exactly one is told
// RowsAffected 1, and the final owner is that one.
func TestOneWriterTakesTheLock(t *testing.T) {
	t.Parallel()
	forEachLag(t, func(t *testing.T, lag time.Duration) {
		w := newSerializableWorld(t, 20*time.Millisecond, lag)
		db := w.db(t)
		mustExec(t, db, `INSERT INTO objects (id, owner) VALUES ('lock', 'nobody')`)
		writers := 6
		if *longFlag {
			writers = 8
		}
		results := w.runChildren(t, "lock", writers, "1")
		var winners []int
		for _, r := range results {
			if r.Err != "" {
				t.Errorf("child %d: %s", r.Child, r.Err)
			}
			if r.Affected == 1 {
				winners = append(winners, r.Child)
			}
		}
		if len(winners) != 1 {
			t.Fatalf("%d writers were told they took the lock (%v), want exactly 1", len(winners), winners)
		}
		var owner string
		if err := db.QueryRow(`SELECT owner FROM objects WHERE id = 'lock'`).Scan(&owner); err != nil {
			t.Fatal(err)
		}
		if owner != fmt.Sprintf("w%d", winners[0]) {
			t.Fatalf("owner is %q, but w%d was told it took the lock", owner, winners[0])
		}
	})
}

// TestConcurrentUpsertsCountEveryStatement: N processes × K `INSERT … ON DUPLICATE KEY UPDATE hits
// = hits + 1` on a new id count every statement, never surface a duplicate-key error, and leave
// one object.
func TestConcurrentUpsertsCountEveryStatement(t *testing.T) {
	t.Parallel()
	forEachLag(t, func(t *testing.T, lag time.Duration) {
		w := newSerializableWorld(t, 20*time.Millisecond, lag)
		db := w.db(t)
		procs, k := serializableSize()
		results := w.runChildren(t, "upsert", procs, strconv.Itoa(k))
		inserted := 0
		for _, r := range results {
			switch {
			case r.Err != "":
				t.Errorf("child %d: %s", r.Child, r.Err)
			case r.Affected == 1:
				inserted++
			case r.Affected != 2:
				t.Errorf("child %d: affected %d, want 1 (inserted) or 2 (updated)", r.Child, r.Affected)
			}
		}
		if inserted != 1 {
			t.Errorf("%d statements were told they inserted, want 1", inserted)
		}
		if n := scanInt(t, db, `SELECT hits FROM objects WHERE id = 'page'`); n != int64(procs*k) {
			t.Fatalf("hits = %d after %d upserts", n, procs*k)
		}
		if n := scanInt(t, db, `SELECT COUNT(*) FROM objects WHERE id = 'page'`); n != 1 {
			t.Fatalf("%d objects 'page'", n)
		}
	})
}

// TestClaimQueueGivesEachJobToOneWorker: workers claim jobs with SELECT … LIMIT 1, then UPDATE …
// WHERE id = ? AND status = 'open'; every job goes to exactly one worker.
func TestClaimQueueGivesEachJobToOneWorker(t *testing.T) {
	t.Parallel()
	forEachLag(t, func(t *testing.T, lag time.Duration) {
		w := newSerializableWorld(t, 20*time.Millisecond, lag)
		db := w.db(t)
		jobs := 8
		if *longFlag {
			jobs = 30
		}
		var values []string
		for i := 0; i < jobs; i++ {
			values = append(values, fmt.Sprintf("('job%02d', 'open')", i))
		}
		mustExec(t, db, `INSERT INTO objects (id, status) VALUES `+strings.Join(values, ", "))
		results := w.runChildren(t, "queue", 4, "0")
		claimed := map[string][]int{}
		for _, r := range results {
			if r.Err != "" {
				t.Errorf("child %d: %s", r.Child, r.Err)
			}
			if r.Affected == 1 {
				claimed[r.Job] = append(claimed[r.Job], r.Child)
			}
		}
		for i := 0; i < jobs; i++ {
			job := fmt.Sprintf("job%02d", i)
			if got := claimed[job]; len(got) != 1 {
				t.Errorf("%s was claimed by workers %v, want exactly one", job, got)
			}
			var worker int
			if err := db.QueryRow(`SELECT worker FROM objects WHERE id = ?`, job).Scan(&worker); err != nil {
				t.Fatalf("%s: %v", job, err)
			}
			if got := claimed[job]; len(got) == 1 && worker != got[0] {
				t.Errorf("%s: worker %d was told it claimed it, the object says %d", job, got[0], worker)
			}
		}
	})
}
