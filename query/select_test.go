package query

import (
	"strings"
	"testing"
)

// docsABCD are the documents most cases run over: objects a, b, c, d.
var docsABCD = []string{
	`{"name":"Ann","score":5,"tags":["go","db"],"user":{"name":"ann","age":30},"active":true}`,
	`{"name":"bob","score":1.5,"tags":["py"],"user":{"name":"Bob"},"active":false,"n":null}`,
	`{"name":"Cid","score":"10","big":9007199254740993}`,
	`{}`,
}

type selectCase struct {
	name string
	sql  string
	docs []string // nil: docsABCD
	args []any
	want string // show() of the rows
	err  string // substring of the error, instead of want
}

func runSelectCases(t *testing.T, cases []selectCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			docs := tc.docs
			if docs == nil {
				docs = docsABCD
			}
			rows, err := run(t, tc.sql, docs, tc.args...)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%s\n got rows %s, err %v\nwant error containing %q", tc.sql, show(rows), err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.sql, err)
			}
			if got := show(rows); got != tc.want {
				t.Fatalf("%s\n got %s\nwant %s", tc.sql, got, tc.want)
			}
		})
	}
}

func TestSelectPaths(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "-> gives JSON text, strings quoted", sql: `SELECT data->'$.name' FROM objects`, want: `[["Ann"],["bob"],["Cid"],[null]]`},
		{name: "->> gives the unquoted scalar", sql: `SELECT data->>'$.name' FROM objects WHERE id = 'a'`, want: `[["Ann"]]`},
		{name: "->> number is int64 or float64", sql: `SELECT data->>'$.score' FROM objects WHERE id IN ('a','b')`, want: `[[5],[1.5]]`},
		{name: "->> boolean is bool", sql: `SELECT data->>'$.active' FROM objects WHERE id IN ('a','b')`, want: `[[true],[false]]`},
		{name: "->> JSON null is NULL", sql: `SELECT data->>'$.n' FROM objects WHERE id = 'b'`, want: `[[null]]`},
		{name: "-> JSON null is the JSON null", sql: `SELECT data->'$.n' FROM objects WHERE id = 'b'`, want: `[[null]]`},
		{name: "-> JSON null IS NULL is false, missing IS NULL is true", sql: `SELECT id, data->'$.n' IS NULL FROM objects WHERE id IN ('a','b')`, want: `[["a",true],["b",false]]`},
		{name: "->> object gives JSON text", sql: `SELECT data->>'$.user' FROM objects WHERE id = 'a'`, want: `[[{"name":"ann","age":30}]]`},
		{name: "nested key", sql: `SELECT data->>'$.user.name' FROM objects`, want: `[["ann"],["Bob"],[null],[null]]`},
		{name: "array index", sql: `SELECT data->>'$.tags[1]', data->'$.tags[0]' FROM objects WHERE id = 'a'`, want: `[["db","go"]]`},
		{name: "bare name is a path into data", sql: `SELECT score FROM objects WHERE id = 'a'`, want: `[[5]]`},
		{name: "quoted dotted name nests", sql: "SELECT `user.name` FROM objects WHERE id = 'a'", want: `[["ann"]]`},
		{name: "quoted name with index", sql: "SELECT `tags[1]` FROM objects WHERE id = 'a'", want: `[["db"]]`},
		{name: "big integer stays exact", sql: `SELECT big, data->'$.big' FROM objects WHERE id = 'c'`, want: `[[9007199254740993,9007199254740993]]`},
		{name: "big integer compares exactly", sql: `SELECT id FROM objects WHERE big = 9007199254740993`, want: `[["c"]]`},
		{name: "big integer differs from neighbour", sql: `SELECT id FROM objects WHERE big = 9007199254740992`, want: `[]`},
		{name: "missing path is NULL", sql: `SELECT data->'$.nope', nope FROM objects WHERE id = 'd'`, want: `[[null,null]]`},
		{name: "data column is the JSON document", sql: `SELECT data FROM objects WHERE id = 'd'`, want: `[[{}]]`},
		{name: "MySQL 8.0 §13.5 key with a space", sql: `SELECT data->'$."a fish"' FROM objects`, docs: []string{`{"a fish": "shark", "a bird": "sparrow"}`}, want: `[["shark"]]`},
		{name: "key with a dot", sql: `SELECT data->>'$."a.b"', data->>'$.a.b' FROM objects`, docs: []string{`{"a.b": 1, "a": {"b": 2}}`}, want: `[[1,2]]`},
		{name: "key with gjson syntax characters", sql: `SELECT data->>'$."x|y"', data->>'$."#"', data->>'$."@this"', data->>'$."a*"' FROM objects`, docs: []string{`{"x|y": 1, "#": 2, "@this": 3, "a*": 4, "ab": 5}`}, want: `[[1,2,3,4]]`},
		{name: "key with a quote", sql: `SELECT data->>'$."say \\"hi\\""' FROM objects`, docs: []string{`{"say \"hi\"": "ok"}`}, want: `[["ok"]]`},
		{name: "numeric key is a key, not an index", sql: `SELECT data->>'$."0"', data->>'$.a."1"' FROM objects`, docs: []string{`{"0": "zero", "a": ["x", "y"]}`}, want: `[["zero",null]]`},
		{name: "empty key", sql: `SELECT data->>'$.""' FROM objects`, docs: []string{`{"": "empty"}`}, want: `[["empty"]]`},
		{name: "MySQL 8.0 §13.5 $[1] of an array document", sql: `SELECT data->'$[1]' FROM objects`, docs: []string{`[3, {"a": [5, 6], "b": 10}, [99, 100]]`}, want: `[[{"a":[5,6],"b":10}]]`},
		{name: "MySQL 8.0 §13.5 $[1].a[1]", sql: `SELECT data->'$[1].a', data->'$[1].a[1]', data->'$[1].b', data->'$[2][0]', data->'$[3]' FROM objects`, docs: []string{`[3, {"a": [5, 6], "b": 10}, [99, 100]]`}, want: `[[[5,6],6,10,99,null]]`},
		{name: "MySQL 8.0 §13.5 [last] and [last-1]", sql: `SELECT data->'$[last]', data->'$[last-1]' FROM objects`, docs: []string{`[3, {"a": [5, 6], "b": 10}, [99, 100]]`}, want: `[[[99,100],{"a":[5,6],"b":10}]]`},
		{name: "MySQL 8.0 §13.5 [0] of a non-array is the value", sql: `SELECT data->'$.s[0]', data->'$.s[1]' FROM objects`, docs: []string{`{"s": "Sakila"}`}, want: `[["Sakila",null]]`},
		{name: "unicode key", sql: `SELECT data->>'$.größe' FROM objects`, docs: []string{`{"größe": 3}`}, want: `[[3]]`},
		{name: "path wildcard .* is refused", sql: `SELECT data->'$.*' FROM objects`, err: "wildcard"},
		{name: "path wildcard [*] is refused", sql: `SELECT data->'$.tags[*]' FROM objects`, err: "wildcard [*]"},
		{name: "path wildcard ** is refused", sql: `SELECT data->'$**.a' FROM objects`, err: "wildcard **"},
		{name: "path range is refused", sql: `SELECT data->'$[0 to 1]' FROM objects`, err: "range"},
		{name: "path without $ is refused", sql: `SELECT data->'a.b' FROM objects`, err: "must start with $"},
		{name: "path placeholder", sql: `SELECT data->>? FROM objects WHERE id = 'a'`, args: []any{"$.user.age"}, want: `[[30]]`},
		{name: "path placeholder is a path, never SQL", sql: `SELECT data->>? FROM objects WHERE id = 'a'`, args: []any{"$.x' OR 1=1 --"}, err: "invalid JSON path"},
		{name: "-> on a non-data column is refused", sql: `SELECT issue->'$.a' FROM objects`, err: "applies to the data column"},
		{name: "qualified columns", sql: `SELECT o.id, objects.issue FROM objects o WHERE o.id = 'b'`, want: `[["b",2]]`},
		{name: "unknown qualifier suggests quoting", sql: `SELECT user.name FROM objects`, err: "quote it: `user.name`"},
	})
}

func TestSelectComparison(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "MySQL 8.0 §13.5 JSON string = SQL string", sql: `SELECT id FROM objects WHERE data->'$.name' = 'Ann'`, want: `[["a"]]`},
		{name: "MySQL 8.0 §13.5 JSON string \"10\" <> SQL number 10", sql: `SELECT id FROM objects WHERE data->'$.score' = 10`, want: `[]`},
		{name: "->> string \"10\" = 10 compares as numbers", sql: `SELECT id FROM objects WHERE data->>'$.score' = 10`, want: `[["c"]]`},
		{name: "bare name \"10\" = '10'", sql: `SELECT id FROM objects WHERE score = '10'`, want: `[["c"]]`},
		{name: "number vs non-numeric string compares as strings", sql: `SELECT id FROM objects WHERE score = 'abc'`, want: `[]`},
		{name: "JSON number = SQL number", sql: `SELECT id FROM objects WHERE data->'$.score' = 5`, want: `[["a"]]`},
		{name: "JSON int = SQL float", sql: `SELECT id FROM objects WHERE data->'$.score' = 5.0`, want: `[["a"]]`},
		{name: "JSON double vs int", sql: `SELECT id FROM objects WHERE data->'$.score' < 2`, want: `[["b"]]`},
		{name: "MySQL 8.0 §13.5 JSON boolean = TRUE", sql: `SELECT id FROM objects WHERE data->'$.active' = TRUE`, want: `[["a"]]`},
		{name: "->> boolean = false", sql: `SELECT id FROM objects WHERE active = false`, want: `[["b"]]`},
		{name: "MySQL 8.0 §13.5 precedence: STRING > INTEGER", sql: `SELECT id FROM objects WHERE data->'$.score' > 100`, want: `[["c"]]`},
		{name: "MySQL 8.0 §13.5 precedence: BOOLEAN > ARRAY > OBJECT > STRING", sql: `SELECT data->'$.b' > data->'$.a', data->'$.a' > data->'$.o', data->'$.o' > data->'$.s' FROM objects`, docs: []string{`{"b": false, "a": [1], "o": {"x": 1}, "s": "zzz"}`}, want: `[[true,true,true]]`},
		{name: "MySQL 8.0 §13.5 arrays compare element by element", sql: `SELECT data->'$.a' < data->'$.b', data->'$.a' < data->'$.c', data->'$.a' = data->'$.d' FROM objects`, docs: []string{`{"a": [1, 2], "b": [1, 3], "c": [1, 2, 0], "d": [1, 2]}`}, want: `[[true,true,true]]`},
		{name: "MySQL 8.0 §13.5 objects equal with same keys and values", sql: `SELECT data->'$.a' = data->'$.b', data->'$.a' = data->'$.c' FROM objects`, docs: []string{`{"a": {"x": 1, "y": [2]}, "b": {"y": [2], "x": 1}, "c": {"x": 1}}`}, want: `[[true,false]]`},
		{name: "MySQL 8.0 §13.5 strings compare by bytes", sql: `SELECT data->'$.a' < data->'$.b', data->'$.a' = data->'$.c' FROM objects`, docs: []string{`{"a": "B", "b": "a", "c": "b"}`}, want: `[[true,false]]`},
		{name: "MySQL 8.0 §13.5 JSON null = JSON null", sql: `SELECT data->'$.a' = data->'$.b' FROM objects`, docs: []string{`{"a": null, "b": null}`}, want: `[[true]]`},
		{name: "MySQL 8.0 §13.5 false < true", sql: `SELECT data->'$.f' < data->'$.t' FROM objects`, docs: []string{`{"f": false, "t": true}`}, want: `[[true]]`},
		{name: "strings compare case-sensitively", sql: `SELECT id FROM objects WHERE name = 'ann'`, want: `[]`},
		{name: "ids compare case-insensitively", sql: `SELECT id FROM objects WHERE id = 'A'`, want: `[["a"]]`},
		{name: "MySQL 8.0 §14.4.2 = with NULL is NULL", sql: `SELECT NULL = NULL, 1 = NULL, NULL <> 1 FROM objects WHERE id = 'a'`, want: `[[null,null,null]]`},
		{name: "MySQL 8.0 §14.4.2 <=> is NULL-safe", sql: `SELECT NULL <=> NULL, 1 <=> NULL, 1 <=> 1 FROM objects WHERE id = 'a'`, want: `[[true,false,true]]`},
		{name: "!= and <>", sql: `SELECT id FROM objects WHERE name != 'Ann' AND name <> 'bob'`, want: `[["c"]]`},
		{name: "<= >=", sql: `SELECT id FROM objects WHERE score >= 1.5 AND score <= 5`, want: `[["a"],["b"]]`},
		{name: "MySQL 8.0 §14.4.2 IN", sql: `SELECT id FROM objects WHERE name IN ('Ann', 'Cid')`, want: `[["a"],["c"]]`},
		{name: "MySQL 8.0 §14.4.2 NOT IN", sql: `SELECT id FROM objects WHERE name NOT IN ('Ann', 'Cid')`, want: `[["b"]]`},
		{name: "MySQL 8.0 §14.4.2 NOT IN with NULL in the list is never true", sql: `SELECT id FROM objects WHERE name NOT IN ('Ann', NULL)`, want: `[]`},
		{name: "MySQL 8.0 §14.4.2 IN with NULL in the list is true on a match", sql: `SELECT id FROM objects WHERE name IN ('Ann', NULL)`, want: `[["a"]]`},
		{name: "MySQL 8.0 §14.4.2 BETWEEN", sql: `SELECT id FROM objects WHERE score BETWEEN 1 AND 5`, want: `[["a"],["b"]]`},
		{name: "MySQL 8.0 §14.4.2 NOT BETWEEN", sql: `SELECT id FROM objects WHERE score NOT BETWEEN 1 AND 5`, want: `[["c"]]`},
		{name: "MySQL 8.0 §14.4.2 BETWEEN with NULL bound", sql: `SELECT 2 BETWEEN 1 AND NULL, 0 BETWEEN 1 AND NULL FROM objects WHERE id = 'a'`, want: `[[null,false]]`},
		{name: "MySQL 8.0 §14.4.2 IS NULL / IS NOT NULL", sql: `SELECT id FROM objects WHERE name IS NULL`, want: `[["d"]]`},
		{name: "IS NOT NULL", sql: `SELECT id FROM objects WHERE user IS NOT NULL`, want: `[["a"],["b"]]`},
		{name: "MySQL 8.0 §14.4.2 IS TRUE / IS FALSE", sql: `SELECT id FROM objects WHERE active IS TRUE OR active IS FALSE`, want: `[["a"],["b"]]`},
		{name: "IS NOT TRUE includes NULL", sql: `SELECT id FROM objects WHERE active IS NOT TRUE`, want: `[["b"],["c"],["d"]]`},
		{name: "timestamp vs string", sql: `SELECT id FROM objects WHERE created_at >= '2024-01-03'`, want: `[["c"],["d"]]`},
		{name: "timestamp vs RFC 3339 placeholder", sql: `SELECT id FROM objects WHERE updated_at < ?`, args: []any{"2024-02-02T00:00:00Z"}, want: `[["a"]]`},
	})
}

func TestSelectLogicAndLike(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "MySQL 8.0 §14.4.3 AND with NULL", sql: `SELECT 1 AND NULL, 0 AND NULL, NULL AND NULL FROM objects WHERE id = 'a'`, want: `[[null,false,null]]`},
		{name: "MySQL 8.0 §14.4.3 OR with NULL", sql: `SELECT 1 OR NULL, 0 OR NULL, NULL OR NULL FROM objects WHERE id = 'a'`, want: `[[true,null,null]]`},
		{name: "MySQL 8.0 §14.4.3 NOT", sql: `SELECT NOT 10, NOT 0, NOT NULL FROM objects WHERE id = 'a'`, want: `[[false,true,null]]`},
		{name: "NOT of a comparison with a missing path is NULL, so no row", sql: `SELECT id FROM objects WHERE NOT (score > 2)`, want: `[["b"]]`},
		{name: "OR across paths", sql: `SELECT id FROM objects WHERE name = 'Ann' OR score = 1.5`, want: `[["a"],["b"]]`},
		{name: "parentheses", sql: `SELECT id FROM objects WHERE (name = 'Ann' OR name = 'bob') AND NOT active`, want: `[["b"]]`},
		{name: "MySQL 8.0 §14.8.1 LIKE %", sql: `SELECT id FROM objects WHERE name LIKE '%n%'`, want: `[["a"]]`},
		{name: "MySQL 8.0 §14.8.1 LIKE _", sql: `SELECT id FROM objects WHERE name LIKE '_ob'`, want: `[["b"]]`},
		{name: "LIKE is case-sensitive", sql: `SELECT id FROM objects WHERE name LIKE 'a%'`, want: `[]`},
		{name: "MySQL 8.0 §14.8.1 NOT LIKE", sql: `SELECT id FROM objects WHERE name NOT LIKE 'A%'`, want: `[["b"],["c"]]`},
		{name: "MySQL 8.0 §14.8.1 LIKE escape \\%", sql: `SELECT data->>'$.s' LIKE '50\%', data->>'$.t' LIKE '50\%' FROM objects`, docs: []string{`{"s": "50%", "t": "500"}`}, want: `[[true,false]]`},
		{name: "MySQL 8.0 §14.8.1 LIKE ESCAPE '|'", sql: `SELECT data->>'$.s' LIKE '%|_x' ESCAPE '|', data->>'$.t' LIKE '%|_x' ESCAPE '|' FROM objects`, docs: []string{`{"s": "a_x", "t": "abx"}`}, want: `[[true,false]]`},
		{name: "LIKE _ matches one character, not one byte", sql: `SELECT data->>'$.s' LIKE 'gr_ße' FROM objects`, docs: []string{`{"s": "größe"}`}, want: `[[true]]`},
		{name: "LIKE on id is case-insensitive", sql: `SELECT id FROM objects WHERE id LIKE 'A'`, want: `[["a"]]`},
		{name: "LIKE with NULL", sql: `SELECT NULL LIKE 'a', 'a' LIKE NULL FROM objects WHERE id = 'a'`, want: `[[null,null]]`},
		{name: "LIKE with backtracking", sql: `SELECT 'aaaaaaaaab' LIKE '%a%a%a%b', 'abcabd' LIKE '%abd' FROM objects WHERE id = 'a'`, want: `[[true,true]]`},
	})
}

func TestSelectArithmetic(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "MySQL 8.0 §14.6.1 + - * on integers", sql: `SELECT score + 1, score - 10, score * 3 FROM objects WHERE id = 'a'`, want: `[[6,-5,15]]`},
		{name: "MySQL 8.0 §14.6.1 / gives a fraction", sql: `SELECT score / 2 FROM objects WHERE id = 'a'`, want: `[[2.5]]`},
		{name: "MySQL 8.0 §14.6.1 division by zero is NULL", sql: `SELECT score / 0 FROM objects WHERE id = 'a'`, want: `[[null]]`},
		{name: "MySQL 8.0 §14.6.1 DIV and %", sql: `SELECT 7 DIV 2, 7 % 3, 7 % 0 FROM objects WHERE id = 'a'`, want: `[[3,1,null]]`},
		{name: "float arithmetic", sql: `SELECT score * 2 FROM objects WHERE id = 'b'`, want: `[[3]]`},
		{name: "numeric string in arithmetic", sql: `SELECT score + 1 FROM objects WHERE id = 'c'`, want: `[[11]]`},
		{name: "NULL in arithmetic", sql: `SELECT score + 1 FROM objects WHERE id = 'd'`, want: `[[null]]`},
		{name: "unary minus", sql: `SELECT -score, - -3 FROM objects WHERE id = 'a'`, want: `[[-5,3]]`},
		{name: "integer overflow is an error", sql: `SELECT 9223372036854775807 + 1 FROM objects WHERE id = 'a'`, err: "overflow"},
		{name: "JSON number in arithmetic", sql: `SELECT data->'$.user.age' * 2 FROM objects WHERE id = 'a'`, want: `[[60]]`},
		{name: "arithmetic in WHERE", sql: `SELECT id FROM objects WHERE score * 2 > 5`, want: `[["a"],["c"]]`},
		{name: "operator precedence", sql: `SELECT 1 + 2 * 3, (1 + 2) * 3 FROM objects WHERE id = 'a'`, want: `[[7,9]]`},
	})
}

func TestSelectFunctions(t *testing.T) {
	j := []string{`{"a": 1, "b": 2, "c": {"d": 4}}`}
	runSelectCases(t, []selectCase{
		{name: "MySQL 8.0 §14.17.3 JSON_CONTAINS scalar at path $.a", sql: `SELECT JSON_CONTAINS(data, '1', '$.a'), JSON_CONTAINS(data, '1', '$.b') FROM objects`, docs: j, want: `[[true,false]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_CONTAINS object at path", sql: `SELECT JSON_CONTAINS(data, '{"d": 4}', '$.a'), JSON_CONTAINS(data, '{"d": 4}', '$.c') FROM objects`, docs: j, want: `[[false,true]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_CONTAINS missing path is NULL", sql: `SELECT JSON_CONTAINS(data, '1', '$.z') FROM objects`, docs: j, want: `[[null]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_CONTAINS array contains element", sql: `SELECT id FROM objects WHERE JSON_CONTAINS(data->'$.tags', '"go"')`, want: `[["a"]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_CONTAINS array contains sub-array", sql: `SELECT JSON_CONTAINS('[1, 2, [3, 4]]', '[1, 3]'), JSON_CONTAINS('[1, 2, [3, 4]]', '[1, 5]') FROM objects WHERE id = 'a'`, want: `[[true,false]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_CONTAINS integer and double are comparable", sql: `SELECT JSON_CONTAINS('[1.0, 2]', '1'), JSON_CONTAINS('"1"', '1') FROM objects WHERE id = 'a'`, want: `[[true,false]]`},
		{name: "JSON_CONTAINS with a placeholder candidate", sql: `SELECT id FROM objects WHERE JSON_CONTAINS(data, ?)`, args: []any{`{"user": {"name": "Bob"}}`}, want: `[["b"]]`},
		{name: "JSON_CONTAINS rejects candidate that is not JSON", sql: `SELECT JSON_CONTAINS(data, 'go') FROM objects`, err: "invalid JSON text in argument 2 to function JSON_CONTAINS"},
		{name: "MySQL 8.0 §14.17.3 JSON_EXTRACT one path", sql: `SELECT JSON_EXTRACT('[10, 20, [30, 40]]', '$[1]') FROM objects WHERE id = 'a'`, want: `[[20]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_EXTRACT two paths wraps in an array", sql: `SELECT JSON_EXTRACT('[10, 20, [30, 40]]', '$[1]', '$[0]') FROM objects WHERE id = 'a'`, want: `[[[20,10]]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_EXTRACT $[2][1]", sql: `SELECT JSON_EXTRACT('[10, 20, [30, 40]]', '$[2][1]') FROM objects WHERE id = 'a'`, want: `[[40]]`},
		{name: "JSON_EXTRACT of data", sql: `SELECT JSON_EXTRACT(data, '$.user.name') FROM objects WHERE id = 'b'`, want: `[["Bob"]]`},
		{name: "MySQL 8.0 §14.17.3 JSON_EXTRACT wildcard refused", sql: `SELECT JSON_EXTRACT('[10, 20, [30, 40]]', '$[2][*]') FROM objects`, err: "wildcard"},
		{name: "MySQL 8.0 §14.17.4 JSON_UNQUOTE of a JSON string literal", sql: `SELECT JSON_UNQUOTE('"abc"'), JSON_UNQUOTE('[1, 2, 3]') FROM objects WHERE id = 'a'`, want: `[["abc","[1, 2, 3]"]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_UNQUOTE escapes", sql: `SELECT JSON_UNQUOTE('"\\t\\u0032"') FROM objects WHERE id = 'a'`, want: `[["\t2"]]`},
		{name: "JSON_UNQUOTE(data->path) is data->>path", sql: `SELECT JSON_UNQUOTE(data->'$.name'), JSON_UNQUOTE(JSON_EXTRACT(data, '$.score')) FROM objects WHERE id = 'a'`, want: `[["Ann",5]]`},
		{name: "MySQL 8.0 §14.17.5 JSON_LENGTH", sql: `SELECT JSON_LENGTH('[1, 2, {"a": 3}]'), JSON_LENGTH('{"a": 1, "b": {"c": 30}}'), JSON_LENGTH('{"a": 1, "b": {"c": 30}}', '$.b') FROM objects WHERE id = 'a'`, want: `[[3,2,1]]`},
		{name: "MySQL 8.0 §14.17.5 JSON_LENGTH of a scalar is 1, of a missing path NULL", sql: `SELECT JSON_LENGTH('"x"'), JSON_LENGTH(data, '$.zz') FROM objects WHERE id = 'a'`, want: `[[1,null]]`},
		{name: "JSON_LENGTH of data paths", sql: `SELECT id, JSON_LENGTH(data->'$.tags') FROM objects WHERE JSON_LENGTH(data->'$.tags') >= 1`, want: `[["a",2],["b",1]]`},
		{name: "MySQL 8.0 §14.17.5 JSON_TYPE", sql: `SELECT JSON_TYPE('{"a": [10, true]}'), JSON_TYPE(JSON_EXTRACT('{"a": [10, true]}', '$.a')), JSON_TYPE(JSON_EXTRACT('{"a": [10, true]}', '$.a[0]')), JSON_TYPE(JSON_EXTRACT('{"a": [10, true]}', '$.a[1]')) FROM objects WHERE id = 'a'`, want: `[["OBJECT","ARRAY","INTEGER","BOOLEAN"]]`},
		{name: "MySQL 8.0 §14.17.5 JSON_TYPE STRING DOUBLE NULL", sql: `SELECT JSON_TYPE('"x"'), JSON_TYPE('1.5'), JSON_TYPE('null'), JSON_TYPE(NULL) FROM objects WHERE id = 'a'`, want: `[["STRING","DOUBLE","NULL",null]]`},
		{name: "JSON_TYPE of data paths", sql: `SELECT JSON_TYPE(data->'$.score') FROM objects`, want: `[["INTEGER"],["DOUBLE"],["STRING"],[null]]`},
		{name: "MySQL 8.0 §14.17.5 JSON_TYPE of invalid JSON text", sql: `SELECT JSON_TYPE('abc') FROM objects`, err: "invalid JSON text in argument 1 to function JSON_TYPE"},
		{name: "MySQL 8.0 §14.17.4 JSON_SET replaces and adds; a string value stays a string", sql: `SELECT JSON_SET('{ "a": 1, "b": [2, 3]}', '$.a', 10, '$.c', '[true, false]') FROM objects WHERE id = 'a'`, want: `[[{"a":10,"b":[2,3],"c":"[true, false]"}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_SET appends past an array's end", sql: `SELECT JSON_SET('{ "a": 1, "b": [2, 3]}', '$.b[5]', 4) FROM objects WHERE id = 'a'`, want: `[[{"a":1,"b":[2,3,4]}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_SET with a missing parent does nothing", sql: `SELECT JSON_SET('{"a": 1}', '$.x.y', 2) FROM objects WHERE id = 'a'`, want: `[[{"a":1}]]`},
		{name: "MySQL 8.0 §13.5 JSON_SET $[0] of a scalar replaces it, $[1] wraps", sql: `SELECT JSON_SET('"x"', '$[0]', 'a'), JSON_SET('"x"', '$[1]', 'a') FROM objects WHERE id = 'a'`, want: `[["a",["x","a"]]]`},
		{name: "JSON_SET of a JSON value nests it", sql: `SELECT JSON_SET(data, '$.u', data->'$.user') FROM objects WHERE id = 'b'`, want: `[[{"name":"bob","score":1.5,"tags":["py"],"user":{"name":"Bob"},"active":false,"n":null,"u":{"name":"Bob"}}]]`},
		{name: "JSON_SET keeps key order", sql: `SELECT JSON_SET(data, '$.name', 'Z') FROM objects WHERE id = 'c'`, want: `[[{"name":"Z","score":"10","big":9007199254740993}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_REMOVE", sql: `SELECT JSON_REMOVE('["a", ["b", "c"], "d"]', '$[1]') FROM objects WHERE id = 'a'`, want: `[[["a","d"]]]`},
		{name: "JSON_REMOVE key and missing path", sql: `SELECT JSON_REMOVE(data, '$.score', '$.nope') FROM objects WHERE id = 'c'`, want: `[[{"name":"Cid","big":9007199254740993}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_REMOVE $ is an error", sql: `SELECT JSON_REMOVE(data, '$') FROM objects`, err: "cannot be removed"},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH arrays replace", sql: `SELECT JSON_MERGE_PATCH('[1, 2]', '[true, false]') FROM objects WHERE id = 'a'`, want: `[[[true,false]]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH objects merge", sql: `SELECT JSON_MERGE_PATCH('{"name": "x"}', '{"id": 47}') FROM objects WHERE id = 'a'`, want: `[[{"name":"x","id":47}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH scalar replaces", sql: `SELECT JSON_MERGE_PATCH('1', 'true'), JSON_MERGE_PATCH('[1, 2]', '{"id": 47}') FROM objects WHERE id = 'a'`, want: `[[true,{"id":47}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH three documents", sql: `SELECT JSON_MERGE_PATCH('{ "a": 1, "b":2 }','{ "a": 3, "c":4 }','{ "a": 5, "d":6 }') FROM objects WHERE id = 'a'`, want: `[[{"a":5,"b":2,"c":4,"d":6}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH null removes a key", sql: `SELECT JSON_MERGE_PATCH('{"a":1, "b":2}', '{"b":null}') FROM objects WHERE id = 'a'`, want: `[[{"a":1}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH merges recursively", sql: `SELECT JSON_MERGE_PATCH('{"a":{"x":1}}', '{"a":{"y":2}}') FROM objects WHERE id = 'a'`, want: `[[{"a":{"x":1,"y":2}}]]`},
		{name: "RFC 7396 appendix A: null in a new member is dropped", sql: `SELECT JSON_MERGE_PATCH('{"a":"b"}', '{"c":{"d":null}}') FROM objects WHERE id = 'a'`, want: `[[{"a":"b","c":{}}]]`},
		{name: "MySQL 8.0 §14.17.4 JSON_MERGE_PATCH NULL argument", sql: `SELECT JSON_MERGE_PATCH(NULL, '{"a":1}'), JSON_MERGE_PATCH(NULL, '[1]') FROM objects WHERE id = 'a'`, want: `[[null,[1]]]`},
		{name: "MySQL 8.0 §14.8 LOWER UPPER", sql: `SELECT LOWER(name), UPPER(name), LOWER(NULL) FROM objects WHERE id = 'a'`, want: `[["ann","ANN",null]]`},
		{name: "LOWER in WHERE for case-insensitive match", sql: `SELECT id FROM objects WHERE LOWER(name) = 'bob'`, want: `[["b"]]`},
		{name: "MySQL 8.0 §14.4.2 COALESCE", sql: `SELECT COALESCE(nope, name, 'x'), COALESCE(NULL, NULL) FROM objects`, want: `[["Ann",null],["bob",null],["Cid",null],["x",null]]`},
		{name: "functions are case-insensitive", sql: `SELECT json_type(data), Json_Length(data) FROM objects WHERE id = 'd'`, want: `[["OBJECT",0]]`},
		{name: "wrong argument count", sql: `SELECT JSON_TYPE(data, data) FROM objects`, err: "wrong number of arguments (2) to function JSON_TYPE"},
	})
}

func TestSelectAggregates(t *testing.T) {
	docs := []string{
		`{"team":"red","pts":3}`, `{"team":"blue","pts":5}`, `{"team":"red","pts":4}`,
		`{"team":"blue"}`, `{"team":"green","pts":2.5}`, `{"pts":1}`,
	}
	runSelectCases(t, []selectCase{
		{name: "MySQL 8.0 §14.19.1 COUNT(*) COUNT(expr) SUM MIN MAX AVG", sql: `SELECT COUNT(*), COUNT(pts), SUM(pts), MIN(pts), MAX(pts), AVG(pts) FROM objects`, docs: docs, want: `[[6,5,15.5,1,5,3.1]]`},
		{name: "MySQL 8.0 §14.19.1 aggregates of no rows", sql: `SELECT COUNT(*), SUM(pts), MIN(pts), AVG(pts) FROM objects WHERE pts > 100`, docs: docs, want: `[[0,null,null,null]]`},
		{name: "SUM of integers is an integer", sql: `SELECT SUM(pts) FROM objects WHERE team = 'red'`, docs: docs, want: `[[7]]`},
		{name: "MySQL 8.0 §14.19.1 COUNT(DISTINCT)", sql: `SELECT COUNT(DISTINCT team) FROM objects`, docs: docs, want: `[[3]]`},
		{name: "GROUP BY one expression", sql: `SELECT team, COUNT(*), SUM(pts) FROM objects GROUP BY team ORDER BY team`, docs: docs, want: `[[null,1,1],["blue",2,5],["green",1,2.5],["red",2,7]]`},
		{name: "GROUP BY keeps first-appearance order without ORDER BY", sql: `SELECT team, COUNT(*) FROM objects GROUP BY team`, docs: docs, want: `[["red",2],["blue",2],["green",1],[null,1]]`},
		{name: "GROUP BY two expressions", sql: `SELECT team, pts > 3 AS high, COUNT(*) FROM objects WHERE team IS NOT NULL GROUP BY team, high ORDER BY team, high`, docs: docs, want: `[["blue",null,1],["blue",true,1],["green",false,1],["red",false,1],["red",true,1]]`},
		{name: "GROUP BY ordinal", sql: `SELECT team, MAX(pts) FROM objects GROUP BY 1 ORDER BY 2 DESC`, docs: docs, want: `[["blue",5],["red",4],["green",2.5],[null,1]]`},
		{name: "HAVING", sql: `SELECT team, COUNT(*) AS n FROM objects GROUP BY team HAVING n > 1 ORDER BY team`, docs: docs, want: `[["blue",2],["red",2]]`},
		{name: "HAVING on an aggregate not selected", sql: `SELECT team FROM objects GROUP BY team HAVING SUM(pts) >= 5 ORDER BY team`, docs: docs, want: `[["blue"],["red"]]`},
		{name: "ORDER BY an aggregate", sql: `SELECT team FROM objects WHERE team IS NOT NULL GROUP BY team ORDER BY SUM(pts) DESC`, docs: docs, want: `[["red"],["blue"],["green"]]`},
		{name: "aggregate with LIMIT", sql: `SELECT team, COUNT(*) FROM objects GROUP BY team ORDER BY team LIMIT 1 OFFSET 1`, docs: docs, want: `[["blue",2]]`},
		{name: "aggregate in WHERE is refused", sql: `SELECT id FROM objects WHERE COUNT(*) > 1`, docs: docs, err: "aggregate COUNT is not allowed in WHERE"},
		{name: "nested aggregate is refused", sql: `SELECT SUM(COUNT(*)) FROM objects`, docs: docs, err: "inside another aggregate"},
		{name: "other aggregates are refused", sql: `SELECT STD(pts) FROM objects`, docs: docs, err: "aggregate function STD is not supported"},
		{name: "MIN/MAX of strings", sql: `SELECT MIN(team), MAX(team) FROM objects`, docs: docs, want: `[["blue","red"]]`},
		{name: "aggregate column types", sql: `SELECT COUNT(*), AVG(pts) FROM objects`, docs: docs, want: `[[6,3.1]]`},
	})
}

func TestSelectOrderLimit(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "ORDER BY ascending, NULLs first", sql: `SELECT id FROM objects ORDER BY data->>'$.user.name'`, want: `[["c"],["d"],["b"],["a"]]`},
		{name: "ORDER BY descending, NULLs last", sql: `SELECT id FROM objects ORDER BY data->>'$.user.name' DESC`, want: `[["a"],["b"],["c"],["d"]]`},
		{name: "ORDER BY numbers numerically", sql: `SELECT id FROM objects WHERE id IN ('a','b') ORDER BY score`, want: `[["b"],["a"]]`},
		{name: "ORDER BY two keys", sql: `SELECT id FROM objects ORDER BY active IS NULL, name DESC`, want: `[["b"],["a"],["c"],["d"]]`},
		{name: "ORDER BY alias", sql: `SELECT id, score * 2 AS s2 FROM objects WHERE id IN ('a','b') ORDER BY s2 DESC`, want: `[["a",10],["b",3]]`},
		{name: "ORDER BY ordinal", sql: `SELECT name, id FROM objects ORDER BY 2 DESC`, want: `[[null,"d"],["Cid","c"],["bob","b"],["Ann","a"]]`},
		{name: "ORDER BY JSON values by MySQL's precedence", sql: `SELECT id FROM objects ORDER BY data->'$.score'`, want: `[["d"],["b"],["a"],["c"]]`},
		{name: "LIMIT", sql: `SELECT id FROM objects LIMIT 2`, want: `[["a"],["b"]]`},
		{name: "LIMIT offset, count", sql: `SELECT id FROM objects LIMIT 1, 2`, want: `[["b"],["c"]]`},
		{name: "LIMIT OFFSET", sql: `SELECT id FROM objects ORDER BY id DESC LIMIT 2 OFFSET 1`, want: `[["c"],["b"]]`},
		{name: "LIMIT 0", sql: `SELECT id FROM objects LIMIT 0`, want: `[]`},
		{name: "LIMIT placeholder", sql: `SELECT id FROM objects LIMIT ?`, args: []any{int64(1)}, want: `[["a"]]`},
		{name: "LIMIT negative placeholder is refused", sql: `SELECT id FROM objects LIMIT ?`, args: []any{int64(-1)}, err: "LIMIT must be a non-negative integer"},
		{name: "LIMIT string placeholder is refused", sql: `SELECT id FROM objects LIMIT ?`, args: []any{"1; DROP TABLE x"}, err: "LIMIT must be a non-negative integer"},
		{name: "DISTINCT", sql: `SELECT DISTINCT active IS NULL FROM objects`, want: `[[false],[true]]`},
		{name: "DISTINCT with ORDER BY", sql: `SELECT DISTINCT JSON_TYPE(data->'$.score') AS t FROM objects ORDER BY t`, want: `[[null],["DOUBLE"],["INTEGER"],["STRING"]]`},
	})
}

func TestSelectStar(t *testing.T) {
	runSelectCases(t, []selectCase{
		{name: "SELECT * of objects", sql: `SELECT * FROM objects WHERE id = 'd'`, want: `[["d",{},4,1,0,"2024-01-04T00:00:00Z","2024-02-04T00:00:00Z"]]`},
		{name: "SELECT objects.*, expression", sql: `SELECT objects.*, 1 FROM objects WHERE id = 'd'`, want: `[["d",{},4,1,0,"2024-01-04T00:00:00Z","2024-02-04T00:00:00Z",1]]`},
		{name: "columns by name", sql: `SELECT issue, version, pending, created_at FROM objects WHERE id = 'b'`, want: `[[2,1,0,"2024-01-02T00:00:00Z"]]`},
	})
}
