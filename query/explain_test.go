package query

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// explainOf binds EXPLAIN stmt and returns its one row under e.
func explainOf(t *testing.T, stmt string, e Estimate) []any {
	t.Helper()
	st, err := Parse("EXPLAIN " + stmt)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Explain() {
		t.Fatalf("%s: not an EXPLAIN", stmt)
	}
	p, err := st.Bind(nil)
	if err != nil {
		t.Fatal(err)
	}
	cols, rows := p.ExplainWith(e)
	if strings.Join(cols, ",") != "access,table,ids,requests,creating,least_time,detail" || len(rows) != 1 {
		t.Fatalf("cols %v rows %v", cols, rows)
	}
	return rows[0]
}

// TestExplainCostsEveryStatementKind: the figures of DESIGN.md §6 per statement kind, for a
// store of 250 objects (3 open) whose logs fill 260 pages.
func TestExplainCostsEveryStatementKind(t *testing.T) {
	e := Estimate{Scanned: true, Objects: 250, Open: 3, HistoryPages: 260}
	async := e
	async.Async = true
	for _, tc := range []struct {
		stmt     string
		e        Estimate
		access   string
		requests int64
		creating int64
		detail   []string
	}{
		{"SELECT id FROM objects WHERE id IN ('a', 'b') ORDER BY id", e, "point lookup of 2 ids", 2 + 2, 0, []string{"sort on 1 keys", "filter"}},
		{"SELECT * FROM objects WHERE score > 1", e, "scan", 3 + 3, 0, []string{"250 objects (3 open) at the last scan"}},
		// The history of every object: the scan, then each object's lookup and comment pages.
		{"SELECT * FROM history", e, "scan", 6 + 250 + 260 + 3, 0, []string{"each object's log"}},
		{"SELECT * FROM history WHERE id = 'a'", e, "point lookup of 1 id", 2 + 1, 0, nil},
		{"INSERT INTO objects (id, n) VALUES ('a', 1), ('b', 2)", e, "insert of 2 rows", 8, 6, []string{"4 requests (3 creating) per object"}},
		{"INSERT INTO objects (id, n) VALUES ('a', 1), ('b', 2) ON DUPLICATE KEY UPDATE n = n + 1", e,
			"insert of 2 rows with upsert (point lookup of 2 ids)", 2 + 2 + 2*4, 6, nil},
		{"UPDATE objects SET n = 1 WHERE id = 'a'", e, "point lookup of 1 id", 2 + 4, 3, []string{"up to 1 object updated", "serializable; a lost race"}},
		{"UPDATE objects SET n = 1", e, "scan", 6 + 250*4, 250 * 3, []string{"up to 250 objects updated"}},
		{"UPDATE objects SET n = 1 WHERE id = 'a'", async, "point lookup of 1 id", 2 + 2, 2, []string{"apply=async: last writer wins; read-modify-write needs apply=inline"}},
		{"DELETE FROM objects WHERE id IN ('a','b')", e, "point lookup of 2 ids", 2 + 2 + 2*1, 2, []string{"deleted"}},
		// Many ids on a small store: the scan is cheaper, and says so.
		{"DELETE FROM objects WHERE id IN ('a','b','c','d')", Estimate{Scanned: true, Objects: 50}, "scan (cheaper than a point lookup of 4 ids)", 1 + 4*1, 4, nil},
	} {
		r := explainOf(t, tc.stmt, tc.e)
		if r[0] != tc.access || r[3] != tc.requests || r[4] != tc.creating {
			t.Errorf("%s: access %q requests %v creating %v, want %q %d %d", tc.stmt, r[0], r[3], r[4], tc.access, tc.requests, tc.creating)
		}
		for _, d := range tc.detail {
			if !strings.Contains(r[6].(string), d) {
				t.Errorf("%s: detail %q lacks %q", tc.stmt, r[6], d)
			}
		}
	}
}

// TestExplainLeastTime: EXPLAIN's least wall time is the pacing's, shown as a duration; a read
// waits for no pacing.
func TestExplainLeastTime(t *testing.T) {
	gh := Estimate{Pacing: Pacing{PerMinute: 80, PerHour: 500, Interval: time.Second}}
	rows := make([]string, 200)
	for i := range rows {
		rows[i] = fmt.Sprintf("('o%d', 1)", i)
	}
	r := explainOf(t, "INSERT INTO objects (id, n) VALUES "+strings.Join(rows, ", "), gh)
	if r[4] != int64(600) {
		t.Fatalf("creating %v, want 600", r[4])
	}
	// 600 content-creating requests: 500 in the first hour (3 at once, then 1 s apart), the
	// 501st an hour after the 1st, the rest again 3 at once and 1 s apart.
	if want := (time.Hour + 97*time.Second).String(); r[5] != want {
		t.Fatalf("least_time %v, want %s", r[5], want)
	}
	if r := explainOf(t, "SELECT * FROM objects", gh); r[5] != "0s" {
		t.Fatalf("a SELECT's least_time is %v", r[5])
	}
	// With read_lag, each new row waits out the lag after its issue is made (its three writes
	// overlap the wait); an upsert's rows may all exist, so it adds nothing.
	lagged := Estimate{ReadLag: 2 * time.Second}
	if r := explainOf(t, "INSERT INTO objects (id, n) VALUES ('a', 1), ('b', 2), ('c', 3)", lagged); r[5] != "6s" {
		t.Fatalf("3 rows at read_lag 2s: least_time %v, want 6s", r[5])
	}
	if r := explainOf(t, "INSERT INTO objects (id, n) VALUES ('a', 1) ON DUPLICATE KEY UPDATE n = n + 1", lagged); r[5] != "0s" {
		t.Fatalf("an upsert at read_lag 2s: least_time %v, want 0s", r[5])
	}
}

// TestPacingLeastTime checks the pacing replay against schedules worked out by hand.
func TestPacingLeastTime(t *testing.T) {
	for _, tc := range []struct {
		p    Pacing
		n    int
		want time.Duration
	}{
		{Pacing{}, 1000, 0},
		{Pacing{Interval: time.Second}, 1, 0},
		{Pacing{Interval: time.Second}, 3, 0},                // the burst
		{Pacing{Interval: time.Second}, 10, 7 * time.Second}, // then 1 s apart
		{Pacing{Interval: time.Second, Burst: 1}, 10, 9 * time.Second},
		{Pacing{PerMinute: 80}, 80, 0},
		{Pacing{PerMinute: 80}, 81, time.Minute},
		{Pacing{PerMinute: 80}, 161, 2 * time.Minute},
		{Pacing{PerMinute: 80, PerHour: 500}, 500, 6 * time.Minute},
		{Pacing{PerMinute: 80, PerHour: 500}, 501, time.Hour},
		// write_interval 1 s keeps the minute window from binding: 62 a minute at most.
		{Pacing{PerMinute: 80, PerHour: 500, Interval: time.Second}, 500, 497 * time.Second},
		{Pacing{PerMinute: 80, PerHour: 500, Interval: time.Second}, 1001, 2 * time.Hour},
		{Pacing{PerMinute: 80, PerHour: 500, Interval: 100 * time.Millisecond}, 100, 61700 * time.Millisecond},
	} {
		if got := tc.p.LeastTime(tc.n); got != tc.want {
			t.Errorf("%+v, %d writes: %v, want %v", tc.p, tc.n, got, tc.want)
		}
	}
}
