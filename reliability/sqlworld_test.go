package reliability

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/store"
)

// The SQL half of the harness: *sql.DB through the ghstore driver onto the world served over
// loopback (base_url=), each with its own Connector, as a separate process would have.
//
// The driver takes no clock (its transport waits on the real one), so these tests open it with
// max_retries=0 unless they say otherwise: a lost GET answer is then an error, never a real
// backoff sleep. Retries and waits are proven on the fake clock at the store level
// (store_faults_test.go); rate-limit faults here carry waits past the statement's deadline, so
// the transport fails at once with *RateLimitError instead of sleeping.

// sqlWorld is a world served over loopback.
type sqlWorld struct {
	*world
	baseURL string
}

// newSQLWorld serves a fresh world over loopback. The server's fake clock starts at the real
// time, so the rate-limit resets it announces are in the driver's future.
func newSQLWorld(t testing.TB) *sqlWorld {
	t.Helper()
	w := newWorldAt(t, time.Now().UTC().Truncate(time.Second))
	return &sqlWorld{world: w, baseURL: w.serve()}
}

// dsn is the DSN for token with extra keys (url-encoded pairs) appended.
func (w *sqlWorld) dsn(token string, extra string) string {
	d := fmt.Sprintf("%s/%s?base_url=%s&token=%s&writes_per_minute=0&writes_per_hour=0&write_interval=0&read_lag=0&max_retries=0&concurrency=1",
		repoOwner, repoName, url.QueryEscape(w.baseURL), url.QueryEscape(token))
	if extra != "" {
		d += "&" + extra
	}
	return d
}

// open opens a *sql.DB of its own Connector for token; it is closed with the test.
func (w *sqlWorld) open(token, extra string) *sql.DB {
	w.t.Helper()
	cfg, err := driver.ParseDSN(w.dsn(token, extra))
	must(w.t, err)
	c, err := driver.NewConnector(cfg)
	must(w.t, err)
	db := sql.OpenDB(c)
	w.t.Cleanup(func() { db.Close() })
	return db
}

// readObject reads id's data through db: "" when there is no such object.
func readObject(ctx context.Context, db *sql.DB, id string) (string, error) {
	var data []byte
	err := db.QueryRowContext(ctx, `SELECT data FROM objects WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return string(data), err
}

// checkSQLObject reads id back through a fresh *sql.DB (as the auditor, trusting acme) and with
// the oracle: both agree, show one of allowed ("" = absent), and the oracle finds no problem.
func (w *sqlWorld) checkSQLObject(t *testing.T, id string, allowed []string, report func() string) string {
	t.Helper()
	return checkAgainstOracle(t, w.world, id, allowed, report, "SQL through a fresh *sql.DB", func() (string, error) {
		return readObject(w.ctx, w.open(auditorToken, "trusted=acme"), id)
	})
}

// isDuplicateKey reports whether err is the store's duplicate-key error.
func isDuplicateKey(err error) bool { return errors.Is(err, store.ErrDuplicateKey) }

// namedArg is sql.Named, for :name placeholders.
func namedArg(name string, v any) any { return sql.Named(name, v) }
