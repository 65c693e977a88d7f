// Command collection shows store.Collection, the typed Go API beside SQL: a task list kept as
// objects of a struct type, updated serializably by several workers at once.
//
//	go run ./examples/collection                       # the embedded backend, in memory
//	go run ./examples/collection -dsn acme/app-data    # a GitHub repository (GITHUB_TOKEN)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/store"
)

// Task is one object: its fields are the object's JSON keys.
type Task struct {
	Title    string `json:"title"`
	Done     bool   `json:"done"`
	Owner    string `json:"owner,omitempty"`
	Attempts int64  `json:"attempts"`
}

func main() {
	dsn := flag.String("dsn", "local:demo/tasks", "the ghstore DSN")
	flag.Parse()
	if err := run(context.Background(), *dsn, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "collection:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, out io.Writer) error {
	cfg, err := driver.ParseDSN(dsn)
	if err != nil {
		return err
	}
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	tasks := store.NewCollection[Task](conn.Store())

	for _, id := range []string{"docs", "tests", "release"} {
		if err := tasks.Insert(ctx, id, Task{Title: "write " + id}); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "inserted 3 tasks")

	// Four workers each try to claim every task; Update runs its function on the current
	// value, again after a lost race, so each task gets exactly one owner, and every attempt
	// is counted.
	var wg sync.WaitGroup
	claims := make(chan string, 12)
	for w := 1; w <= 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range []string{"docs", "tests", "release"} {
				claimed := false
				_, err := tasks.Update(ctx, id, func(t *Task) error {
					t.Attempts++
					claimed = t.Owner == ""
					if claimed {
						t.Owner = fmt.Sprintf("worker-%d", w)
					}
					return nil
				})
				if err == nil && claimed {
					claims <- id
				}
			}
		}()
	}
	wg.Wait()
	close(claims)
	n := 0
	for range claims {
		n++
	}
	fmt.Fprintf(out, "claims: %d (one per task)\n", n)

	if _, err := tasks.Update(ctx, "docs", func(t *Task) error { t.Done = true; return nil }); err != nil {
		return err
	}
	var open []string
	for t, err := range tasks.Where(ctx, func(t Task) bool { return !t.Done }) {
		if err != nil {
			return err
		}
		open = append(open, fmt.Sprintf("%s (%d attempts)", t.Title, t.Attempts))
	}
	sort.Strings(open)
	fmt.Fprintf(out, "open: %v\n", open)
	docs, err := tasks.Get(ctx, "docs")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "docs: done=%v attempts=%d owned=%v\n", docs.Done, docs.Attempts, docs.Owner != "")
	return tasks.Delete(ctx, "release")
}
