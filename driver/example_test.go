package driver_test

import (
	"database/sql"
	"fmt"
	"log"

	_ "github.com/ghstore/ghstore/driver"
)

// The embedded backend needs no token and no network: here, an in-memory repository.
func Example() {
	db, err := sql.Open("ghstore", "local:acme/example-data")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	// The repository lives as long as the process; start from empty.
	if _, err := db.Exec(`DELETE FROM objects`); err != nil {
		log.Fatal(err)
	}

	if _, err := db.Exec(`INSERT INTO objects (id, name, score) VALUES (?, ?, ?), (?, ?, ?)`,
		"ann", "Ann", 10, "bob", "Bob", 20); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE objects SET score = score + 1 WHERE id = :id`, sql.Named("id", "ann")); err != nil {
		log.Fatal(err)
	}
	rows, err := db.Query(`SELECT id, data->>'$.name', score, version FROM objects WHERE score > $1 ORDER BY score DESC`, 5)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		var score, version int
		if err := rows.Scan(&id, &name, &score, &version); err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, name, score, version)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// bob Bob 20 1
	// ann Ann 11 2
}
