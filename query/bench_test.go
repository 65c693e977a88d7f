package query

import (
	"fmt"
	"testing"
)

// BenchmarkParseBind: parse and plan a typical statement (target: under 20 µs).
func BenchmarkParseBind(b *testing.B) {
	b.ReportAllocs()
	args := posArgs(int64(10), "go")
	for b.Loop() {
		st, err := Parse(`SELECT id, data->>'$.user.name' FROM objects WHERE data->>'$.score' > ? AND name LIKE ? ORDER BY id LIMIT 10`)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Bind(args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBindSimple: parse and plan a point lookup.
func BenchmarkParseBindSimple(b *testing.B) {
	b.ReportAllocs()
	args := posArgs("a")
	for b.Loop() {
		st, err := Parse(`SELECT data FROM objects WHERE id = ?`)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Bind(args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFilter10k: filter 10,000 documents by a JSON predicate.
func BenchmarkFilter10k(b *testing.B) {
	recs := make([]*Record, 10000)
	for i := range recs {
		recs[i] = &Record{ID: fmt.Sprint(i), Data: []byte(fmt.Sprintf(
			`{"name": "user%d", "score": %d, "tags": ["a", "b"], "user": {"name": "n%d", "age": %d}, "active": %v}`,
			i, i%100, i, i%90, i%2 == 0))}
	}
	st, err := Parse(`SELECT id, data->>'$.user.name' FROM objects WHERE data->>'$.score' > ? AND data->'$.active' = true`)
	if err != nil {
		b.Fatal(err)
	}
	p, err := st.Bind(posArgs(int64(50)))
	if err != nil {
		b.Fatal(err)
	}
	seq := func(yield func(*Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range p.Select(seq) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 2400 {
			b.Fatalf("%d rows", n)
		}
	}
}
