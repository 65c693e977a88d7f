package driver

import (
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"
)

// person is how sqlx users map rows: db tags, a JSON path aliased to a field, nullable fields.
type person struct {
	ID      string          `db:"id"`
	Name    string          `db:"name"`
	Score   int64           `db:"score"`
	Email   sql.NullString  `db:"email"`
	Data    json.RawMessage `db:"data"`
	Created time.Time       `db:"created_at"`
}

// TestSqlx: existing sqlx code works unchanged.
func TestSqlx(t *testing.T) {
	forEachBackend(t, func(t *testing.T, e *env) {
		db := sqlx.NewDb(e.db, DriverName)

		db.MustExec(`INSERT INTO objects (id, data) VALUES (?, ?)`, "ann", `{"user":{"name":"Ann"},"score":3}`)
		// NamedExec with a struct and with a map.
		type newPerson struct {
			ID    string `db:"id"`
			Name  string `db:"name"`
			Score int    `db:"score"`
		}
		if _, err := db.NamedExec("INSERT INTO objects (id, `user.name`, score) VALUES (:id, :name, :score)", newPerson{"bob", "Bob", 5}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NamedExec("INSERT INTO objects (id, `user.name`, score, email) VALUES (:id, :name, :score, :email)",
			map[string]any{"id": "cy", "name": "Cy", "score": 7, "email": "cy@example.com"}); err != nil {
			t.Fatal(err)
		}
		// Batch NamedExec with a slice of structs.
		if _, err := db.NamedExec("INSERT INTO objects (id, `user.name`, score) VALUES (:id, :name, :score)",
			[]newPerson{{"dee", "Dee", 9}, {"eve", "Eve", 11}}); err != nil {
			t.Fatal(err)
		}

		const cols = `SELECT id, data->>'$.user.name' AS name, data->>'$.score' AS score, email, data, created_at FROM objects`
		var p person
		if err := db.Get(&p, db.Rebind(cols+` WHERE id = ?`), "ann"); err != nil {
			t.Fatal(err)
		}
		if p.ID != "ann" || p.Name != "Ann" || p.Score != 3 || p.Email.Valid || len(p.Data) == 0 || p.Created.IsZero() {
			t.Errorf("Get = %+v", p)
		}

		var people []person
		if err := db.Select(&people, cols+` WHERE score > ? ORDER BY score`, 4); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range people {
			names = append(names, p.Name)
		}
		if d := cmp.Diff([]string{"Bob", "Cy", "Dee", "Eve"}, names); d != "" {
			t.Errorf("Select (-want +got):\n%s", d)
		}
		if people[1].Email.String != "cy@example.com" {
			t.Errorf("email = %v", people[1].Email)
		}

		q, args, err := sqlx.In(`SELECT id FROM objects WHERE id IN (?) ORDER BY id`, []string{"eve", "ann", "nobody"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		if err := db.Select(&ids, db.Rebind(q), args...); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"ann", "eve"}, ids); d != "" {
			t.Errorf("sqlx.In (-want +got):\n%s", d)
		}

		// Named queries.
		rows, err := db.NamedQuery(`SELECT id FROM objects WHERE score >= :min ORDER BY id`, map[string]any{"min": 9})
		if err != nil {
			t.Fatal(err)
		}
		ids = nil
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if d := cmp.Diff([]string{"dee", "eve"}, ids); d != "" {
			t.Errorf("NamedQuery (-want +got):\n%s", d)
		}

		tx := db.MustBegin()
		tx.MustExec(`UPDATE objects SET score = score * 2 WHERE id = ?`, "ann")
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var score int
		if err := db.Get(&score, `SELECT score FROM objects WHERE id = ?`, "ann"); err != nil || score != 6 {
			t.Errorf("score after sqlx tx = %d, %v", score, err)
		}
	})
}
