package driver

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ghstore/ghstore/store"
)

// TestOneIDKey (DESIGN.md §3c): ids are one object exactly when simple case folding
// (strings.EqualFold) says so, and every statement touches exactly the objects the one key names:
// INSERT's duplicate check, a point SELECT, IN, a scan, COUNT, UPDATE and DELETE, on every backend
// (the mirror too).
func TestOneIDKey(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"İ", "i", false}, // dotted capital I is no case of i
		{"σ", "ς", true},
		{"σ", "Σ", true},
		{"s", "ſ", true}, // long s
		{"K", "K", true}, // Kelvin sign
		{"ß", "SS", false},
	}
	forEachBackend(t, func(t *testing.T, e *env) {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%s", c.a, c.b), func(t *testing.T) {
				// A prefix per case keeps the cases apart in one repository.
				pa, pb := "k"+c.a+"-"+fmt.Sprint(len(c.a)), "k"+c.b+"-"+fmt.Sprint(len(c.a))
				mustExec(t, e.db, `INSERT INTO objects (id, v) VALUES (?, 'a')`, pa)
				_, err := e.db.Exec(`INSERT INTO objects (id, v) VALUES (?, 'b')`, pb)
				if c.same != errors.Is(err, store.ErrDuplicateKey) {
					t.Fatalf("INSERT %q after %q: err %v; want a duplicate-key error: %v", pb, pa, err, c.same)
				}
				wantB := 1 // objects named by pb
				wantBoth := 2
				if c.same {
					wantBoth = 1
				}
				if got := len(strings1(t, e.db, `SELECT id FROM objects WHERE id = ?`, pb)); got != wantB {
					t.Errorf("SELECT id = %q: %d rows, want %d", pb, got, wantB)
				}
				if got := int1(t, e.db, `SELECT COUNT(*) FROM objects WHERE id IN (?, ?)`, pa, pb); got != int64(wantBoth) {
					t.Errorf("COUNT id IN (%q, %q) = %d, want %d", pa, pb, got, wantBoth)
				}
				if got := int1(t, e.db, `SELECT COUNT(*) FROM objects WHERE id = ? OR id = ? OR v = 'none'`, pa, pb); got != int64(wantBoth) {
					t.Errorf("scan COUNT of %q or %q = %d, want %d", pa, pb, got, wantBoth)
				}
				res := mustExec(t, e.db, `UPDATE objects SET n = 1 WHERE id = ?`, pb)
				if got := affected(t, res); got != 1 {
					t.Errorf("UPDATE id = %q: %d rows, want 1 (one comment)", pb, got)
				}
				if got := int1(t, e.db, `SELECT COUNT(*) FROM objects WHERE id = ? AND n = 1`, pa); got != map[bool]int64{true: 1, false: 0}[c.same] {
					t.Errorf("after UPDATE of %q, %q has n = 1: %d, want same %v", pb, pa, got, c.same)
				}
				res = mustExec(t, e.db, `DELETE FROM objects WHERE id = ?`, pb)
				if got := affected(t, res); got != 1 {
					t.Errorf("DELETE id = %q: %d rows, want 1", pb, got)
				}
				left := int1(t, e.db, `SELECT COUNT(*) FROM objects WHERE id = ?`, pa)
				if want := map[bool]int64{true: 0, false: 1}[c.same]; left != want {
					t.Errorf("after DELETE of %q, %q is there %d times, want %d", pb, pa, left, want)
				}
			})
		}
	})
}
