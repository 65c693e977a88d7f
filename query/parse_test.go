package query

import (
	"errors"
	"fmt"
	"iter"
	"regexp"
	"strings"
	"testing"
)

var positionRE = regexp.MustCompile(`at position (\d+)`)

// TestUnsupported: every construct outside the dialect is an error naming it and its position.
func TestUnsupported(t *testing.T) {
	cases := []struct {
		sql       string
		construct string // in the message
		near      string // the text at the reported position ("" : don't check)
	}{
		{`SELECT * FROM objects JOIN history ON objects.id = history.id`, "JOIN", "JOIN"},
		{`SELECT * FROM objects o LEFT JOIN history h ON o.id = h.id`, "JOIN", "JOIN"},
		{`SELECT * FROM objects, history`, "more than one table", ","},
		{`SELECT id FROM objects WHERE id IN (SELECT id FROM history)`, "IN (subquery)", "SELECT id FROM history"},
		{`SELECT (SELECT 1 FROM objects) FROM objects`, "subquery", "SELECT 1"},
		{`SELECT id FROM objects WHERE EXISTS (SELECT 1 FROM history)`, "EXISTS", "EXISTS"},
		{`SELECT id FROM (SELECT id FROM objects) t`, "subquery in FROM", "SELECT id FROM objects"},
		{`SELECT id FROM objects UNION SELECT id FROM history`, "UNION", "UNION"},
		{`SELECT id FROM users`, "table users does not exist", "users"},
		{`SELECT id FROM db.objects`, "database-qualified", "db"},
		{`SELECT 1`, "needs a table", ""},
		{`CREATE TABLE x (a int)`, "CREATE", "CREATE"},
		{`DROP TABLE objects`, "DROP", "DROP"},
		{`ALTER TABLE objects ADD COLUMN x int`, "ALTER", "ALTER"},
		{`SET autocommit = 1`, "SET", "SET"},
		{`SHOW TABLES`, "SHOW", "SHOW"},
		{`USE db`, "USE", "USE"},
		{`BEGIN`, "BEGIN", "BEGIN"},
		{`LOCK TABLES objects READ`, "", ""},
		{`TRUNCATE TABLE objects`, "TRUNCATE", "TRUNCATE"},
		{`SELECT id FROM objects FOR UPDATE`, "FOR UPDATE", "for"},
		{`SELECT id FROM objects LOCK IN SHARE MODE`, "LOCK IN SHARE MODE", "LOCK"},
		{`SELECT SLEEP(10) FROM objects`, "function SLEEP", "SLEEP(10)"},
		{`SELECT CONCAT(name, 'x') FROM objects`, "function CONCAT", "CONCAT"},
		{`SELECT id FROM objects WHERE JSON_SEARCH(data, 'one', 'x') IS NOT NULL`, "function JSON_SEARCH", "JSON_SEARCH"},
		{`SELECT CASE WHEN score > 1 THEN 1 ELSE 0 END FROM objects`, "CASE", "CASE"},
		{`SELECT CAST(score AS CHAR) FROM objects`, "CONVERT/CAST", ""},
		{`SELECT id FROM objects WHERE name REGEXP 'a.*'`, "REGEXP", "REGEXP"},
		{`SELECT score & 1 FROM objects`, "operator &", "&"},
		{`SELECT id FROM objects WHERE name COLLATE utf8mb4_bin = 'a'`, "COLLATE", "COLLATE"},
		{`SELECT GROUP_CONCAT(name) FROM objects`, "GROUP_CONCAT", "GROUP_CONCAT"},
		{`SELECT id FROM objects WHERE created_at > NOW() - INTERVAL 1 DAY`, "", ""},
		{`SELECT STRAIGHT_JOIN id FROM objects`, "STRAIGHT_JOIN", "STRAIGHT_JOIN"},
		{`SELECT id FROM objects USE INDEX (x)`, "index hints", ""},
		{`SELECT id FROM objects WHERE (a, b) = (1, 2)`, "row constructor", ""},
		{`EXPLAIN EXPLAIN SELECT id FROM objects`, "EXPLAIN", ""},
		{`SELECT id FROM objects WHERE id IN ::ids`, "list placeholder", "::ids"},
		{`SELECT id FROM objects WHERE a = ? AND b = :x`, "mixes styles", ":x"},
		{`SELECT id FROM objects WHERE a = $1 AND b = ?`, "mixes styles", "?"},
		{`SELECT MATCH (name) AGAINST ('x') FROM objects`, "MATCH", "MATCH"},
	}
	for _, tc := range cases {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := Parse(tc.sql)
			if err == nil {
				t.Fatalf("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.construct) {
				t.Fatalf("error %q does not name %q", msg, tc.construct)
			}
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error %T is not *query.Error", err)
			}
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %q is neither ErrUnsupported nor ErrSyntax", msg)
			}
			if tc.near != "" {
				if qe.Pos < 1 || !positionRE.MatchString(msg) {
					t.Fatalf("error %q has no position", msg)
				}
				if at := tc.sql[qe.Pos-1:]; !strings.HasPrefix(strings.ToLower(at), strings.ToLower(tc.near)) {
					t.Fatalf("error %q points at %q, want %q", msg, at, tc.near)
				}
			}
		})
	}
}

// TestSyntaxErrors: malformed SQL gets sqlparser's position, never a panic.
func TestSyntaxErrors(t *testing.T) {
	for _, sql := range []string{
		`SELEC id FROM objects`,
		`SELECT id FROM objects WHERE`,
		`SELECT id FROM objects WHERE name = 'unterminated`,
		`SELECT id FROM objects WHERE $1abc = 1`,
		`SELECT id FROM objects WHERE x = $0`,
		`SELECT id FROM objects WHERE x = $1 AND y = $3`,
		`SELECT id FROM objects; SELECT id FROM objects`,
		`SELECT id, FROM objects`,
		`SELECT id FROM objects WHERE name = "x`,
		`SELECT id FROM objects WHERE name = 'a\%' AND x = = 1`,
		"",
		";",
		`/* just a comment */`,
	} {
		t.Run(sql, func(t *testing.T) {
			_, err := Parse(sql)
			if err == nil {
				t.Fatalf("no error")
			}
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("%v is not a syntax error", err)
			}
		})
	}
	// sqlparser's position is kept, mapped back to the statement as written.
	_, err := Parse(`SELECT id FROM objects WHERE name LIKE 'a\%' AND x = = 1`)
	if err == nil || !strings.Contains(err.Error(), "syntax error at position 55") {
		t.Fatalf("got %v, want sqlparser's position 55 (56 in the text it parsed, with \\%% doubled)", err)
	}
	_, err = Parse(`SELECT id FORM objects`)
	if err == nil || !strings.Contains(err.Error(), "at position") || !strings.Contains(err.Error(), "near") {
		t.Fatalf("got %v, want sqlparser's position", err)
	}
}

// TestHazards: inputs that make sqlparser panic, execute hidden SQL or recurse deeply are
// errors, never panics.
func TestHazards(t *testing.T) {
	deepAnd := "SELECT id FROM objects WHERE " + strings.Repeat("1 AND ", 10000) + "1"
	deepParens := "SELECT id FROM objects WHERE " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)
	deepNot := "SELECT id FROM objects WHERE " + strings.Repeat("NOT ", 5000) + "1"
	deepMinus := "SELECT " + strings.Repeat("- ", 5000) + "score FROM objects"
	huge := "SELECT id FROM objects WHERE name = '" + strings.Repeat("x", maxStatementLen) + "'"
	for name, tc := range map[string]struct {
		sql, want string
	}{
		"/*!*/ panics sqlparser":         {`/*!*/`, "executable comment"},
		"/*!*/ inside a statement":       {`SELECT id FROM objects WHERE /*!*/ 1`, "executable comment"},
		"/*! DROP */ hidden SQL":         {`SELECT id FROM objects /*! DROP TABLE objects */`, "executable comment"},
		"/*!50000 versioned */":          {`SELECT /*!50000 SLEEP(1), */ id FROM objects`, "executable comment"},
		"10,000-deep AND chain":          {deepAnd, "nested deeper than"},
		"5,000-deep parentheses":         {deepParens, "nested deeper than"},
		"5,000-deep NOT":                 {deepNot, "nested deeper than"},
		"5,000-deep unary minus":         {deepMinus, "nested deeper than"},
		"huge statement":                 {huge, "longer than"},
		"/*! inside a string is a value": {`SELECT id FROM objects WHERE name = '/*! DROP */'`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			st, err := Parse(tc.sql)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v", err)
				}
				p, err := st.Bind(nil)
				if err != nil {
					t.Fatal(err)
				}
				ok, err := p.Match(&Record{Data: []byte(`{"name": "/*! DROP */"}`)})
				if !ok || err != nil {
					t.Fatalf("literal not matched as a value: %v %v", ok, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestPlaceholders: three styles, bound by position or name; wrong counts are errors.
func TestPlaceholders(t *testing.T) {
	doc := &Record{ID: "a", Data: []byte(`{"name": "Ann", "score": 5}`)}
	cases := []struct {
		name   string
		sql    string
		inputs int
		args   []Arg
		match  bool
		err    string
	}{
		{"? by position", `SELECT id FROM objects WHERE name = ? AND score = ?`, 2, posArgs("Ann", 5), true, ""},
		{"? wrong value", `SELECT id FROM objects WHERE name = ? AND score = ?`, 2, posArgs("Ann", 6), false, ""},
		{"? too few", `SELECT id FROM objects WHERE name = ? AND score = ?`, 2, posArgs("Ann"), false, "has 2 placeholders, got 1 arguments"},
		{"? too many", `SELECT id FROM objects WHERE name = ?`, 1, posArgs("Ann", 5), false, "has 1 placeholders, got 2 arguments"},
		{"? with a named arg", `SELECT id FROM objects WHERE name = ?`, 1, []Arg{{Name: "n", Ordinal: 1, Value: "Ann"}}, false, "named \"n\""},
		{":name by name", `SELECT id FROM objects WHERE name = :n AND score = :s`, 2, []Arg{{Name: "s", Ordinal: 1, Value: 5}, {Name: "n", Ordinal: 2, Value: "Ann"}}, true, ""},
		{":name by position of first appearance", `SELECT id FROM objects WHERE name = :n AND score = :s`, 2, posArgs("Ann", 5), true, ""},
		{":name used twice counts once", `SELECT id FROM objects WHERE name = :n OR LOWER(name) = :n`, 1, []Arg{{Name: "n", Ordinal: 1, Value: "Ann"}}, true, ""},
		{":name unknown", `SELECT id FROM objects WHERE name = :n`, 1, []Arg{{Name: "m", Ordinal: 1, Value: "Ann"}}, false, "no placeholder named :m"},
		{":name unbound", `SELECT id FROM objects WHERE name = :n AND score = :s`, 2, []Arg{{Name: "n", Ordinal: 1, Value: "Ann"}, {Name: "n", Ordinal: 2, Value: "Ann"}}, false, "bound twice"},
		{":v1 is a name like any other", `SELECT id FROM objects WHERE name = :v1`, 1, []Arg{{Name: "v1", Ordinal: 1, Value: "Ann"}}, true, ""},
		{"$N by position", `SELECT id FROM objects WHERE score = $2 AND name = $1`, 2, posArgs("Ann", 5), true, ""},
		{"$N used twice counts once", `SELECT id FROM objects WHERE name = $1 OR name = LOWER($1)`, 1, posArgs("Ann"), true, ""},
		{"$N with ten or more", `SELECT id FROM objects WHERE score = $10 AND name IN ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, 10, posArgs("Ann", "b", "c", "d", "e", "f", "g", "h", "i", 5), true, ""},
		{"$N wrong count", `SELECT id FROM objects WHERE name = $1`, 1, nil, false, "has 1 placeholders, got 0"},
		{"$N inside a string is text", `SELECT id FROM objects WHERE name = '$1' OR name = $1`, 1, posArgs("Ann"), true, ""},
		{"? inside a string, a comment and a quoted identifier is text", "SELECT id FROM objects WHERE name = '?' /* ? */ OR `?` = 1 OR name = ? -- ?\n", 1, posArgs("Ann"), true, ""},
		{"bad argument type", `SELECT id FROM objects WHERE name = ?`, 1, posArgs(struct{}{}), false, "unsupported argument type"},
		{"ordinal out of range", `SELECT id FROM objects WHERE name = ?`, 1, []Arg{{Ordinal: 3, Value: "x"}}, false, "out of range"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Parse(tc.sql)
			if err != nil {
				t.Fatal(err)
			}
			if st.NumInput() != tc.inputs {
				t.Fatalf("NumInput %d, want %d", st.NumInput(), tc.inputs)
			}
			p, err := st.Bind(tc.args)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrBind) {
					t.Fatalf("got %v, want bind error %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ok, err := p.Match(doc)
			if err != nil || ok != tc.match {
				t.Fatalf("Match = %v, %v; want %v", ok, err, tc.match)
			}
		})
	}
}

// TestInjection: an argument is only ever a value, whatever it holds.
func TestInjection(t *testing.T) {
	payloads := []any{
		`' OR 1=1 --`, `1); DROP TABLE x; --`, `1 OR 1=1`, `x' UNION SELECT * FROM history --`,
		`/*! DROP TABLE objects */`, `$1`, `?`, `:name`, `\' OR \'1\'=\'1`, "a\x00b", `"); DELETE FROM objects; --`,
		[]byte(`' OR 1=1 --`), int64(1), `{"$gt": ""}`,
	}
	docs := []string{`{"name": "Ann"}`, `{"name": "bob"}`}
	for _, style := range []string{"?", ":p", "$1"} {
		for _, v := range payloads {
			t.Run(fmt.Sprintf("%s %v", style, v), func(t *testing.T) {
				sql := "SELECT id FROM objects WHERE name = " + style
				st, err := Parse(sql)
				if err != nil {
					t.Fatal(err)
				}
				p, err := st.Bind(posArgs(v))
				if err != nil {
					t.Fatal(err)
				}
				if a := p.Access(); !a.Scan {
					t.Fatalf("access %v", a)
				}
				n := 0
				for _, err := range p.Select(records(docs...)) {
					if err != nil {
						t.Fatal(err)
					}
					n++
				}
				if n != 0 {
					t.Fatalf("payload %q matched %d rows", v, n)
				}
				// As an id it is one id, looked up as given.
				st, _ = Parse("SELECT id FROM objects WHERE id = " + style)
				p, _ = st.Bind(posArgs(v))
				if a := p.Access(); a.Scan || len(a.IDs) != 1 {
					t.Fatalf("access %v", a)
				}
				// As data it is stored as written.
				st, _ = Parse("UPDATE objects SET name = " + style)
				p, _ = st.Bind(posArgs(v))
				out, err := p.Assign(&Record{ID: "a", Data: []byte(`{"name": "Ann"}`)})
				if err != nil {
					t.Fatal(err)
				}
				if s, ok := v.(string); ok && !strings.Contains(string(out), strings.ReplaceAll(s[:1], `"`, `\"`)) {
					t.Fatalf("stored %s", out)
				}
			})
		}
	}
}

// TestAccess: point lookups and scans.
func TestAccess(t *testing.T) {
	cases := []struct {
		sql  string
		args []any
		want string // IDs joined, or "scan"
	}{
		{`SELECT * FROM objects WHERE id = 'a'`, nil, "a"},
		{`SELECT * FROM objects WHERE 'a' = id`, nil, "a"},
		{`SELECT * FROM objects WHERE id = ?`, []any{"x"}, "x"},
		{`SELECT * FROM objects WHERE id IN ('a', 'b', 'A', ?)`, []any{"c"}, "a,b,c"},
		{`SELECT * FROM objects WHERE id = 'a' OR id = 'b' OR id IN ('c')`, nil, "a,b,c"},
		{`SELECT * FROM objects WHERE id = 'a' AND score > 1`, nil, "a"},
		{`SELECT * FROM objects WHERE score > 1 AND (id = 'a' OR id = 'b')`, nil, "a,b"},
		{`SELECT * FROM objects WHERE id IN ('a', 'b') AND id = 'B'`, nil, "b"},
		{`SELECT * FROM objects WHERE id = 'a' AND id = 'b'`, nil, ""},
		{`SELECT * FROM objects WHERE id = NULL`, nil, ""},
		{`SELECT * FROM objects WHERE id = 42`, nil, "42"},
		{`SELECT * FROM objects WHERE objects.id = 'a'`, nil, "a"},
		{`SELECT * FROM objects o WHERE o.id = 'a'`, nil, "a"},
		{`SELECT * FROM objects WHERE id = 'a' OR score > 1`, nil, "scan"},
		{`SELECT * FROM objects WHERE id != 'a'`, nil, "scan"},
		{`SELECT * FROM objects WHERE id LIKE 'a%'`, nil, "scan"},
		{`SELECT * FROM objects WHERE NOT id = 'a'`, nil, "scan"},
		{`SELECT * FROM objects WHERE id = name`, nil, "scan"},
		{`SELECT * FROM objects`, nil, "scan"},
		{`SELECT * FROM objects WHERE id = ?`, []any{1.5}, "scan"},
		{`SELECT * FROM history WHERE id = 'a'`, nil, "a"},
		{`UPDATE objects SET x = 1 WHERE id IN ('a', 'b')`, nil, "a,b"},
		{`DELETE FROM objects WHERE id = $1`, []any{"z"}, "z"},
	}
	for _, tc := range cases {
		t.Run(tc.sql, func(t *testing.T) {
			st, err := Parse(tc.sql)
			if err != nil {
				t.Fatal(err)
			}
			p, err := st.Bind(posArgs(tc.args...))
			if err != nil {
				t.Fatal(err)
			}
			a := p.Access()
			got := strings.Join(a.IDs, ",")
			if a.Scan {
				got = "scan"
				if a.IDs != nil {
					t.Fatal("scan with ids")
				}
			}
			if got != tc.want {
				t.Fatalf("access %q, want %q", got, tc.want)
			}
		})
	}
	// A point lookup fetches what it names; the rest of the WHERE still filters locally, and
	// ids match case-insensitively.
	rows, err := run(t, `SELECT id FROM objects WHERE id = 'A' AND name = 'Ann'`, []string{`{"name":"Ann"}`})
	if err != nil || show(rows) != `[["a"]]` {
		t.Fatalf("got %s, %v", show(rows), err)
	}
}

func TestAccessRequests(t *testing.T) {
	scan := Access{Scan: true}
	point := func(n int) Access {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprint(i)
		}
		return Access{IDs: ids}
	}
	for _, tc := range []struct {
		a       Access
		m, open int
		want    int
		str     string
	}{
		{scan, 0, 0, 1, "scan"},
		{scan, 100, 0, 1, "scan"},
		{scan, 101, 0, 2, "scan"},
		{scan, 250, 3, 6, "scan"},
		{point(1), 1000, 0, 1, "point lookup of 1 id"},
		{point(2), 1000, 0, 2, "point lookup of 2 ids"},
		{point(0), 1000, 0, 0, "point lookup of 0 ids"},
		{point(50), 150, 1, 3, "point lookup of 50 ids"}, // scanning 150 objects costs 2 + 1
		{point(3), 150, 1, 3, "point lookup of 3 ids"},
	} {
		if got := tc.a.Requests(tc.m, tc.open); got != tc.want {
			t.Errorf("%v.Requests(%d, %d) = %d, want %d", tc.a, tc.m, tc.open, got, tc.want)
		}
		if got := tc.a.String(); got != tc.str {
			t.Errorf("String = %q, want %q", got, tc.str)
		}
	}
	if !point(50).ScanCheaper(150, 1) || point(3).ScanCheaper(150, 1) {
		t.Error("ScanCheaper")
	}
}

// TestColumns: names as written, types as the dialect gives them.
func TestColumns(t *testing.T) {
	cases := []struct {
		sql  string
		want string
	}{
		{`SELECT * FROM objects`, "id TEXT, data JSON, issue INTEGER, version INTEGER, pending INTEGER, created_at TIMESTAMP, updated_at TIMESTAMP"},
		{`SELECT * FROM history`, "id TEXT, seq INTEGER, kind TEXT, data JSON, author TEXT, trusted BOOLEAN, applied BOOLEAN, processed BOOLEAN, created_at TIMESTAMP, comment_id INTEGER"},
		{`SELECT id, data->>'$.user.name', data -> '$.a', COUNT(*) FROM objects`, "id TEXT, data->>'$.user.name' , data -> '$.a' JSON, COUNT(*) INTEGER"},
		{`select Score AS s, score+1, (1 + 2) / 3, UPPER(name) FROM objects`, "s , score+1 , (1 + 2) / 3 REAL, UPPER(name) TEXT"},
		{`SELECT DISTINCT name, JSON_TYPE(data), JSON_LENGTH(data), JSON_CONTAINS(data, '1') FROM objects`, "name , JSON_TYPE(data) TEXT, JSON_LENGTH(data) INTEGER, JSON_CONTAINS(data, '1') BOOLEAN"},
		{`SELECT 1, 1.5, 'x', true, NULL, score > 1, id = $1 FROM objects`, "1 INTEGER, 1.5 REAL, 'x' TEXT, true BOOLEAN, NULL , score > 1 BOOLEAN, id = $1 BOOLEAN"},
		{`SELECT AVG(score), SUM(score), MIN(issue), MAX(data->'$.a') FROM objects`, "AVG(score) REAL, SUM(score) , MIN(issue) INTEGER, MAX(data->'$.a') JSON"},
		{`SELECT JSON_EXTRACT(data, '$."a, b"'), JSON_SET(data, '$.a', 1) FROM objects`, `JSON_EXTRACT(data, '$."a, b"') JSON, JSON_SET(data, '$.a', 1) JSON`},
		{`SELECT seq, kind, author, trusted, processed, comment_id FROM history`, "seq INTEGER, kind TEXT, author TEXT, trusted BOOLEAN, processed BOOLEAN, comment_id INTEGER"},
	}
	for _, tc := range cases {
		t.Run(tc.sql, func(t *testing.T) {
			st, err := Parse(tc.sql)
			if err != nil {
				t.Fatal(err)
			}
			p, err := st.Bind(posArgs(make([]any, st.NumInput())...))
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, c := range p.Columns() {
				parts = append(parts, c.Name+" "+c.Type)
			}
			if got := strings.Join(parts, ", "); got != tc.want {
				t.Fatalf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestStreaming: without ORDER BY or aggregates a record is pulled only when the next row is
// wanted, and pulling stops once LIMIT is met.
func TestStreaming(t *testing.T) {
	pulled := 0
	src := func(yield func(*Record, error) bool) {
		for i := 0; i < 1000; i++ {
			pulled++
			if !yield(&Record{ID: fmt.Sprint(i), Data: []byte(fmt.Sprintf(`{"n": %d}`, i))}, nil) {
				return
			}
		}
	}
	var records iter.Seq2[*Record, error] = src
	for _, tc := range []struct {
		sql        string
		wantRows   int
		wantPulled int
	}{
		{`SELECT id FROM objects LIMIT 3`, 3, 3},
		{`SELECT id FROM objects WHERE n % 2 = 1 LIMIT 2 OFFSET 1`, 2, 6},
		{`SELECT id FROM objects LIMIT 0`, 0, 0},
		{`SELECT id FROM objects ORDER BY n LIMIT 1`, 1, 1000},
	} {
		pulled = 0
		st, err := Parse(tc.sql)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := st.Bind(nil)
		n := 0
		for _, err := range p.Select(records) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != tc.wantRows || pulled != tc.wantPulled {
			t.Errorf("%s: %d rows, %d pulled; want %d, %d", tc.sql, n, pulled, tc.wantRows, tc.wantPulled)
		}
	}
	// The consumer stopping early stops pulling too.
	pulled = 0
	st, _ := Parse(`SELECT id FROM objects`)
	p, _ := st.Bind(nil)
	for range p.Select(records) {
		break
	}
	if pulled != 1 {
		t.Errorf("pulled %d after the consumer stopped at the first row", pulled)
	}
	// A record error ends the rows with that error.
	failing := func(yield func(*Record, error) bool) {
		if yield(&Record{ID: "a", Data: []byte(`{}`)}, nil) {
			yield(nil, errors.New("boom"))
		}
	}
	var got error
	for _, err := range p.Select(failing) {
		if err != nil {
			got = err
		}
	}
	if got == nil || got.Error() != "boom" {
		t.Fatalf("got %v", got)
	}
}

func TestHistory(t *testing.T) {
	recs := func(yield func(*Record, error) bool) {
		for i, k := range []string{"initial_state", "update", "update"} {
			r := &Record{ID: "a", Seq: int64(i + 1), Kind: k, Data: []byte(fmt.Sprintf(`{"n": %d}`, i)), Author: "me", Trusted: i != 2, Processed: i == 0, CommentID: int64(100 + i)}
			if !yield(r, nil) {
				return
			}
		}
	}
	st, err := Parse(`SELECT seq, kind, n, trusted, processed, comment_id FROM history WHERE id = 'a' AND NOT processed ORDER BY seq DESC`)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.Bind(nil)
	var rows [][]any
	for r, err := range p.Select(recs) {
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if got := show(rows); got != `[[3,"update",2,false,false,102],[2,"update",1,true,false,101]]` {
		t.Fatalf("got %s", got)
	}
}

func TestConcurrentBind(t *testing.T) {
	st, err := Parse(`SELECT id, score * 2 FROM objects WHERE score > ? ORDER BY score`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func(g int) {
			p, err := st.Bind(posArgs(int64(g)))
			if err == nil {
				for _, e := range p.Select(records(docsABCD...)) {
					if e != nil {
						err = e
					}
				}
			}
			done <- err
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
