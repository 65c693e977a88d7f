package query

import "testing"

func TestSmoke(t *testing.T) {
	docs := []string{`{"score": 5, "user": {"name": "x"}, "tags": ["go","db"]}`, `{"score": 1}`, `{"score": "10"}`}
	rows, err := run(t, `SELECT id, data->>'$.user.name', score FROM objects WHERE score > ? ORDER BY score DESC`, docs, 2)
	t.Log(show(rows), err)
	rows, err = run(t, `SELECT COUNT(*), SUM(score), MAX(score) FROM objects`, docs)
	t.Log(show(rows), err)
	st, err := Parse(`UPDATE objects SET score = score + 1, ` + "`user.name`" + ` = 'y' WHERE id = $1`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Bind(posArgs("A"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(p.Access())
	out, err := p.Assign(&Record{ID: "a", Data: []byte(docs[0])})
	t.Log(string(out), err)
}
