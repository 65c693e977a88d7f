package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// formatResult runs one result (columns and rows) or, with rows nil and affected >= 0, a write
// count through the format called name.
func formatResult(t *testing.T, name string, width int, columns []string, rows [][]any) string {
	t.Helper()
	var b bytes.Buffer
	f, err := newFormatter(name, &b, width)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.begin(columns); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := f.row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.end(len(rows)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func sampleRows() ([]string, [][]any) {
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return []string{"id", "data", "score", "ratio", "ok", "note", "created_at"}, [][]any{
		{"alice", []byte(`{"name": "Alice", "tags": ["a", "b"]}`), int64(10), 0.5, true, nil, at},
		{"bob", []byte(`{"name":"Bob"}`), int64(7), 1e21, false, "two\nlines", at},
	}
}

func TestTable(t *testing.T) {
	cols, rows := sampleRows()
	got := formatResult(t, "table", 0, cols, rows)
	want := `id    | data                              | score | ratio | ok    | note       | created_at
------+-----------------------------------+-------+-------+-------+------------+---------------------
alice | {"name":"Alice","tags":["a","b"]} |    10 |   0.5 | true  | NULL       | 2025-01-02T03:04:05Z
bob   | {"name":"Bob"}                    |     7 | 1e+21 | false | two\nlines | 2025-01-02T03:04:05Z
(2 rows)
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func TestTableFitsTheTerminal(t *testing.T) {
	cols := []string{"id", "data"}
	rows := [][]any{{"a", []byte(`{"text":"` + string(bytes.Repeat([]byte("x"), 100)) + `"}`)}}
	got := formatResult(t, "table", 40, cols, rows)
	want := `id | data
---+------------------------------------
a  | {"text":"xxxxxxxxxxxxxxxxxxxxxxxxx…
(1 row)
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func TestTableEmptyAndWide(t *testing.T) {
	got := formatResult(t, "table", 0, []string{"id", "名前"}, [][]any{{"a", "日本語"}})
	want := "id | 名前\n---+-------\na  | 日本語\n(1 row)\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = formatResult(t, "table", 0, []string{"id"}, nil)
	if want := "id\n--\n(0 rows)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestJSON(t *testing.T) {
	cols, rows := sampleRows()
	got := formatResult(t, "json", 0, cols, rows)
	want := `[
  {"id":"alice","data":{"name":"Alice","tags":["a","b"]},"score":10,"ratio":0.5,"ok":true,"note":null,"created_at":"2025-01-02T03:04:05Z"},
  {"id":"bob","data":{"name":"Bob"},"score":7,"ratio":1e+21,"ok":false,"note":"two\nlines","created_at":"2025-01-02T03:04:05Z"}
]
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
	if got := formatResult(t, "json", 0, cols, nil); got != "[]\n" {
		t.Errorf("empty json = %q", got)
	}
}

func TestJSONLines(t *testing.T) {
	cols, rows := sampleRows()
	got := formatResult(t, "jsonl", 0, cols[:3], [][]any{rows[0][:3], rows[1][:3]})
	want := `{"id":"alice","data":{"name":"Alice","tags":["a","b"]},"score":10}
{"id":"bob","data":{"name":"Bob"},"score":7}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsonl (-want +got):\n%s", diff)
	}
}

func TestCSV(t *testing.T) {
	cols, rows := sampleRows()
	got := formatResult(t, "csv", 0, cols, rows)
	want := `id,data,score,ratio,ok,note,created_at
alice,"{""name"":""Alice"",""tags"":[""a"",""b""]}",10,0.5,true,,2025-01-02T03:04:05Z
bob,"{""name"":""Bob""}",7,1e+21,false,"two
lines",2025-01-02T03:04:05Z
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("csv (-want +got):\n%s", diff)
	}
}

func TestAffected(t *testing.T) {
	for name, want := range map[string]string{
		"table": "3 rows affected\n",
		"json":  "{\"rows_affected\":3}\n",
		"jsonl": "{\"rows_affected\":3}\n",
		"csv":   "rows_affected\n3\n",
	} {
		var b bytes.Buffer
		f, err := newFormatter(name, &b, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.affected(3); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s: got %q, want %q", name, b.String(), want)
		}
	}
	var b bytes.Buffer
	f, _ := newFormatter("table", &b, 0)
	f.affected(1)
	if b.String() != "1 row affected\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := newFormatter("xml", nil, 0)
	if err == nil || err.Error() != `unknown -format "xml": use one of table, json, jsonl, csv` {
		t.Errorf("err = %v", err)
	}
}

func TestJSONValueKeepsNonJSONBytesAsString(t *testing.T) {
	if got := string(jsonValue([]byte("not json"))); got != `"not json"` {
		t.Errorf("got %s", got)
	}
	if got := string(jsonValue([]byte("9007199254740993"))); got != "9007199254740993" {
		t.Errorf("a big JSON number must stay exact, got %s", got)
	}
}
