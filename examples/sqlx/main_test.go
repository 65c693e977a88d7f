package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExample runs the example on a fresh embedded backend in a temporary directory and checks
// everything it printed.
func TestExample(t *testing.T) {
	dsn := "local:demo/players?dir=" + filepath.Join(t.TempDir(), "store")
	var out strings.Builder
	if err := run(context.Background(), dsn, &out); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	want := `inserted 3 players
get: player-ada (Ada, 31, team red, nick -)
select: player-ada (Ada, 31, team red, nick -)
select: player-bo (Bo, 12, team blue, nick -)
select: player-cy (Cy, 25, team red, nick -)
select: player-eve (Eve, 3, team -, nick -)
select team=red by score: [Ada Cy]
bonus for blue: 1 updated
in: player-bo version 2 {"name":"Bo","score":17,"team":"blue"}
in: player-cy version 1 {"name":"Cy","score":25,"team":"red"}
after the transaction: 4 players, 99 points
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// TestExampleTwiceOnOneStore: a second run on the same store meets its own objects and says so
// with the duplicate-key error, naming the id, instead of writing them twice.
func TestExampleTwiceOnOneStore(t *testing.T) {
	dsn := "local:demo/players?dir=" + filepath.Join(t.TempDir(), "store")
	if err := run(context.Background(), dsn, new(strings.Builder)); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), dsn, new(strings.Builder))
	if err == nil || !strings.Contains(err.Error(), "duplicate key") || !strings.Contains(err.Error(), "player-") {
		t.Errorf("second run: %v, want a duplicate-key error naming a player", err)
	}
}
