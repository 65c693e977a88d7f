package driver

import (
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSelect(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		seed(t, e.db)
		db := e.db
		check := func(name string, got, want []string) {
			t.Helper()
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s (-want +got):\n%s", name, d)
			}
		}
		check("point", strings1(t, db, `SELECT data->>'$.name' FROM objects WHERE id = ?`, "b"), []string{"Bob"})
		check("ids ignore case, keep their own", strings1(t, db, `SELECT id FROM objects WHERE id = 'B'`), []string{"b"})
		check("in", strings1(t, db, `SELECT id FROM objects WHERE id IN (?, ?, 'zz') ORDER BY id`, "c", "a"), []string{"a", "c"})
		check("scan", strings1(t, db, `SELECT id FROM objects WHERE data->>'$.score' > ? ORDER BY id`, 6), []string{"a", "b"})
		check("bare names", strings1(t, db, `SELECT id FROM objects WHERE score >= 10 ORDER BY score DESC`), []string{"b", "a"})
		check("nested path", strings1(t, db, "SELECT id FROM objects WHERE `user.name` = 'bob'"), []string{"b"})
		check("json compare", strings1(t, db, `SELECT id FROM objects WHERE data->'$.team' = 'red' ORDER BY id`), []string{"a", "c"})
		check("like", strings1(t, db, `SELECT id FROM objects WHERE name LIKE 'B%'`), []string{"b"})
		check("between/not", strings1(t, db, `SELECT id FROM objects WHERE score BETWEEN 5 AND 10 AND NOT (id = 'c')`), []string{"a"})
		check("order limit offset", strings1(t, db, `SELECT id FROM objects ORDER BY id LIMIT 1 OFFSET 1`), []string{"b"})
		check("limit", strings1(t, db, `SELECT id FROM objects ORDER BY score LIMIT 2`), []string{"c", "a"})
		check("functions", strings1(t, db, `SELECT UPPER(name) FROM objects WHERE id = 'c'`), []string{"CY"})
		check("is null", strings1(t, db, `SELECT id FROM objects WHERE data->>'$.ratio' IS NULL ORDER BY id`), []string{"b", "c"})

		var count, sum, min, max int64
		var avg float64
		if err := db.QueryRow(`SELECT COUNT(*), SUM(score), MIN(score), MAX(score), AVG(score) FROM objects`).Scan(&count, &sum, &min, &max, &avg); err != nil {
			t.Fatal(err)
		}
		if count != 3 || sum != 35 || min != 5 || max != 20 || math.Abs(avg-35.0/3) > 1e-9 {
			t.Errorf("aggregates = %d %d %d %d %g", count, sum, min, max, avg)
		}

		rows, err := db.Query(`SELECT team, COUNT(*) AS n FROM objects GROUP BY team ORDER BY team`)
		if err != nil {
			t.Fatal(err)
		}
		var groups []string
		for rows.Next() {
			var team string
			var n int
			if err := rows.Scan(&team, &n); err != nil {
				t.Fatal(err)
			}
			groups = append(groups, team+":"+string(rune('0'+n)))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		check("group by", groups, []string{"blue:1", "red:2"})

		// No row: sql.ErrNoRows.
		var s string
		if err := db.QueryRow(`SELECT id FROM objects WHERE id = ?`, "nobody").Scan(&s); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("no row: %v, want sql.ErrNoRows", err)
		}

		// SELECT * columns and the name of an unaliased expression.
		rows, err = db.Query(`SELECT * FROM objects WHERE id = 'a'`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		check("select * columns", cols, []string{"id", "data", "issue", "version", "pending", "created_at", "updated_at"})
		rows, err = db.Query(`SELECT data->>'$.name', score AS s FROM objects WHERE id = 'a'`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ = rows.Columns()
		rows.Close()
		check("expression names", cols, []string{"data->>'$.name'", "s"})
	})
}

// TestScanTypes: each Go type of DESIGN.md §4 scans into any, typed variables, sql.Null*,
// json.RawMessage and time.Time.
func TestScanTypes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		seed(t, e.db)
		const q = `SELECT data, data->'$.user', data->>'$.score', data->>'$.ratio', data->>'$.active',
			data->>'$.name', data->>'$.note', data->>'$.missing', data->>'$.tags', created_at, issue, version, pending
			FROM objects WHERE id = 'a'`

		// into any
		vals := make([]any, 13)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := e.db.QueryRow(q).Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		wantTypes := []string{"[]uint8", "[]uint8", "int64", "float64", "bool", "string", "<nil>", "<nil>", "[]uint8", "time.Time", "int64", "int64", "int64"}
		for i, v := range vals {
			if got := typeName(v); got != wantTypes[i] {
				t.Errorf("column %d scanned into any: %s (%v), want %s", i, got, v, wantTypes[i])
			}
		}
		var doc map[string]any
		if err := json.Unmarshal(vals[0].([]byte), &doc); err != nil || doc["name"] != "Ann" {
			t.Errorf("data = %s (%v)", vals[0], err)
		}
		if string(vals[8].([]byte)) != `["x","y"]` && compactJSON(t, vals[8].([]byte)) != `["x","y"]` {
			t.Errorf("tags = %s", vals[8])
		}

		// into typed variables
		var (
			data, user    json.RawMessage
			score         int64
			ratio         float64
			active        bool
			name          string
			note, missing sql.NullString
			tags          []byte
			created       time.Time
			issue         int
			version       int32
			pending       uint
		)
		if err := e.db.QueryRow(q).Scan(&data, &user, &score, &ratio, &active, &name, &note, &missing, &tags, &created, &issue, &version, &pending); err != nil {
			t.Fatal(err)
		}
		if compactJSON(t, user) != `{"name":"ann"}` || score != 10 || ratio != 0.5 || !active || name != "Ann" ||
			note.Valid || missing.Valid || created.IsZero() || time.Since(created) > time.Hour || issue < 1 || version != 1 || pending != 0 {
			t.Errorf("typed scan: user=%s score=%d ratio=%g active=%v name=%q note=%v missing=%v created=%v issue=%d version=%d pending=%d",
				user, score, ratio, active, name, note, missing, created, issue, version, pending)
		}

		// into sql.Null*
		var (
			nScore  sql.NullInt64
			nRatio  sql.NullFloat64
			nActive sql.NullBool
			nName   sql.NullString
			nNote   sql.NullInt64
			nTime   sql.NullTime
			nMiss   sql.NullFloat64
		)
		if err := e.db.QueryRow(`SELECT data->>'$.score', data->>'$.ratio', data->>'$.active', data->>'$.name', data->>'$.note', created_at, data->>'$.missing' FROM objects WHERE id = 'a'`).
			Scan(&nScore, &nRatio, &nActive, &nName, &nNote, &nTime, &nMiss); err != nil {
			t.Fatal(err)
		}
		if !nScore.Valid || nScore.Int64 != 10 || !nRatio.Valid || nRatio.Float64 != 0.5 || !nActive.Valid || !nActive.Bool ||
			nName.String != "Ann" || nNote.Valid || !nTime.Valid || nMiss.Valid {
			t.Errorf("sql.Null* scan: %v %v %v %v %v %v %v", nScore, nRatio, nActive, nName, nNote, nTime, nMiss)
		}

		// Column types.
		rows, err := e.db.Query(`SELECT id, data, issue, created_at, data->>'$.score' FROM objects WHERE id = 'a'`)
		if err != nil {
			t.Fatal(err)
		}
		cts, err := rows.ColumnTypes()
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
		var got []string
		for _, ct := range cts {
			nullable, _ := ct.Nullable()
			got = append(got, ct.DatabaseTypeName()+"/"+ct.ScanType().String()+"/"+map[bool]string{true: "null", false: "notnull"}[nullable])
		}
		want := []string{"TEXT/string/notnull", "JSON/json.RawMessage/notnull", "INTEGER/int64/notnull", "TIMESTAMP/time.Time/notnull"}
		if d := cmp.Diff(want, got[:4]); d != "" {
			t.Errorf("column types (-want +got):\n%s", d)
		}
		if n, _ := cts[4].Nullable(); !n {
			t.Errorf("a path into data is not nullable")
		}
	})
}

func typeName(v any) string {
	if v == nil {
		return "<nil>"
	}
	return reflectTypeString(v)
}

func compactJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// TestPlaceholders: `?`, `:name` (sql.Named) and `$N` bind the same way, prepared or not.
func TestPlaceholders(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		seed(t, e.db)
		for _, tt := range []struct {
			q    string
			args []any
		}{
			{`SELECT id FROM objects WHERE score > ? AND team = ? ORDER BY id`, []any{1, "red"}},
			{`SELECT id FROM objects WHERE score > :min AND team = :team ORDER BY id`, []any{sql.Named("team", "red"), sql.Named("min", 1)}},
			{`SELECT id FROM objects WHERE score > $1 AND team = $2 ORDER BY id`, []any{1, "red"}},
			{`SELECT id FROM objects WHERE team = $1 AND (score > $2 OR team = $1) ORDER BY id`, []any{"red", 1}},
		} {
			if d := cmp.Diff([]string{"a", "c"}, strings1(t, e.db, tt.q, tt.args...)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tt.q, d)
			}
			st, err := e.db.Prepare(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			rows, err := st.Query(tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				n++
			}
			rows.Close()
			st.Close()
			if n != 2 {
				t.Errorf("prepared %s: %d rows", tt.q, n)
			}
		}
		// A wrong argument count is refused before anything runs.
		if _, err := e.db.Query(`SELECT id FROM objects WHERE id = ?`); err == nil {
			t.Error("missing argument accepted")
		}
	})
}
