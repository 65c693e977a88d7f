package benchmarks

import (
	"context"
	"net/http"
	"testing"
)

// TestSetupOncePerConnector: the Connector's set-up requests, which DESIGN.md §6 leaves outside
// the per-operation figures (GET /user, and Ping's GET /repos/{o}/{r}), are sent at most once per
// Connector, however many connections and statements use it.
func TestSetupOncePerConnector(t *testing.T) {
	e := newEnv(t, serverOptions())
	e.seed(0, 5)
	ctx := context.Background()
	db, _ := e.open() // Ping and GET /user done here
	db.SetMaxIdleConns(0)
	got := e.measure(func() {
		for i := range 3 {
			must(t, db.PingContext(ctx))
			rowsOf(t, db, sqlGet, objectID(i))
			exec(t, db, sqlInsert, objectID(100+i), string(objectData(i)))
			exec(t, db, sqlUpdate, i, objectID(100+i))
		}
		rowsOf(t, db, sqlScan)
	})
	for _, r := range got.Log {
		if r.Method == http.MethodGet && (r.Path == "/user" || r.Path == "/repos/"+owner+"/"+repo) {
			t.Errorf("set-up request sent again by a Connector that had done its set-up:%s", got.logLines())
			break
		}
	}
}
