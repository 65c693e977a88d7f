package driver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/store"
)

// TestPrepareParsesOnce: a prepared statement is parsed once and bound per call.
func TestPrepareParsesOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		seed(t, e.db)
		ins, err := e.db.Prepare(`INSERT INTO objects (id, n) VALUES (?, ?)`)
		if err != nil {
			t.Fatal(err)
		}
		sel, err := e.db.Prepare(`SELECT n FROM objects WHERE id = $1`)
		if err != nil {
			t.Fatal(err)
		}
		parses := e.c.impl.parses.Load()
		for i := range 10 {
			id := fmt.Sprintf("p%d", i)
			if _, err := ins.Exec(id, i); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := sel.QueryRow(id).Scan(&n); err != nil || n != i {
				t.Fatalf("n of %s = %d, %v", id, n, err)
			}
		}
		if got := e.c.impl.parses.Load() - parses; got != 0 {
			t.Errorf("20 executions of 2 prepared statements parsed %d more times", got)
		}
		ins.Close()
		sel.Close()
	})
}

// TestPool: 32 goroutines share one *sql.DB with reads and writes mixed.
func TestPool(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		const workers = 32
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				id := fmt.Sprintf("w%d", w)
				if _, err := e.db.Exec(`INSERT INTO objects (id, n, who) VALUES (?, 0, ?)`, id, w); err != nil {
					errs <- err
					return
				}
				for range 2 {
					if _, err := e.db.Exec(`UPDATE objects SET n = n + 1 WHERE id = ?`, id); err != nil {
						errs <- err
						return
					}
					var n int
					if err := e.db.QueryRow(`SELECT COUNT(*) FROM objects WHERE n >= 0`).Scan(&n); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := int1(t, e.db, `SELECT COUNT(*) FROM objects WHERE n = 2`); n != workers {
			t.Errorf("%d objects with n = 2, want %d", n, workers)
		}
		if n := int1(t, e.db, `SELECT SUM(who) FROM objects`); n != workers*(workers-1)/2 {
			t.Errorf("SUM(who) = %d", n)
		}
	})
}

// TestRowsStreamAndRelease: the first row comes after the first page, LIMIT stops the paging,
// Close of rows stops the store's iteration (no goroutine is left), and cancelling the
// context ends the rows with the context's error.
func TestRowsStreamAndRelease(t *testing.T) {
	forEachDirectBackend(t, func(t *testing.T, e *env) {
		var b strings.Builder
		b.WriteString(`INSERT INTO objects (id, n) VALUES `)
		for i := range 250 {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "('o%03d', %d)", i, i)
		}
		mustExec(t, e.db, b.String())

		// A scan fetches pages side by side, so the HTTP client keeps more idle keep-alive
		// connections (each a read and a write goroutine of net/http): those are the pool's,
		// not a leak of rows or statements.
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent(),
			goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
			goleak.IgnoreAnyFunction("net/http.(*conn).serve")) // the test server's side of them
		before := e.c.Stats().Requests
		if got := strings1(t, e.db, `SELECT id FROM objects LIMIT 3`); len(got) != 3 {
			t.Fatalf("LIMIT 3 gave %d rows", len(got))
		}
		if sent := e.c.Stats().Requests - before; sent != 1 {
			t.Errorf("SELECT … LIMIT 3 sent %d requests, want 1 page", sent)
		}

		before = e.c.Stats().Requests
		rows, err := e.db.Query(`SELECT id FROM objects`)
		if err != nil {
			t.Fatal(err)
		}
		if !rows.Next() {
			t.Fatal(rows.Err())
		}
		if sent := e.c.Stats().Requests - before; sent != 1 {
			t.Errorf("first row after %d requests, want 1 page", sent)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if sent := e.c.Stats().Requests - before; sent != 1 {
			t.Errorf("closed rows went on to %d requests", sent)
		}

		ctx, cancel := context.WithCancel(t.Context())
		rows, err = e.db.QueryContext(ctx, `SELECT id FROM objects`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
			if n == 1 {
				cancel()
			}
		}
		if !errors.Is(rows.Err(), context.Canceled) || n >= 250 {
			t.Errorf("after cancel: %d rows, Err = %v", n, rows.Err())
		}
		rows.Close()
		cancel()

		// A full scan costs ceil(250/100) pages (all objects closed: no comments to list).
		before = e.c.Stats().Requests
		if got := strings1(t, e.db, `SELECT id FROM objects`); len(got) != 250 {
			t.Errorf("scan gave %d rows", len(got))
		}
		if sent := e.c.Stats().Requests - before; sent != 3 {
			t.Errorf("scan of 250 objects sent %d requests, want 3", sent)
		}

		// Now that the store is measured, 5 point lookups cost more than the 3-page scan.
		before = e.c.Stats().Requests
		got := strings1(t, e.db, `SELECT id FROM objects WHERE id IN ('o001', 'o002', 'o003', 'o004', 'o249') ORDER BY id`)
		if d := cmp.Diff([]string{"o001", "o002", "o003", "o004", "o249"}, got); d != "" {
			t.Errorf("IN by scan (-want +got):\n%s", d)
		}
		if sent := e.c.Stats().Requests - before; sent != 3 {
			t.Errorf("IN of 5 ids sent %d requests, want the 3 of a scan", sent)
		}
	})
}

// TestLocalShared: every sql.Open of one local: DSN sees one in-memory repository; another
// repository is another.
func TestLocalShared(t *testing.T) {
	repo := uniqueRepo()
	db1, err := sql.Open(DriverName, "local:acme/"+repo)
	if err != nil {
		t.Fatal(err)
	}
	defer db1.Close()
	db2, err := sql.Open(DriverName, "local:ACME/"+strings.ToUpper(repo)+"?apply=inline")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if err := db1.Ping(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db1, `INSERT INTO objects (id, data) VALUES ('s', '{"x":1}')`)
	if n := int1(t, db2, `SELECT x FROM objects WHERE id = 's'`); n != 1 {
		t.Errorf("second sql.Open sees x = %d", n)
	}
	db3, err := sql.Open(DriverName, "local:acme/"+uniqueRepo())
	if err != nil {
		t.Fatal(err)
	}
	defer db3.Close()
	if n := int1(t, db3, `SELECT COUNT(*) FROM objects`); n != 0 {
		t.Errorf("another repository has %d objects", n)
	}
}

// TestLocalDir: local: with dir= is shared within the process, persists across opens, and a
// directory held by another holder gives an error naming ghsql serve.
func TestLocalDir(t *testing.T) {
	dir := t.TempDir()
	dsn := "local:acme/disk?dir=" + dir
	db1, err := sql.Open(DriverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db2, err := sql.Open(DriverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db1, `INSERT INTO objects (id, data) VALUES ('d', '{"x":2}')`)
	if n := int1(t, db2, `SELECT x FROM objects WHERE id = 'd'`); n != 2 {
		t.Errorf("second Connector of the dir sees x = %d", n)
	}
	db1.Close()
	db2.Close()

	db3, err := sql.Open(DriverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if n := int1(t, db3, `SELECT x FROM objects WHERE id = 'd'`); n != 2 {
		t.Errorf("reopened dir sees x = %d", n)
	}
	db3.Close()

	// Another holder (as another process would be) has the directory.
	holder, err := localgh.Open(localgh.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	_, err = sql.Open(DriverName, dsn)
	if !errors.Is(err, ErrLocalDirBusy) || !errors.Is(err, localgh.ErrLocked) || !strings.Contains(err.Error(), "ghsql serve") {
		t.Errorf("open of a held dir = %v, want ErrLocalDirBusy naming ghsql serve", err)
	}
}

// TestPing checks the repository once per Connector and maps GitHub's answers.
func TestPing(t *testing.T) {
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser("acme", "tok-acme")
	srv.CreateRepo("acme", "ok", false)
	srv.CreateRepo("acme", "noissues", false)
	srv.SetIssuesEnabled("acme", "noissues", false)
	hs := httptest.NewServer(srv)
	defer hs.Close()

	ping := func(dsn string) (*Connector, error) {
		db, c := openDSN(t, dsn+"&base_url="+hs.URL)
		return c, db.Ping()
	}
	c, err := ping("acme/ok?token=tok-acme")
	if err != nil {
		t.Fatal(err)
	}
	before := c.Stats().Requests
	if _, err := ping("acme/ok?token=tok-acme"); err != nil {
		t.Fatal(err)
	}
	db2 := sql.OpenDB(c)
	db2.Ping()
	if c.Stats().Requests != before {
		t.Errorf("a second Ping of one Connector sent a request")
	}
	db2.Close()
	if _, err := ping("acme/missing?token=tok-acme"); !errors.Is(err, ErrRepoNotFound) || !errors.Is(err, store.ErrRepoNotFound) || !strings.Contains(err.Error(), "acme/missing") {
		t.Errorf("Ping of a missing repo = %v", err)
	}
	if _, err := ping("acme/ok?token=wrong-secret"); !errors.Is(err, ErrBadCredentials) || !errors.Is(err, store.ErrBadCredentials) || strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("Ping with a bad token = %v", err)
	}
	if _, err := ping("acme/noissues?token=tok-acme"); !errors.Is(err, ErrIssuesDisabled) || !errors.Is(err, store.ErrIssuesDisabled) {
		t.Errorf("Ping of a repo without Issues = %v", err)
	}
}

// TestAsync: apply=async leaves updates pending; reads fold them (read-your-writes either way).
func TestAsync(t *testing.T) {
	db, _ := openDSN(t, "local:acme/"+uniqueRepo()+"?apply=async")
	mustExec(t, db, `INSERT INTO objects (id, n) VALUES ('a', 1)`)
	mustExec(t, db, `UPDATE objects SET n = 2 WHERE id = 'a'`)
	var n, version, pending int
	if err := db.QueryRow(`SELECT n, version, pending FROM objects WHERE id = 'a'`).Scan(&n, &version, &pending); err != nil {
		t.Fatal(err)
	}
	if n != 2 || version != 2 || pending != 1 {
		t.Errorf("async update: n=%d version=%d pending=%d, want 2 2 1", n, version, pending)
	}
}

// TestTimeout: the DSN's timeout bounds a statement whose context has no deadline.
func TestTimeout(t *testing.T) {
	repo := uniqueRepo()
	db, _ := openDSN(t, "local:acme/"+repo+"?timeout=1ms")
	srv := ghstoreDriver.locals.mem["acme/"+repo]
	srv.SetFault(func(c localgh.Call) localgh.Fault { return localgh.Fault{Hang: true} })
	defer srv.SetFault(nil)
	var n int
	err := db.QueryRow(`SELECT COUNT(*) FROM objects`).Scan(&n)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hung scan with timeout=1ms: %v, want context.DeadlineExceeded", err)
	}
	// A deadline of the caller's own wins over the DSN's; a cancelled one stops at once.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := db.ExecContext(ctx, `INSERT INTO objects (id, n) VALUES ('x', 1)`); !errors.Is(err, context.Canceled) {
		t.Errorf("insert with a cancelled context: %v", err)
	}
}

// TestTimeoutBoundsStoreWork: work through Connector.Store() under a context without a
// deadline (ghsql process -all, snapshot) ends on a hung server: each request gets the DSN's
// timeout. Without timeout= it would wait for the context, which a cancel ends.
func TestTimeoutBoundsStoreWork(t *testing.T) {
	repo := uniqueRepo()
	db, c := openDSN(t, "local:acme/"+repo+"?timeout=20ms&max_retries=0")
	mustExec(t, db, `INSERT INTO objects (id, n) VALUES ('a', 1)`)
	srv := ghstoreDriver.locals.mem["acme/"+repo]
	srv.SetFault(func(c localgh.Call) localgh.Fault { return localgh.Fault{Hang: true} })
	defer srv.SetFault(nil)
	if _, err := c.Store().ProcessAll(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ProcessAll on a hung server with timeout=20ms: %v, want context.DeadlineExceeded", err)
	}
	if err := c.Store().Snapshot(context.Background(), io.Discard); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Snapshot on a hung server with timeout=20ms: %v, want context.DeadlineExceeded", err)
	}
	// With no timeout=, a cancel ends it.
	_, c2 := openDSN(t, "local:acme/"+repo+"?max_retries=0")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c2.Store().ProcessAll(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ProcessAll with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestDriverOpen: the bare driver.Driver path gives a connection that owns its Connector.
func TestDriverOpen(t *testing.T) {
	c, err := ghstoreDriver.Open("local:acme/" + uniqueRepo())
	if err != nil {
		t.Fatal(err)
	}
	cn := c.(*conn)
	if err := cn.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if !cn.c.closed.Load() {
		t.Error("closing the connection of Driver.Open left its Connector open")
	}
	if _, err := ghstoreDriver.Open("acme"); !errors.Is(err, ErrBadDSN) {
		t.Errorf("Driver.Open of a bad DSN = %v", err)
	}
}
