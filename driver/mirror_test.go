package driver

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestMirrorCosts: with cache=mirror, once the mirror is loaded every statement that reads costs
// one request answered 304 (0 counted) however large the store (DESIGN.md §6, issue "Request
// cost"), and a change made through another *sql.DB is seen by the next statement.
//
// The server's clock moves a second per request, as real writes are spread by GitHub's limit of 80
// a minute: the mirror's refresh lists what changed since the newest second it saw, and 250
// creations in one second would all be "changed since" it (a limit the mirror documents).
func TestMirrorCosts(t *testing.T) {
	var mu sync.Mutex
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	e := openServed(t, "&cache=mirror", func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(time.Second)
		return at
	})
	var b strings.Builder
	b.WriteString(`INSERT INTO objects (id, n) VALUES `)
	for i := range 250 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "('o%03d', %d)", i, i)
	}
	mustExec(t, e.db, b.String())
	if got := strings1(t, e.db, `SELECT id FROM objects WHERE n < 2 ORDER BY id`); strings.Join(got, ",") != "o000,o001" {
		t.Fatalf("first scan = %v", got)
	}

	for _, q := range []string{
		`SELECT id FROM objects WHERE id = 'o007'`,
		`SELECT id FROM objects WHERE id IN ('o001', 'o002', 'o003', 'o004', 'o249')`,
		`SELECT id FROM objects WHERE n >= 248`,
		`SELECT COUNT(*) FROM objects`,
	} {
		e.srv.ResetRequests()
		rows := strings1(t, e.db, q)
		if len(rows) == 0 {
			t.Errorf("%s: no rows", q)
		}
		reqs := e.srv.Requests()
		if len(reqs) != 1 || reqs[0].Counted || reqs[0].Status != 304 {
			t.Errorf("%s on an unchanged store of 250: %s, want 1 request answered 304", q, describe(reqs))
		}
	}

	// Another client (its own Connector, no mirror) changes an object; the next statement sees it.
	other, _ := openDSN(t, strings.Replace(e.dsn, "&cache=mirror", "", 1))
	mustExec(t, other, `UPDATE objects SET n = 1000 WHERE id = 'o005'`)
	mustExec(t, other, `DELETE FROM objects WHERE id = 'o006'`)
	e.srv.ResetRequests()
	if got := strings1(t, e.db, `SELECT id FROM objects WHERE n >= 249 ORDER BY id`); strings.Join(got, ",") != "o005,o249" {
		t.Errorf("after another client's update: %v, want o005,o249", got)
	}
	if n := int1(t, e.db, `SELECT COUNT(*) FROM objects`); n != 249 {
		t.Errorf("after another client's delete: COUNT(*) = %d, want 249", n)
	}
	counted := 0
	for _, r := range e.srv.Requests() {
		if r.Counted {
			counted++
		}
	}
	if counted > 2 {
		t.Errorf("seeing 2 changes in a store of 250 cost %d counted requests: %s", counted, describe(e.srv.Requests()))
	}
}

func describe(reqs []localgh.Request) string {
	var parts []string
	for _, r := range reqs {
		parts = append(parts, fmt.Sprintf("%s %s?%s → %d", r.Method, r.Path, r.Query, r.Status))
	}
	return fmt.Sprintf("%d requests [%s]", len(reqs), strings.Join(parts, "; "))
}
