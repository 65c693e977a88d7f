package query

import (
	"encoding/json"
	"strings"
	"testing"
)

type insertCase struct {
	name string
	sql  string
	args []Arg
	want string // rows as "id=data; id=data"
	err  string
}

func showRows(rows []Row) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, r.ID+"="+string(r.Data))
	}
	return strings.Join(parts, "; ")
}

func TestInsert(t *testing.T) {
	cases := []insertCase{
		{name: "id and data", sql: `INSERT INTO objects (id, data) VALUES ('a', '{"x": 1}')`, want: `a={"x": 1}`},
		{name: "many rows", sql: `INSERT INTO objects (id, data) VALUES ('a', '{}'), ('b', '{"y":[1,2]}')`, want: `a={}; b={"y":[1,2]}`},
		{name: "placeholders", sql: `INSERT INTO objects (id, data) VALUES (?, ?), (?, ?)`, args: posArgs("a", `{"k":"v"}`, "b", []byte(`{"n":2}`)), want: `a={"k":"v"}; b={"n":2}`},
		{name: "json.RawMessage data", sql: `INSERT INTO objects (id, data) VALUES (?, ?)`, args: posArgs("a", json.RawMessage(`{"big": 9007199254740993}`)), want: `a={"big": 9007199254740993}`},
		{name: "extra columns build data in column order", sql: `INSERT INTO objects (id, name, score) VALUES ('a', 'x', 1)`, want: `a={"name":"x","score":1}`},
		{name: "dotted column nests", sql: "INSERT INTO objects (id, `user.name`, `user.age`, active) VALUES ('a', 'x', 30, true)", want: `a={"user":{"name":"x","age":30},"active":true}`},
		{name: "NULL sets null", sql: `INSERT INTO objects (id, note) VALUES ('a', NULL)`, want: `a={"note":null}`},
		{name: "data plus extra columns", sql: `INSERT INTO objects (id, data, score) VALUES ('a', '{"name":"x"}', 2)`, want: `a={"name":"x","score":2}`},
		{name: "a []byte holding JSON is JSON in a path column", sql: `INSERT INTO objects (id, tags) VALUES (?, ?)`, args: posArgs("a", []byte(`["x","y"]`)), want: `a={"tags":["x","y"]}`},
		{name: "a string holding JSON is a string in a path column", sql: `INSERT INTO objects (id, tags) VALUES (?, ?)`, args: posArgs("a", `["x"]`), want: `a={"tags":"[\"x\"]"}`},
		{name: "integer id is its decimal text", sql: `INSERT INTO objects (id, data) VALUES (42, '{}')`, want: `42={}`},
		{name: "no column list means (id, data)", sql: `INSERT INTO objects VALUES ('a', '{}')`, want: `a={}`},
		{name: "NULL id is refused", sql: `INSERT INTO objects (id, data) VALUES ('a', '{}'), (NULL, '{}')`, err: "row 2: id is NULL"},
		{name: "data must be an object", sql: `INSERT INTO objects (id, data) VALUES ('a', '[1]')`, err: `row 1 (id "a"): data must be a JSON object, got array`},
		{name: "data that is not JSON", sql: `INSERT INTO objects (id, data) VALUES ('a', 'hello')`, err: "data must be a JSON object, got a string that is not JSON"},
		{name: "read-only column", sql: `INSERT INTO objects (id, version) VALUES ('a', 3)`, err: "column version is read-only"},
		{name: "id is required", sql: `INSERT INTO objects (name) VALUES ('a')`, err: "INSERT needs the id column"},
		{name: "value count must match", sql: `INSERT INTO objects (id, data) VALUES ('a')`, err: "row 1 has 1 values for 2 columns"},
		{name: "history is read-only", sql: `INSERT INTO history (id, data) VALUES ('a', '{}')`, err: "table history is read-only"},
		{name: "INSERT SELECT is refused", sql: `INSERT INTO objects (id, data) SELECT id, data FROM objects`, err: "INSERT … SELECT is not supported"},
		{name: "REPLACE is refused", sql: `REPLACE INTO objects (id, data) VALUES ('a', '{}')`, err: "REPLACE is not supported"},
		{name: "INSERT IGNORE is refused", sql: `INSERT IGNORE INTO objects (id, data) VALUES ('a', '{}')`, err: "INSERT IGNORE is not supported"},
		{name: "column reference in VALUES is refused", sql: `INSERT INTO objects (id, data) VALUES (name, '{}')`, err: "column reference name is not allowed here"},
		{name: "expressions in VALUES", sql: `INSERT INTO objects (id, n, d) VALUES (LOWER('A'), 2 * 3, JSON_SET('{}', '$.x', 1))`, want: `a={"n":6,"d":{"x":1}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Parse(tc.sql)
			var p *Plan
			if err == nil {
				p, err = st.Bind(tc.args)
			}
			var rows []Row
			if err == nil {
				if st.Kind() != Insert || st.Table() != Objects {
					t.Fatalf("kind %v table %v", st.Kind(), st.Table())
				}
				rows, err = p.Rows()
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%s: got %s, %v; want error %q", tc.sql, showRows(rows), err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.sql, err)
			}
			if got := showRows(rows); got != tc.want {
				t.Fatalf("%s\n got %s\nwant %s", tc.sql, got, tc.want)
			}
			if p.Upsert() {
				t.Fatal("Upsert without ON DUPLICATE KEY UPDATE")
			}
			if a := p.Access(); a.Scan || len(a.IDs) != 0 {
				t.Fatalf("plain INSERT access %+v, want nothing to fetch", a)
			}
		})
	}
}

type updateCase struct {
	name string
	sql  string
	args []any
	doc  string
	want string
	err  string
}

func TestUpdate(t *testing.T) {
	doc := `{"name": "Ann", "score": 5, "user": {"name": "ann"}, "tags": ["go"]}`
	cases := []updateCase{
		{name: "data = ? with a JSON string arg", sql: `UPDATE objects SET data = ? WHERE id = 'a'`, args: []any{`{"x": 1}`}, want: `{"x": 1}`},
		{name: "data = ? with json.RawMessage", sql: `UPDATE objects SET data = ?`, args: []any{json.RawMessage(`{"y":2}`)}, want: `{"y":2}`},
		{name: "data = ? must be an object", sql: `UPDATE objects SET data = ?`, args: []any{`[1]`}, err: "UPDATE: data must be a JSON object, got array"},
		{name: "data = NULL is refused", sql: `UPDATE objects SET data = NULL`, err: "data must be a JSON object, got NULL"},
		{name: "JSON_SET keeps key order", sql: `UPDATE objects SET data = JSON_SET(data, '$.score', 6, '$.new', 'n')`, want: `{"name": "Ann", "score": 6, "user": {"name": "ann"}, "tags": ["go"],"new":"n"}`},
		{name: "JSON_REMOVE", sql: `UPDATE objects SET data = JSON_REMOVE(data, '$.user', '$.tags[0]')`, want: `{"name":"Ann","score":5,"tags":[]}`},
		{name: "RFC 7396 JSON_MERGE_PATCH with a string arg holding JSON", sql: `UPDATE objects SET data = JSON_MERGE_PATCH(data, ?)`, args: []any{`{"score": null, "user": {"age": 3}, "z": 1}`}, want: `{"name":"Ann","user":{"name":"ann","age":3},"tags":["go"],"z":1}`},
		{name: "JSON_MERGE_PATCH that changes nothing keeps the text", sql: `UPDATE objects SET data = JSON_MERGE_PATCH(data, '{"score": 5}')`, want: doc},
		{name: "computed virtual column", sql: `UPDATE objects SET score = score + 1`, want: `{"name": "Ann", "score": 6, "user": {"name": "ann"}, "tags": ["go"]}`},
		{name: "dotted name nests", sql: "UPDATE objects SET `user.name` = 'x', `user.age` = 30", want: `{"name": "Ann", "score": 5, "user": {"name": "x","age":30}, "tags": ["go"]}`},
		{name: "a missing parent is created", sql: "UPDATE objects SET `a.b.c` = 1", want: `{"name": "Ann", "score": 5, "user": {"name": "ann"}, "tags": ["go"],"a":{"b":{"c":1}}}`},
		{name: "assignments apply left to right", sql: `UPDATE objects SET score = score * 10, score = score + 1, copy = score`, want: `{"name": "Ann", "score": 51, "user": {"name": "ann"}, "tags": ["go"],"copy":51}`},
		{name: "data then a path sees the new data", sql: `UPDATE objects SET data = '{"k": 1}', k = k + 1`, want: `{"k": 2}`},
		{name: "NULL sets JSON null", sql: `UPDATE objects SET score = NULL`, want: `{"name": "Ann", "score": null, "user": {"name": "ann"}, "tags": ["go"]}`},
		{name: "a []byte arg holding JSON is JSON", sql: `UPDATE objects SET tags = ?`, args: []any{[]byte(`["a","b"]`)}, want: `{"name": "Ann", "score": 5, "user": {"name": "ann"}, "tags": ["a","b"]}`},
		{name: "a string arg is a string", sql: `UPDATE objects SET name = ?`, args: []any{`' OR 1=1 --`}, want: `{"name": "' OR 1=1 --", "score": 5, "user": {"name": "ann"}, "tags": ["go"]}`},
		{name: "id is not writable by UPDATE", sql: `UPDATE objects SET id = 'b'`, err: "UPDATE cannot change an object's id"},
		{name: "read-only column", sql: `UPDATE objects SET version = 2`, err: "column version is read-only"},
		{name: "history is read-only", sql: `UPDATE history SET data = '{}'`, err: "table history is read-only"},
		{name: "UPDATE LIMIT is refused", sql: `UPDATE objects SET x = 1 LIMIT 1`, err: "LIMIT in UPDATE is not supported"},
		{name: "aggregate in SET is refused", sql: `UPDATE objects SET x = COUNT(*)`, err: "aggregate COUNT is not allowed in UPDATE"},
		{name: "multi-table UPDATE is refused", sql: `UPDATE objects, history SET x = 1`, err: "more than one table"},
		{name: "an empty record gets {}", sql: `UPDATE objects SET x = 1`, doc: "-", want: `{"x":1}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Parse(tc.sql)
			var p *Plan
			if err == nil {
				p, err = st.Bind(posArgs(tc.args...))
			}
			var out []byte
			if err == nil {
				d := doc
				if tc.doc == "-" {
					d = ""
				}
				out, err = p.Assign(&Record{ID: "a", Data: []byte(d)})
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%s: got %s, %v; want error %q", tc.sql, out, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.sql, err)
			}
			if string(out) != tc.want {
				t.Fatalf("%s\n got %s\nwant %s", tc.sql, out, tc.want)
			}
			if !json.Valid(out) {
				t.Fatalf("not valid JSON: %s", out)
			}
		})
	}
}

func TestUpsert(t *testing.T) {
	st, err := Parse("INSERT INTO objects (id, name, hits) VALUES (?, ?, 1), ('B', 'bee', 1), ('b', 'dup', 1) " +
		"ON DUPLICATE KEY UPDATE hits = hits + VALUES(hits), name = VALUES(name), seen = VALUES(id)")
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Bind(posArgs("a", "ay"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Upsert() {
		t.Fatal("Upsert false")
	}
	if a := p.Access(); a.Scan || strings.Join(a.IDs, ",") != "a,B" {
		t.Fatalf("access %+v, want the offered ids a,B deduplicated case-insensitively", a)
	}
	rows, err := p.Rows()
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.AssignDuplicate(&Record{ID: "a", Data: []byte(`{"name":"old","hits":4}`)}, rows[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"ay","hits":5,"seen":"a"}`; string(out) != want {
		t.Fatalf("got %s want %s", out, want)
	}
	// VALUES(data) is the offered object.
	st, err = Parse(`INSERT INTO objects (id, data) VALUES ('a', '{"x":1}') ON DUPLICATE KEY UPDATE data = JSON_MERGE_PATCH(data, VALUES(data))`)
	if err != nil {
		t.Fatal(err)
	}
	p, err = st.Bind(nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = p.Rows()
	out, err = p.AssignDuplicate(&Record{ID: "a", Data: []byte(`{"y":2}`)}, rows[0])
	if err != nil || string(out) != `{"y":2,"x":1}` {
		t.Fatalf("got %s, %v", out, err)
	}
	if _, err := Parse(`UPDATE objects SET x = VALUES(x)`); err == nil || !strings.Contains(err.Error(), "only allowed in ON DUPLICATE KEY UPDATE") {
		t.Fatalf("VALUES() outside upsert: %v", err)
	}
}

func TestDeleteMatch(t *testing.T) {
	st, err := Parse(`DELETE FROM objects WHERE score > ? AND name LIKE 'A%'`)
	if err != nil {
		t.Fatal(err)
	}
	if st.Kind() != Delete || st.Table() != Objects || st.NumInput() != 1 {
		t.Fatalf("kind %v table %v inputs %d", st.Kind(), st.Table(), st.NumInput())
	}
	p, err := st.Bind(posArgs(int64(2)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc  string
		want bool
	}{
		{`{"score": 3, "name": "Ann"}`, true},
		{`{"score": 1, "name": "Ann"}`, false},
		{`{"score": 3, "name": "bob"}`, false},
		{`{}`, false},
	} {
		got, err := p.Match(&Record{ID: "x", Data: []byte(tc.doc)})
		if err != nil || got != tc.want {
			t.Errorf("Match(%s) = %v, %v; want %v", tc.doc, got, err, tc.want)
		}
	}
	for sql, want := range map[string]string{
		`DELETE FROM history WHERE id = 'a'`:          "table history is read-only",
		`DELETE FROM objects WHERE id = 'a' LIMIT 1`:  "LIMIT in DELETE is not supported",
		`DELETE FROM objects ORDER BY id`:             "ORDER BY in DELETE is not supported",
		`DELETE o FROM objects o JOIN history h`:      "not supported",
		`DELETE FROM things WHERE id = 'a'`:           "table things does not exist",
		`DELETE FROM objects WHERE (SELECT 1) = 1`:    "subquery is not supported",
		`DELETE FROM objects WHERE id = 'a' OR x = 1`: "",
	} {
		_, err := Parse(sql)
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", sql, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", sql, err, want)
		}
	}
	// No WHERE matches everything.
	st, _ = Parse(`DELETE FROM objects`)
	p, _ = st.Bind(nil)
	if ok, err := p.Match(&Record{ID: "x", Data: []byte(`{}`)}); !ok || err != nil {
		t.Fatalf("DELETE without WHERE: %v %v", ok, err)
	}
	if !p.Access().Scan {
		t.Fatal("DELETE without WHERE must scan")
	}
}

// TestConstantDataRefusedAtBind: `data = x` with a literal or a bound value that is no JSON object
// is refused by Bind, so the driver sends no request for it (DESIGN.md §4), for UPDATE and for
// ON DUPLICATE KEY UPDATE; data computed from the record is checked when it is computed.
func TestConstantDataRefusedAtBind(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE objects SET data = ? WHERE id = 'a'`, []any{`{bad`}},
		{`UPDATE objects SET data = ? WHERE id = 'a'`, []any{`[1]`}},
		{`UPDATE objects SET data = '"s"' WHERE score > 1`, nil},
		{`UPDATE objects SET data = NULL`, nil},
		{`INSERT INTO objects (id, n) VALUES ('a', 1) ON DUPLICATE KEY UPDATE data = ?`, []any{`7`}},
	} {
		st, err := Parse(tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if _, err := st.Bind(posArgs(tc.args...)); err == nil || !strings.Contains(err.Error(), "data must be a JSON object") {
			t.Errorf("%s %v: Bind = %v, want the data error", tc.sql, tc.args, err)
		}
	}
	st, err := Parse(`UPDATE objects SET data = JSON_EXTRACT(data, '$.inner') WHERE id = 'a'`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Bind(nil)
	if err != nil {
		t.Fatalf("data computed from the record is checked later, not at Bind: %v", err)
	}
	if _, err := p.Assign(&Record{ID: "a", Data: []byte(`{"inner": [1]}`)}); err == nil {
		t.Error("Assign accepted an array as data")
	}
}
