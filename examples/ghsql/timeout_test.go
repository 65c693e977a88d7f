package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
)

// hungServer serves acme/data (one object, "a") over loopback and returns its DSN (token in it,
// no retries), a function that makes every later request hang until its context is done (the
// channel it returns is closed when the first hung request arrives), and one that makes the
// server answer again.
func hungServer(t *testing.T) (dsn string, hang func() <-chan struct{}, answer func()) {
	t.Helper()
	srv, base := servedRepo(t, "data")
	dsn = unpacedDSN(base)
	if code, _, stderr := runGhsql(t, context.Background(), nil, "-dsn", dsn, "-e", `INSERT INTO objects (id, n) VALUES ('a', 1)`); code != 0 {
		t.Fatalf("seeding: exit %d: %s", code, stderr)
	}
	return dsn, func() <-chan struct{} {
		arrived := make(chan struct{})
		var once sync.Once
		srv.SetFault(func(localgh.Call) localgh.Fault {
			once.Do(func() { close(arrived) })
			return localgh.Fault{Hang: true}
		})
		return arrived
	}, func() { srv.SetFault(nil) }
}

// runGhsql runs ghsql in-process with args and returns its exit status, stdout and stderr. A
// run still going after a minute fails the test (it hung).
func runGhsql(t *testing.T, ctx context.Context, interrupts <-chan os.Signal, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	sys := &system{args: args, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(string) string { return "" }, clock: clock.Real{}}
	if interrupts != nil {
		sys.interrupts = func() (<-chan os.Signal, func()) { return interrupts, func() {} }
	}
	done := make(chan int, 1)
	go func() { done <- run(ctx, sys) }()
	guard := time.NewTimer(time.Minute)
	defer guard.Stop()
	select {
	case code := <-done:
		return code, stdout.String(), stderr.String()
	case <-guard.C:
		t.Fatalf("ghsql %s still running after a minute: it hung", strings.Join(args, " "))
		return 0, "", ""
	}
}

// TestSubcommandsHonourTheDSNTimeout: against a server where every request hangs, process,
// snapshot and update-snapshot end with "timed out" once the DSN's timeout= has passed for a
// request, as SQL statements do: none of them runs as one statement, so the timeout bounds each
// request they send.
func TestSubcommandsHonourTheDSNTimeout(t *testing.T) {
	dsn, hang, _ := hungServer(t)
	dir := t.TempDir()
	snap := filepath.Join(dir, "snap.json")
	if code, _, stderr := runGhsql(t, context.Background(), nil, "snapshot", "-dsn", dsn, "-o", snap); code != 0 {
		t.Fatalf("snapshot: exit %d: %s", code, stderr)
	}
	before, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	hang()
	dsn += "&timeout=50ms"
	for _, args := range [][]string{
		{"process", "-dsn", dsn, "-all"},
		{"process", "-dsn", dsn, "-issue", "1"},
		{"snapshot", "-dsn", dsn, "-o", "-"},
		{"snapshot", "-dsn", dsn, "-o", snap},
		{"update-snapshot", "-dsn", dsn, snap},
		{"-dsn", dsn, "-e", "SELECT id FROM objects"},
	} {
		code, _, stderr := runGhsql(t, context.Background(), nil, args...)
		if code != 1 || !strings.Contains(stderr, "timed out") {
			t.Errorf("ghsql %s on a hung server: exit %d, stderr %q; want 1 and \"timed out\"", args[0], code, stderr)
		}
	}
	if after, err := os.ReadFile(snap); err != nil || !bytes.Equal(before, after) {
		t.Errorf("a snapshot that timed out changed the file (%v)", err)
	}
}

// TestSubcommandsStopOnInterrupt: with no timeout= in the DSN, Ctrl-C (or SIGTERM) stops process
// and snapshot while a request hangs.
func TestSubcommandsStopOnInterrupt(t *testing.T) {
	dsn, hang, _ := hungServer(t)
	snap := filepath.Join(t.TempDir(), "snap.json")
	if code, _, stderr := runGhsql(t, context.Background(), nil, "snapshot", "-dsn", dsn, "-o", snap); code != 0 {
		t.Fatalf("snapshot: exit %d: %s", code, stderr)
	}
	for _, args := range [][]string{
		{"process", "-dsn", dsn, "-all"},
		{"snapshot", "-dsn", dsn, "-o", "-"},
		{"update-snapshot", "-dsn", dsn, snap},
	} {
		arrived := hang()
		sigs := make(chan os.Signal, 1)
		go func() {
			<-arrived
			sigs <- os.Interrupt
		}()
		code, _, stderr := runGhsql(t, context.Background(), sigs, args...)
		if code != 1 || !strings.Contains(stderr, "canceled") {
			t.Errorf("ghsql %s interrupted: exit %d, stderr %q; want 1 and \"canceled\"", args[0], code, stderr)
		}
	}
}
