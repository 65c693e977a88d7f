package driver

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ghstore/ghstore/store"
)

// dataOf reads one object's data as compact JSON.
func dataOf(t *testing.T, db *sql.DB, id string) string {
	t.Helper()
	var raw json.RawMessage
	if err := db.QueryRow(`SELECT data FROM objects WHERE id = ?`, id).Scan(&raw); err != nil {
		t.Fatalf("data of %s: %v", id, err)
	}
	return compactJSON(t, raw)
}

func TestInsert(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		// One row: LastInsertId is the issue number.
		res := mustExec(t, db, `INSERT INTO objects (id, data) VALUES (?, ?)`, "one", json.RawMessage(`{"n":1}`))
		id, err := res.LastInsertId()
		if err != nil || id < 1 {
			t.Errorf("LastInsertId = %d, %v", id, err)
		}
		if got := int1(t, db, `SELECT issue FROM objects WHERE id = 'one'`); got != id {
			t.Errorf("issue = %d, LastInsertId = %d", got, id)
		}
		// Many rows, in order.
		mustExec(t, db, `INSERT INTO objects (id, data) VALUES ($2, $1)`, `{"n":0}`, "m0")
		res = mustExec(t, db, `INSERT INTO objects (id, data) VALUES ('m1', '{"k":"v"}'), ('m2', :d), (:id, :d)`, sql.Named("d", `{"n":2}`), sql.Named("id", "m3"))
		if n := affected(t, res); n != 3 {
			t.Errorf("RowsAffected = %d, want 3", n)
		}
		if _, err := res.LastInsertId(); err == nil {
			t.Error("LastInsertId of a 3-row insert succeeded")
		}
		// Extra columns build data; a dotted name nests; NULL sets null.
		mustExec(t, db, "INSERT INTO objects (id, name, score, `user.name`, gone) VALUES ('x', ?, ?, 'xx', ?)", "X", 1.5, nil)
		if got := dataOf(t, db, "x"); got != `{"gone":null,"name":"X","score":1.5,"user":{"name":"xx"}}` {
			t.Errorf("extra columns built %s", got)
		}
		// Numbers keep their exact value (2^53+1).
		mustExec(t, db, `INSERT INTO objects (id, data) VALUES ('big', '{"n": 9007199254740993}')`)
		if n := int1(t, db, `SELECT n FROM objects WHERE id = 'big'`); n != 9007199254740993 {
			t.Errorf("big number = %d", n)
		}
		// A duplicate id keeps its identity through database/sql, ids compare without case.
		_, err = db.ExecContext(t.Context(), `INSERT INTO objects (id, data) VALUES ('ONE', '{}')`)
		if !errors.Is(err, store.ErrDuplicateKey) {
			t.Errorf("duplicate insert: %v, want store.ErrDuplicateKey", err)
		}
		// Bad input fails before any request.
		before := e.c.Stats().Requests
		for _, bad := range []string{
			`INSERT INTO objects (id, data) VALUES ('bad', '{not json')`,
			`INSERT INTO objects (id, data) VALUES ('a,b', '{}')`,
			`INSERT INTO objects (id, data) VALUES ('` + strings.Repeat("i", 47) + `', '{}')`,
		} {
			if _, err := db.Exec(bad); err == nil {
				t.Errorf("%s succeeded", bad)
			}
		}
		if _, err := db.Exec(`INSERT INTO objects (id, data) VALUES (?, ?)`, "huge", `{"s":"`+strings.Repeat("x", 70000)+`"}`); !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("oversize insert: %v, want store.ErrTooLarge", err)
		}
		if after := e.c.Stats().Requests; after != before {
			t.Errorf("bad inserts sent %d requests", after-before)
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM objects`); n != 7 {
			t.Errorf("COUNT(*) = %d, want 7", n)
		}
	})
}

func TestUpdate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		seed(t, db)
		steps := []struct {
			q        string
			args     []any
			affected int64
			id, want string
		}{
			{`UPDATE objects SET data = ? WHERE id = ?`, []any{`{"name":"Ann","score":11}`, "a"}, 1, "a", `{"name":"Ann","score":11}`},
			{`UPDATE objects SET data = JSON_SET(data, '$.score', ?, '$.extra', JSON_MERGE_PATCH('{}', '{"deep":true}'), '$.no.parent', 1) WHERE id = 'a'`, []any{12}, 1, "a", `{"extra":{"deep":true},"name":"Ann","score":12}`},
			{`UPDATE objects SET data = JSON_MERGE_PATCH(data, ?) WHERE id = 'a'`, []any{`{"extra":null,"team":"green"}`}, 1, "a", `{"name":"Ann","score":12,"team":"green"}`},
			{`UPDATE objects SET score = score + 1 WHERE team = :team`, []any{sql.Named("team", "red")}, 1, "c", `{"name":"Cy","note":null,"score":6,"team":"red"}`},
			{`UPDATE objects SET score = score + 1 WHERE id = 'nobody'`, nil, 0, "b", `{"active":false,"name":"Bob","score":20,"team":"blue","user":{"name":"bob"}}`},
			{`UPDATE objects SET score = 20 WHERE id = 'b'`, nil, 0, "b", `{"active":false,"name":"Bob","score":20,"team":"blue","user":{"name":"bob"}}`},
			{`UPDATE objects SET name = LOWER(name)`, nil, 3, "b", `{"active":false,"name":"bob","score":20,"team":"blue","user":{"name":"bob"}}`},
		}
		for _, s := range steps {
			res := mustExec(t, db, s.q, s.args...)
			if n := affected(t, res); n != s.affected {
				t.Errorf("%s: RowsAffected = %d, want %d", s.q, n, s.affected)
			}
			if got := dataOf(t, db, s.id); got != s.want {
				t.Errorf("%s: %s = %s, want %s", s.q, s.id, got, s.want)
			}
		}
		// Versions: a had 3 changes + lower(), b only lower() (the no-op left it alone).
		if v := int1(t, db, `SELECT version FROM objects WHERE id = 'a'`); v != 5 {
			t.Errorf("version of a = %d, want 5", v)
		}
		if v := int1(t, db, `SELECT version FROM objects WHERE id = 'b'`); v != 2 {
			t.Errorf("version of b = %d, want 2", v)
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM history WHERE id = 'b'`); n != 2 {
			t.Errorf("history of b has %d rows, want 2 (no comment for the unchanged update)", n)
		}
	})
}

func TestDelete(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		seed(t, db)
		mustExec(t, db, `UPDATE objects SET score = 1 WHERE id = 'a'`)
		if n := affected(t, mustExec(t, db, `DELETE FROM objects WHERE team = ?`, "red")); n != 2 {
			t.Errorf("DELETE RowsAffected = %d, want 2", n)
		}
		if n := affected(t, mustExec(t, db, `DELETE FROM objects WHERE id = 'a'`)); n != 0 {
			t.Errorf("DELETE of a deleted id: RowsAffected = %d, want 0", n)
		}
		if d := cmp.Diff([]string{"b"}, strings1(t, db, `SELECT id FROM objects`)); d != "" {
			t.Errorf("after delete (-want +got):\n%s", d)
		}
		// A deleted id does not exist: INSERT makes a new object, version 1, fresh history.
		mustExec(t, db, `INSERT INTO objects (id, data) VALUES ('a', '{"again":true}')`)
		if v := int1(t, db, `SELECT version FROM objects WHERE id = 'a'`); v != 1 {
			t.Errorf("re-inserted version = %d", v)
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM history WHERE id = 'a'`); n != 1 {
			t.Errorf("re-inserted history has %d rows", n)
		}
	})
}

func TestUpsert(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		seed(t, db)
		const q = `INSERT INTO objects (id, name, score) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE score = VALUES(score)`
		if n := affected(t, mustExec(t, db, q, "new", "N", 1)); n != 1 {
			t.Errorf("upsert insert: RowsAffected = %d, want 1", n)
		}
		if n := affected(t, mustExec(t, db, q, "b", "ignored", 21)); n != 2 {
			t.Errorf("upsert change: RowsAffected = %d, want 2", n)
		}
		if n := affected(t, mustExec(t, db, q, "b", "ignored", 21)); n != 0 {
			t.Errorf("upsert unchanged: RowsAffected = %d, want 0", n)
		}
		if got := dataOf(t, db, "b"); got != `{"active":false,"name":"Bob","score":21,"team":"blue","user":{"name":"bob"}}` {
			t.Errorf("b = %s", got)
		}
		res := mustExec(t, db, `INSERT INTO objects (id, score) VALUES ('a', 10), ('n2', 3), ('c', 6)
			ON DUPLICATE KEY UPDATE score = score + VALUES(score)`)
		if n := affected(t, res); n != 2+1+2 {
			t.Errorf("multi-row upsert: RowsAffected = %d, want 5", n)
		}
		if n := int1(t, db, `SELECT score FROM objects WHERE id = 'a'`); n != 20 {
			t.Errorf("a.score = %d, want 20", n)
		}
	})
}

func TestHistory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		seed(t, db)
		mustExec(t, db, `UPDATE objects SET score = 11 WHERE id = 'a'`)
		mustExec(t, db, `UPDATE objects SET data = JSON_REMOVE(data, '$.tags') WHERE id = 'a'`)
		rows, err := db.Query(`SELECT seq, kind, data, author, trusted, processed, created_at, comment_id FROM history WHERE id = ? ORDER BY seq`, "a")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var (
				seq       int
				kind      string
				data      json.RawMessage
				author    string
				trusted   bool
				processed bool
				created   sql.NullTime
				comment   int64
			)
			if err := rows.Scan(&seq, &kind, &data, &author, &trusted, &processed, &created, &comment); err != nil {
				t.Fatal(err)
			}
			if author != "acme" || !trusted || !processed || !created.Valid || comment == 0 {
				t.Errorf("history row %d: author=%q trusted=%v processed=%v created=%v comment=%d", seq, author, trusted, processed, created, comment)
			}
			got = append(got, kind)
			if seq == 2 && compactJSON(t, data) != `{"score":11}` {
				t.Errorf("update patch = %s", data)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"initial_state", "update", "replace"}, got); d != "" {
			t.Errorf("history kinds (-want +got):\n%s", d)
		}
		// A scan of history covers every object.
		if n := int1(t, db, `SELECT COUNT(*) FROM history`); n != 5 {
			t.Errorf("history rows = %d, want 5", n)
		}
	})
}

func TestExplainSendsNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		seed(t, db)
		explain := func(q string) [][]string {
			t.Helper()
			before := e.c.Stats().Requests
			rows, err := db.Query(q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var out [][]string
			for rows.Next() {
				vals := make([]sql.NullString, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				var row []string
				for _, v := range vals {
					row = append(row, v.String)
				}
				out = append(out, row)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if after := e.c.Stats().Requests; after != before {
				t.Errorf("%s sent %d requests", q, after-before)
			}
			if len(out) == 0 {
				t.Errorf("%s: no rows", q)
			}
			return out
		}
		point := explain(`EXPLAIN SELECT * FROM objects WHERE id IN ('a', 'b')`)
		t.Logf("point: %v", point)
		strings1(t, db, `SELECT id FROM objects`) // a scan: M = 3
		scan := explain(`EXPLAIN SELECT * FROM objects WHERE score > 1`)
		t.Logf("scan: %v", scan)
		if !strings.Contains(strings.Join(scan[0], " "), "scan") {
			t.Errorf("EXPLAIN of a scan does not say scan: %v", scan)
		}
		explain(`EXPLAIN UPDATE objects SET score = 1 WHERE id = 'a'`)
		if got := dataOf(t, db, "a"); !strings.Contains(got, `"score":10`) {
			t.Errorf("EXPLAIN UPDATE changed the object: %s", got)
		}
	})
}

func TestNulls(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := e.db
		mustExec(t, db, `INSERT INTO objects (id, a, b, c) VALUES (?, ?, ?, ?)`, "n", nil, sql.NullString{}, sql.NullInt64{Int64: 4, Valid: true})
		if got := dataOf(t, db, "n"); got != `{"a":null,"b":null,"c":4}` {
			t.Errorf("data = %s", got)
		}
		var a, missing sql.NullString
		var aJSON []byte
		if err := db.QueryRow(`SELECT a, missing, data->'$.a' FROM objects WHERE id = 'n'`).Scan(&a, &missing, &aJSON); err != nil {
			t.Fatal(err)
		}
		if a.Valid || missing.Valid || string(aJSON) != "null" {
			t.Errorf("a=%v missing=%v data->'$.a'=%q", a, missing, aJSON)
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM objects WHERE data->'$.a' IS NULL`); n != 0 {
			t.Errorf("data->'$.a' IS NULL matched a JSON null")
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM objects WHERE data->'$.zz' IS NULL AND a IS NULL AND c IS NOT NULL`); n != 1 {
			t.Errorf("IS NULL on missing/null paths: %d", n)
		}
		if n := int1(t, db, `SELECT COUNT(*) FROM objects WHERE a = ?`, nil); n != 0 {
			t.Errorf("= NULL matched")
		}
	})
}
