// Command sqlx is existing sqlx code run on ghstore: structs with db tags, NamedExec, Get,
// Select, sqlx.In and a transaction, with nothing ghstore-specific but the driver name and DSN.
//
//	go run ./examples/sqlx                               # the embedded backend, in memory
//	go run ./examples/sqlx -dsn acme/app-data            # on GitHub (token from GITHUB_TOKEN)
//
// Invariants: it writes only objects whose ids start with "player-", and reads back what it wrote.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/jmoiron/sqlx"

	_ "github.com/ghstore/ghstore/driver"
)

// Player is one stored object. Columns other than id and data are paths into the object's JSON:
// `name`, `score` and `team` are data->>'$.name' and so on.
//
// A JSON document need not have every field, and a missing one reads NULL, which a plain string
// or int cannot hold (Scan fails on the first object without it): fields that may be missing are
// sql.NullString / sql.NullInt64, or pointers, which stay nil.
type Player struct {
	ID    string         `db:"id"`
	Name  string         `db:"name"`
	Score int            `db:"score"`
	Team  sql.NullString `db:"team"` // optional
	Nick  *string        `db:"nick"` // optional; nil when the object has none
}

// String shows a player, its optional fields as "-" when missing.
func (p Player) String() string {
	team, nick := "-", "-"
	if p.Team.Valid {
		team = p.Team.String
	}
	if p.Nick != nil {
		nick = *p.Nick
	}
	return fmt.Sprintf("%s (%s, %d, team %s, nick %s)", p.ID, p.Name, p.Score, team, nick)
}

// team is a player's team, present.
func team(name string) sql.NullString { return sql.NullString{String: name, Valid: true} }

// PlayerRow is a player with its whole JSON document and its version (1 + updates applied).
type PlayerRow struct {
	ID      string          `db:"id"`
	Data    json.RawMessage `db:"data"`
	Version int             `db:"version"`
}

func main() {
	dsn := flag.String("dsn", "local:demo/players", "ghstore DSN (default: the embedded backend, in memory)")
	flag.Parse()
	if err := run(context.Background(), *dsn, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sqlx example:", err)
		os.Exit(1)
	}
}

// run is the example: it writes players, reads them back in the ways sqlx offers, and prints
// what it read to w.
func run(ctx context.Context, dsn string, w io.Writer) error {
	db, err := sqlx.ConnectContext(ctx, "ghstore", dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	// NamedExec with a slice: one INSERT of many rows, :name placeholders filled from the tags.
	players := []Player{
		{ID: "player-ada", Name: "Ada", Score: 31, Team: team("red")},
		{ID: "player-bo", Name: "Bo", Score: 12, Team: team("blue")},
		{ID: "player-cy", Name: "Cy", Score: 25, Team: team("red")},
	}
	res, err := db.NamedExecContext(ctx,
		`INSERT INTO objects (id, name, score, team) VALUES (:id, :name, :score, :team)`, players)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "inserted %d players\n", n)

	// An object with fewer fields: no team, no nick (the columns given build its JSON).
	if _, err := db.ExecContext(ctx, `INSERT INTO objects (id, name, score) VALUES (?, ?, ?)`, "player-eve", "Eve", 3); err != nil {
		return err
	}

	// Get: one row into a struct.
	var ada Player
	if err := db.GetContext(ctx, &ada, `SELECT id, name, score, team, nick FROM objects WHERE id = ?`, "player-ada"); err != nil {
		return err
	}
	fmt.Fprintf(w, "get: %s\n", ada)

	// Select: many rows into a slice; Eve's missing team and everyone's missing nick read NULL.
	var all []Player
	if err := db.SelectContext(ctx, &all, `SELECT id, name, score, team, nick FROM objects WHERE id LIKE 'player-%' ORDER BY id`); err != nil {
		return err
	}
	for _, p := range all {
		fmt.Fprintf(w, "select: %s\n", p)
	}

	// Filtered and ordered on JSON fields.
	var red []Player
	if err := db.SelectContext(ctx, &red,
		`SELECT id, name, score, team FROM objects WHERE team = ? ORDER BY score DESC`, "red"); err != nil {
		return err
	}
	fmt.Fprintf(w, "select team=red by score: %v\n", names(red))

	// An UPDATE with named parameters from a map.
	res, err = db.NamedExecContext(ctx, `UPDATE objects SET score = score + :bonus WHERE team = :team`,
		map[string]any{"bonus": 5, "team": "blue"})
	if err != nil {
		return err
	}
	n, _ = res.RowsAffected()
	fmt.Fprintf(w, "bonus for blue: %d updated\n", n)

	// sqlx.In expands a slice into IN (?, ?, …); Rebind fits the driver's placeholders.
	query, args, err := sqlx.In(`SELECT id, data, version FROM objects WHERE id IN (?) ORDER BY id`,
		[]string{"player-bo", "player-cy"})
	if err != nil {
		return err
	}
	var rows []PlayerRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(query), args...); err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Fprintf(w, "in: %s version %d %s\n", r.ID, r.Version, r.Data)
	}

	// A transaction: its writes are applied in order at Commit.
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM objects WHERE id = ?`, "player-bo"); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.NamedExecContext(ctx, `INSERT INTO objects (id, name, score, team) VALUES (:id, :name, :score, :team)`,
		Player{ID: "player-di", Name: "Di", Score: 40, Team: team("blue")}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}

	var total struct {
		Players int `db:"players"`
		Points  int `db:"points"`
	}
	if err := db.GetContext(ctx, &total, `SELECT COUNT(*) AS players, SUM(score) AS points FROM objects WHERE id LIKE 'player-%'`); err != nil {
		return err
	}
	fmt.Fprintf(w, "after the transaction: %d players, %d points\n", total.Players, total.Points)
	return nil
}

// names lists the players' names.
func names(ps []Player) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}
