package query

import (
	"encoding/json"
	"iter"
	"testing"
	"time"
)

// records yields documents as objects a, b, c… (ids "a", "b", …; issue = position + 1).
func records(docs ...string) iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		for i, d := range docs {
			rec := &Record{
				ID: string(rune('a' + i)), Data: []byte(d), Issue: int64(i + 1), Version: 1,
				CreatedAt: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC),
				UpdatedAt: time.Date(2024, 2, 1+i, 0, 0, 0, 0, time.UTC),
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// run parses, binds (positional args) and selects over docs.
func run(t testing.TB, sql string, docs []string, args ...any) ([][]any, error) {
	t.Helper()
	st, err := Parse(sql)
	if err != nil {
		return nil, err
	}
	p, err := st.Bind(posArgs(args...))
	if err != nil {
		return nil, err
	}
	var out [][]any
	for row, err := range p.Select(records(docs...)) {
		if err != nil {
			return out, err
		}
		out = append(out, row)
	}
	return out, nil
}

func posArgs(args ...any) []Arg {
	out := make([]Arg, len(args))
	for i, a := range args {
		out[i] = Arg{Ordinal: i + 1, Value: a}
	}
	return out
}

// show renders rows for comparison: JSON of each row with []byte shown as its JSON text.
func show(rows [][]any) string {
	conv := make([][]any, len(rows))
	for i, r := range rows {
		conv[i] = make([]any, len(r))
		for j, v := range r {
			switch x := v.(type) {
			case []byte:
				conv[i][j] = json.RawMessage(x)
			case time.Time:
				conv[i][j] = x.Format(time.RFC3339)
			default:
				conv[i][j] = v
			}
		}
	}
	b, err := json.Marshal(conv)
	if err != nil {
		return "marshal error: " + err.Error()
	}
	return string(b)
}
