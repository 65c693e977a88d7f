package driver

import (
	"testing"
)

// TestMirrorDirDSN: mirror_dir reaches the store: a second Connector on the same directory starts
// from the saved mirror, so its first SELECT of an open object lists the issues (1 request) and
// does not read that object's log again. mirror_dir without cache=mirror is refused.
func TestMirrorDirDSN(t *testing.T) {
	dir := t.TempDir()
	e := openServed(t, "&cache=mirror&mirror_dir="+dir, nil)
	mustExec(t, e.db, `INSERT INTO objects (id, n) VALUES ('a', 1)`)
	async, _ := openDSN(t, e.dsn+"&apply=async")
	mustExec(t, async, `UPDATE objects SET n = 2 WHERE id = 'a'`) // a is open: pending
	if got := int1(t, e.db, `SELECT n FROM objects WHERE id = 'a'`); got != 2 {
		t.Fatalf("n = %d", got)
	}
	second, c2 := openDSN(t, e.dsn)
	// The Connector's one-time set-up (Ping, the token's login), outside the figure.
	if err := second.Ping(); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Store().Login(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequests()
	if got := int1(t, second, `SELECT n FROM objects WHERE id = 'a'`); got != 2 {
		t.Fatalf("the second Connector reads n = %d", got)
	}
	if n := len(e.srv.Requests()); n != 1 {
		t.Fatalf("the second Connector's first SELECT sent %d requests, want 1 (the listing): %v", n, e.srv.Requests())
	}
	if _, err := ParseDSN("acme/r?mirror_dir=" + dir); err == nil {
		t.Fatal("mirror_dir without cache=mirror was accepted")
	}
}
