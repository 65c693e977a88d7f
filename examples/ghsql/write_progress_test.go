package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
)

// faultyServer serves a fresh localgh whose n-th issue creation (from 1) meets fault, and
// returns the DSN and a channel closed when that creation arrives.
func faultyServer(t *testing.T, n int, fault localgh.Fault) (dsn string, arrived <-chan struct{}) {
	t.Helper()
	srv, base := servedRepo(t, "data")
	ch := make(chan struct{})
	var mu sync.Mutex
	creates := 0
	srv.SetFault(func(c localgh.Call) localgh.Fault {
		if c.Method != "POST" || c.Path != "/repos/acme/data/issues" {
			return localgh.Fault{}
		}
		mu.Lock()
		defer mu.Unlock()
		creates++
		if creates != n {
			return localgh.Fault{}
		}
		close(ch)
		return fault
	})
	return unpacedDSN(base), ch
}

const fiveRows = `INSERT INTO objects (id, n) VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 4), ('e', 5)`

// TestCanceledWriteSaysHowFarItGot: Ctrl-C during the third of five inserts says that two of
// five were inserted and that "c" was under way.
func TestCanceledWriteSaysHowFarItGot(t *testing.T) {
	t.Parallel()
	dsn, arrived := faultyServer(t, 3, localgh.Fault{Hang: true})
	sigs := make(chan os.Signal, 1)
	go func() {
		<-arrived
		sigs <- os.Interrupt
	}()
	code, _, stderr := runGhsql(t, context.Background(), sigs, "-dsn", dsn, "-e", fiveRows)
	want := `ghsql: canceled after 2 of 5 objects were inserted (they stay so); "c" was under way and may or may not have been inserted`
	if code != 1 || !strings.HasPrefix(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want it to start %q", code, stderr, want)
	}
}

// TestFailedWriteSaysHowFarItGot: a refused third insert of five says two were inserted and
// which one failed, and why.
func TestFailedWriteSaysHowFarItGot(t *testing.T) {
	t.Parallel()
	dsn, _ := faultyServer(t, 3, localgh.Fault{Status: 410})
	code, _, stderr := runGhsql(t, context.Background(), nil, "-dsn", dsn, "-e", fiveRows)
	want := `ghsql: 2 of 5 objects were inserted (they stay so); then "c" failed: `
	if code != 1 || !strings.HasPrefix(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want it to start %q", code, stderr, want)
	}
}

// TestWriteProgressShowsObjectsAndWaits: on a terminal, the progress line of a multi-object
// write shows the objects written of the total and the one under way, and while GitHub's
// Retry-After holds a write back, what it waits for and how long.
func TestWriteProgressShowsObjectsAndWaits(t *testing.T) {
	t.Parallel()
	dsn, _ := faultyServer(t, 2, localgh.Fault{Status: 403, RetryAfter: 1})
	var stdout, stderr syncBuffer
	sys := &system{args: []string{"-dsn", dsn, "-e", fiveRows}, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(string) string { return "" }, clock: clock.Real{}, stderrTerminal: true,
		ticker: func(time.Duration) (<-chan time.Time, func()) {
			tk := time.NewTicker(20 * time.Millisecond)
			return tk.C, tk.Stop
		}}
	if code := run(context.Background(), sys); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got := stdout.String(); got != "5 rows affected\n" {
		t.Fatalf("stdout %q", got)
	}
	var waiting string
	for _, l := range strings.Split(stderr.String(), "\r\x1b[K") {
		if strings.Contains(l, "waiting") && waiting == "" {
			waiting = l
		}
	}
	for _, want := range []string{`… inserting: 1 of 5 objects written ("b" under way)`, "content-creating",
		"for GitHub's secondary rate limit (Retry-After)"} {
		if !strings.Contains(waiting, want) {
			t.Errorf("the progress line while waiting, %q, lacks %q", waiting, want)
		}
	}
	if !bytes.HasSuffix([]byte(stderr.String()), []byte("\r\x1b[K")) {
		t.Errorf("the progress line was not erased: %q", stderr.String())
	}
}
