package driver

import (
	"database/sql"
	"fmt"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestMain checks that no test leaves a goroutine behind: rows, statements, connectors and the
// loopback servers are all closed by the tests' cleanups. The embedded backend starts none.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// repoSeq makes repository names unique within the process: in-memory local: repositories live
// as long as the process (even under -count=N).
var repoSeq atomic.Int64

func uniqueRepo() string { return fmt.Sprintf("r%d", repoSeq.Add(1)) }

// env is one fresh, empty repository reached through database/sql.
type env struct {
	db *sql.DB
	c  *Connector
	// srv is the server behind the repository (the process-wide one for local:).
	srv *localgh.Server
	dsn string
}

// backend opens a fresh repository.
type backend struct {
	name string
	open func(t *testing.T) *env
}

// backends are the two paths every end-to-end test runs on: the embedded backend in-process,
// and localgh served over a loopback socket reached with base_url= (go-github, the transport's
// auth, ETag cache and retries over real HTTP).
var backends = []backend{
	{"local", openLocal},
	{"http", openHTTP},
	{"mirror", openMirror},
}

func openDSN(t *testing.T, dsn string) (*sql.DB, *Connector) {
	t.Helper()
	cfg, err := ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db, c
}

func openLocal(t *testing.T) *env {
	dsn := "local:acme/" + uniqueRepo()
	db, c := openDSN(t, dsn)
	return &env{db: db, c: c, dsn: dsn}
}

// openHTTP serves a fresh localgh over httptest with a user acme whose token is in
// GITHUB_TOKEN. Writes are not paced (writes_per_minute=0): pacing would wait real minutes.
func openHTTP(t *testing.T) *env { return openServed(t, "", nil) }

// openMirror is openHTTP with cache=mirror: every statement reads from the in-memory mirror after
// one conditional refresh, so the whole suite checks that the mirror answers as GitHub does.
func openMirror(t *testing.T) *env { return openServed(t, "&cache=mirror", nil) }

// openServed serves a fresh localgh whose clock is now (nil: the wall clock) and opens it with the
// DSN keys extra.
func openServed(t *testing.T, extra string, now func() time.Time) *env {
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.AddUser("acme", "tok-acme"); err != nil {
		t.Fatal(err)
	}
	repo := uniqueRepo()
	if err := srv.CreateRepo("acme", repo, false); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Setenv("GITHUB_TOKEN", "tok-acme")
	dsn := fmt.Sprintf("acme/%s?base_url=%s&writes_per_minute=0&writes_per_hour=0&write_interval=0&read_lag=0%s", repo, hs.URL, extra)
	db, c := openDSN(t, dsn)
	return &env{db: db, c: c, srv: srv, dsn: dsn}
}

// forEachBackend runs test once per backend, each on a fresh repository.
func forEachBackend(t *testing.T, test func(t *testing.T, e *env)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.open(t)) })
	}
}

// forEachDirectBackend is forEachBackend without the mirror, for tests that count the requests
// of reads that go to GitHub each time (the mirror's own costs are TestMirrorCosts').
func forEachDirectBackend(t *testing.T, test func(t *testing.T, e *env)) {
	for _, b := range backends {
		if b.name == "mirror" {
			continue
		}
		t.Run(b.name, func(t *testing.T) { test(t, b.open(t)) })
	}
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) sql.Result {
	t.Helper()
	res, err := db.ExecContext(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

func affected(t *testing.T, res sql.Result) int64 {
	t.Helper()
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// seed stores three objects a, b, c.
func seed(t *testing.T, db *sql.DB) {
	t.Helper()
	res := mustExec(t, db, `INSERT INTO objects (id, data) VALUES (?, ?), (?, ?), (?, ?)`,
		"a", `{"name":"Ann","score":10,"ratio":0.5,"active":true,"team":"red","tags":["x","y"],"user":{"name":"ann"}}`,
		"b", `{"name":"Bob","score":20,"active":false,"team":"blue","user":{"name":"bob"}}`,
		"c", `{"name":"Cy","score":5,"team":"red","note":null}`)
	if n := affected(t, res); n != 3 {
		t.Fatalf("seed: RowsAffected = %d, want 3", n)
	}
}

// strings1 reads a one-column result of strings.
func strings1(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func int1(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func reflectTypeString(v any) string { return reflect.TypeOf(v).String() }
