package driver

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ghstore/ghstore/store"
)

func TestTransactions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		seed(t, db)
		ctx := t.Context()

		// Writes are buffered: their results are known only after Commit, reads see committed
		// state, and Commit applies them in order.
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := e.c.Stats().ContentCreating
		res, err := tx.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES ('t1', '{"n":1}')`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := res.RowsAffected(); !errors.Is(err, ErrAfterCommit) {
			t.Errorf("RowsAffected in a tx = %v, want ErrAfterCommit", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE objects SET n = n + 1 WHERE id = 't1'`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM objects WHERE id = 'c'`); err != nil {
			t.Fatal(err)
		}
		// A bad statement fails at once.
		if _, err := tx.ExecContext(ctx, `UPDATE objects SET WHERE`); err == nil {
			t.Error("a bad statement was buffered")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES ('t2', '{oops')`); err == nil {
			t.Error("bad JSON was buffered")
		}
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM objects`).Scan(&n); err != nil || n != 3 {
			t.Errorf("count inside tx = %d, %v; want 3 (committed state)", n, err)
		}
		if got := e.c.Stats().ContentCreating; got != before {
			t.Errorf("buffered writes sent %d content-creating requests before Commit", got-before)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"a", "b", "t1"}, strings1(t, db, `SELECT id FROM objects ORDER BY id`)); d != "" {
			t.Errorf("after commit (-want +got):\n%s", d)
		}
		if got := dataOf(t, db, "t1"); got != `{"n":2}` {
			t.Errorf("t1 = %s, want the update applied after the insert", got)
		}

		// Rollback discards.
		tx, err = db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		tx.ExecContext(ctx, `DELETE FROM objects`)
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM objects`); n != 3 {
			t.Errorf("after rollback: %d objects", n)
		}

		// A prepared statement inside a transaction buffers too.
		tx, _ = db.BeginTx(ctx, nil)
		st, err := tx.PrepareContext(ctx, `INSERT INTO objects (id, v) VALUES (?, ?)`)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"p1", "p2"} {
			if _, err := st.ExecContext(ctx, id, id); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
		// Part-way failure: p1, p2 applied, the duplicate fails, the last never runs.
		tx.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES ('A', '{}')`)
		tx.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES ('p3', '{}')`)
		err = tx.Commit()
		var ce *CommitError
		if !errors.As(err, &ce) || ce.Applied != 2 || ce.Total != 4 {
			t.Fatalf("Commit = %v, want a CommitError with 2 of 4 applied", err)
		}
		if !errors.Is(err, store.ErrDuplicateKey) || !strings.Contains(err.Error(), "2 of 4") {
			t.Errorf("Commit error %q does not wrap the cause or say 2 of 4", err)
		}
		if d := cmp.Diff([]string{"a", "b", "p1", "p2", "t1"}, strings1(t, db, `SELECT id FROM objects ORDER BY id`)); d != "" {
			t.Errorf("after part-way commit (-want +got):\n%s", d)
		}

		// Read-only transactions read and refuse writes; other isolation levels are refused.
		ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM objects`).Scan(&n); err != nil || n != 5 {
			t.Errorf("read in a read-only tx = %d, %v", n, err)
		}
		if _, err := ro.ExecContext(ctx, `DELETE FROM objects`); !errors.Is(err, ErrReadOnly) {
			t.Errorf("write in a read-only tx = %v, want ErrReadOnly", err)
		}
		if err := ro.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable}); !errors.Is(err, ErrIsolation) {
			t.Errorf("BeginTx(Serializable) = %v, want ErrIsolation", err)
		}
	})
}
