package query

import (
	"encoding/json"
	"strings"
	"testing"
)

var fuzzSeedSQL = []string{
	`SELECT id, data->>'$.user.name', score FROM objects WHERE score > ? ORDER BY score DESC LIMIT 2`,
	`SELECT * FROM objects WHERE id IN ('a', 'B', ?) AND name LIKE 'A%'`,
	`SELECT COUNT(*), SUM(score), AVG(score) FROM objects GROUP BY team HAVING COUNT(*) > 1`,
	`SELECT DISTINCT JSON_TYPE(data->'$.score') AS t FROM objects ORDER BY t`,
	`SELECT JSON_EXTRACT(data, '$[1].a[last]', '$."a b"') FROM objects`,
	`SELECT JSON_CONTAINS(data, :c, '$.tags'), JSON_LENGTH(data, '$.x') FROM objects WHERE id = :id`,
	`SELECT id FROM objects WHERE name = $1 OR LOWER(name) = $2`,
	`SELECT seq, kind FROM history WHERE id = 'a' AND NOT processed`,
	`UPDATE objects SET data = JSON_MERGE_PATCH(data, ?) WHERE id = ?`,
	"UPDATE objects SET score = score + 1, `user.name` = 'x' WHERE score BETWEEN 1 AND 5",
	`UPDATE objects SET data = JSON_SET(data, '$.a', 1), data = JSON_REMOVE(data, '$.b')`,
	`INSERT INTO objects (id, data) VALUES (?, ?), ('b', '{}')`,
	"INSERT INTO objects (id, name, `user.age`) VALUES ('a', 'x', 3) ON DUPLICATE KEY UPDATE hits = hits + 1, name = VALUES(name)",
	`DELETE FROM objects WHERE id = 'a' OR id = 'b'`,
	`EXPLAIN SELECT id FROM objects WHERE id IN (?, ?)`,
	`SELECT id FROM objects WHERE name LIKE '50\%' ESCAPE '|'`,
	`SELECT 1 / 0, 7 DIV 2, -score, NULL <=> NULL FROM objects`,
	`/*! DROP */ SELECT 1`,
	`/*!*/`,
	`SELECT id FROM objects WHERE ((((((a = 1))))))`,
	`SELECT id FROM objects JOIN history`,
	`SELECT id FROM objects WHERE x IN (SELECT 1)`,
}

var fuzzDocs = []string{
	`{"name":"Ann","score":5,"tags":["go","db"],"user":{"name":"ann","age":30},"active":true}`,
	`{"name":"bob","score":1.5,"n":null,"big":9007199254740993}`,
	`{}`,
	`[1, {"a": [5, 6]}, "x"]`,
}

// FuzzParse: whatever the statement, Parse, Bind and evaluation never panic, and every result
// a write produces is a JSON object.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeedSQL {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, sql, arg string) {
		st, err := Parse(sql)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		args := make([]Arg, st.NumInput())
		for i := range args {
			var v any = arg
			switch i % 3 {
			case 1:
				v = int64(len(arg))
			case 2:
				v = []byte(arg)
			}
			args[i] = Arg{Ordinal: i + 1, Value: v}
		}
		p, err := st.Bind(args)
		if err != nil {
			return
		}
		p.ExplainRows(100, 1)
		p.Access().Requests(100, 1)
		p.Columns()
		exercise(t, p)
	})
}

func exercise(t *testing.T, p *Plan) {
	switch p.Kind() {
	case Select:
		for range p.Select(records(fuzzDocs...)) {
		}
	case Update, Delete:
		for _, d := range fuzzDocs {
			rec := &Record{ID: "a", Data: []byte(d)}
			p.Match(rec)
			if p.Kind() == Update {
				out, err := p.Assign(rec)
				if err == nil && d[0] == '{' && !json.Valid(out) {
					t.Fatalf("Assign made invalid JSON %s from %s", out, d)
				}
			}
		}
	case Insert:
		rows, err := p.Rows()
		if err != nil {
			return
		}
		for _, r := range rows {
			if !json.Valid(r.Data) || !strings.HasPrefix(string(r.Data), "{") {
				t.Fatalf("row data %s", r.Data)
			}
			if p.Upsert() {
				out, err := p.AssignDuplicate(&Record{ID: r.ID, Data: []byte(fuzzDocs[0])}, r)
				if err == nil && !json.Valid(out) {
					t.Fatalf("AssignDuplicate made invalid JSON %s", out)
				}
			}
		}
	}
}

var fuzzEvalPlans = []string{
	`SELECT data->?, data->>?, JSON_TYPE(data), JSON_LENGTH(data), JSON_EXTRACT(data, ?) FROM objects ORDER BY data, data->?`,
	`SELECT JSON_CONTAINS(data, ?), JSON_CONTAINS(data, data), JSON_MERGE_PATCH(data, ?), JSON_MERGE_PATCH(?, data) FROM objects`,
	`SELECT COUNT(*), MIN(data), MAX(data->>?), SUM(data->>?), AVG(data->?) FROM objects GROUP BY data->?`,
	`SELECT id FROM objects WHERE data->? = ? OR data->>? LIKE ? OR data->? IN (?, ?) OR data->? BETWEEN ? AND ?`,
	`UPDATE objects SET data = JSON_SET(data, ?, ?)`,
	`UPDATE objects SET data = JSON_REMOVE(data, ?)`,
	`UPDATE objects SET data = JSON_MERGE_PATCH(data, ?)`,
	`UPDATE objects SET data = ?`,
}

// FuzzEval: any document and any argument (a path, a JSON patch, a value) evaluate without a
// panic, and writes keep a valid document valid.
func FuzzEval(f *testing.F) {
	for _, d := range fuzzDocs {
		f.Add(d, "$.user.name", `{"a":null,"b":{"c":1}}`)
		f.Add(d, `$[1].a[last-1]`, `[1,2]`)
		f.Add(d, `$."a.b"`, `"x"`)
	}
	f.Add(`{"a": {"b": [1, {"c": 2}]}}`, `$.a.b[1].c`, `{"a": {"b": null}}`)
	f.Add(`{"\u00e9": "\ud83d\ude00", "": 1}`, `$.""`, `{"": null}`)
	var plans []*Statement
	for _, s := range fuzzEvalPlans {
		st, err := Parse(s)
		if err != nil {
			f.Fatal(err)
		}
		plans = append(plans, st)
	}
	f.Fuzz(func(t *testing.T, doc, path, value string) {
		valid := json.Valid([]byte(doc))
		for n, st := range plans {
			args := make([]Arg, st.NumInput())
			for i := range args {
				v := path
				if i%2 == 1 {
					v = value
				}
				args[i] = Arg{Ordinal: i + 1, Value: v}
			}
			p, err := st.Bind(args)
			if err != nil {
				// The one Bind error these statements may give: a bound `data = ?` that is no
				// JSON object is refused before anything runs.
				if strings.Contains(err.Error(), "data must be a JSON object") {
					continue
				}
				t.Fatal(err)
			}
			if p.Kind() == Select {
				for range p.Select(records(doc, fuzzDocs[0])) {
				}
				continue
			}
			out, err := p.Assign(&Record{ID: "a", Data: []byte(doc)})
			if err == nil && valid && !json.Valid(out) {
				t.Fatalf("%s made invalid JSON %q from %q (args %q %q)", fuzzEvalPlans[n], out, doc, path, value)
			}
		}
	})
}
