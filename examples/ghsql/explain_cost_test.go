package main

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
)

// explainPacing is the pacing TestExplainMatchesWhatStatementsCost runs under: spacing after a
// burst, short enough for a test, long enough to be measured against request latency.
const explainPacing = "writes_per_minute=0&writes_per_hour=0&write_interval=25ms&read_lag=0"

// Bounds of TestExplainMatchesWhatStatementsCost, as EXPLAIN's documentation states them:
// content-creating requests are exact (no race, no checkpoint here); requests are at most
// EXPLAIN's and at most one fewer per object looked up (the comments of an object that turns
// out to have nothing pending are not listed); the statement's wall time is at least
// least_time and at most least_time plus a burst's worth of intervals (the burst an earlier
// statement spent may not have come back yet) plus timeSlack per request.
const (
	timeSlack     = 40 * time.Millisecond
	writeInterval = 25 * time.Millisecond
	writeBurst    = 3
)

// explained is one EXPLAIN row's figures.
type explained struct {
	requests, creating int64
	leastTime          time.Duration
	detail             string
}

func explainRow(t *testing.T, db *sql.DB, stmt string) explained {
	t.Helper()
	var access, table, least string
	var ids sql.NullString
	var e explained
	if err := db.QueryRow("EXPLAIN "+stmt).Scan(&access, &table, &ids, &e.requests, &e.creating, &least, &e.detail); err != nil {
		t.Fatalf("EXPLAIN %s: %v", stmt, err)
	}
	d, err := time.ParseDuration(least)
	if err != nil {
		t.Fatalf("EXPLAIN %s: least_time %q: %v", stmt, least, err)
	}
	e.leastTime = d
	return e
}

// TestExplainMatchesWhatStatementsCost runs every statement kind (SELECT on both tables, by id
// and scanning, INSERT, UPDATE, upsert, DELETE; inline and async) against localgh over HTTP and
// holds EXPLAIN's figures against the server's request log, within the bounds above.
func TestExplainMatchesWhatStatementsCost(t *testing.T) {
	t.Parallel()
	srv, base := servedRepo(t, "costs")
	open := func(extra string) *sql.DB {
		cfg, err := driver.ParseDSN(fmt.Sprintf("acme/costs?token=tok-acme&base_url=%s&%s%s", base, explainPacing, extra))
		if err != nil {
			t.Fatal(err)
		}
		c, err := driver.NewConnector(cfg)
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		if err := db.Ping(); err != nil { // the Connector's one-time set-up is no statement's
			t.Fatal(err)
		}
		return db
	}
	inline, async := open(""), open("&apply=async")
	for _, tc := range []struct {
		db      *sql.DB
		stmt    string
		objects int64 // objects looked up by id (the bound on requests)
		// rescan: scan first (not measured), so that EXPLAIN knows the objects an async
		// update left open; it costs the store as the last scan saw it.
		rescan bool
	}{
		{inline, "INSERT INTO objects (id, n) VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 4)", 0, false},
		{inline, "SELECT * FROM objects WHERE n > 1", 0, false}, // the first scan: EXPLAIN knows no size yet
		{inline, "SELECT * FROM objects", 0, false},
		{inline, "SELECT * FROM objects WHERE id IN ('a', 'b')", 2, false},
		{inline, "SELECT * FROM history", 0, false},
		{inline, "SELECT * FROM history WHERE id = 'a'", 0, false},
		{inline, "UPDATE objects SET n = n + 1 WHERE id = 'a'", 1, false},
		{inline, "UPDATE objects SET n = n + 1", 0, false},
		{inline, "INSERT INTO objects (id, n) VALUES ('a', 1), ('e', 5) ON DUPLICATE KEY UPDATE n = n + 10", 2, false},
		{inline, "DELETE FROM objects WHERE id IN ('d', 'e')", 2, false},
		{async, "UPDATE objects SET n = 7 WHERE id = 'b'", 1, true},
		{async, "SELECT * FROM objects", 0, true},
		{async, "SELECT * FROM objects WHERE id IN ('a', 'b')", 2, false},
		{async, "UPDATE objects SET n = n + 1", 0, false},
		{async, "SELECT * FROM history", 0, true},
	} {
		if tc.rescan {
			if _, err := tc.db.Exec("SELECT * FROM objects"); err != nil {
				t.Fatal(err)
			}
		}
		e := explainRow(t, tc.db, tc.stmt)
		srv.ResetRequests()
		start := time.Now()
		if _, err := tc.db.Exec(tc.stmt); err != nil {
			t.Fatalf("%s: %v", tc.stmt, err)
		}
		took := time.Since(start)
		var requests, creating int64
		for _, r := range srv.Requests() {
			requests++
			if r.Creating {
				creating++
			}
		}
		t.Logf("%s: EXPLAIN %d requests, %d creating, least %v; measured %d, %d, %v",
			tc.stmt, e.requests, e.creating, e.leastTime, requests, creating, took.Round(time.Millisecond))
		if creating != e.creating {
			t.Errorf("%s: %d content-creating requests, EXPLAIN said %d", tc.stmt, creating, e.creating)
		}
		if requests > e.requests || requests < e.requests-tc.objects {
			t.Errorf("%s: %d requests, EXPLAIN said %d (bound: at most, and at most %d fewer)", tc.stmt, requests, e.requests, tc.objects)
		}
		if most := e.leastTime + writeBurst*writeInterval + time.Duration(requests)*timeSlack; took < e.leastTime || took > most {
			t.Errorf("%s: it took %v, EXPLAIN's least time is %v (bound: at least that, at most %v)",
				tc.stmt, took, e.leastTime, most)
		}
	}
}
