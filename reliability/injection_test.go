package reliability

import (
	"errors"
	"testing"

	"github.com/ghstore/ghstore/store"
)

// injections are SQL-looking values: bound through ?, :name and $1 they must be stored and
// compared as plain values.
var injections = []string{
	`x' OR '1'='1`,
	`a'); DELETE FROM objects; --`,
	`*/`,
	`/*!`,
	`/*! DELETE FROM objects */`,
	`"; DROP TABLE objects; --`,
	`{"$.x": "' OR 1=1 --"}`,
	`\' OR 1=1 #`,
	`%`,
	`_`,
	"\x00",
	`$1`,
	`?`,
	`:name`,
}

// TestArgumentsAreValuesOnly binds each injection as an id, as a JSON string value and in WHERE
// comparisons through ?, :name and $1: every statement affects exactly the rows it names, the
// value reads back byte for byte, and the bystander object never changes.
func TestArgumentsAreValuesOnly(t *testing.T) {
	w := newSQLWorld(t)
	db := w.open(secretToken, "")
	must(t, execAffecting(w.ctx, db, 1, `INSERT INTO objects (id, data) VALUES ('bystander', '{"v":1}')`))
	for i, inj := range injections {
		// As a data value, through each placeholder style.
		id := "obj" + string(rune('a'+i))
		must(t, execAffecting(w.ctx, db, 1, `INSERT INTO objects (id, s) VALUES (?, ?)`, id, inj))
		for _, q := range []string{
			`SELECT COUNT(*) FROM objects WHERE s = ?`,
			`SELECT COUNT(*) FROM objects WHERE s = :v`,
			`SELECT COUNT(*) FROM objects WHERE s = $1`,
		} {
			var n int
			var err error
			if q[len(q)-2:] == ":v" {
				err = db.QueryRowContext(w.ctx, q, namedArg("v", inj)).Scan(&n)
			} else {
				err = db.QueryRowContext(w.ctx, q, inj).Scan(&n)
			}
			if err != nil || n != 1 {
				t.Errorf("%s with %q: count %d, err %v; want 1", q, inj, n, err)
			}
		}
		var got string
		if err := db.QueryRowContext(w.ctx, `SELECT s FROM objects WHERE id = ?`, id).Scan(&got); err != nil || got != inj {
			t.Errorf("%q reads back as %q (%v)", inj, got, err)
		}
		must(t, execAffecting(w.ctx, db, 1, `UPDATE objects SET t = ? WHERE id = ?`, inj, id))
		// As an id: no object has it; an id no object can have (a NUL) may be refused instead.
		for _, q := range []string{`UPDATE objects SET t = 'x' WHERE id = ?`, `DELETE FROM objects WHERE id = ?`} {
			if err := execAffecting(w.ctx, db, 0, q, inj); err != nil && !errors.Is(err, store.ErrInvalidID) {
				t.Errorf("%s with %q: %v", q, inj, err)
			}
		}
	}
	var n int
	must(t, db.QueryRowContext(w.ctx, `SELECT COUNT(*) FROM objects`).Scan(&n))
	if n != 1+len(injections) {
		t.Errorf("%d objects, want %d", n, 1+len(injections))
	}
	got, err := readObject(w.ctx, db, "bystander")
	must(t, err)
	if !sameJSON([]byte(got), []byte(`{"v":1}`)) {
		t.Errorf("the bystander reads as %s", got)
	}
	for _, p := range w.inspect().Problems {
		t.Errorf("oracle: %s", p)
	}
}
