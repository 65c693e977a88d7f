package store

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestSilentlyDroppedBodyIsAnError: GitHub has been seen to answer 200 to a body PATCH and keep the
// old body (localgh.Realism.SilentBodyBytes). The update is not acknowledged as settled: the error
// says so, the issue is left open, and every reader folds the log, which holds the update.
func TestSilentlyDroppedBodyIsAnError(t *testing.T) {
	t.Parallel()
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1,
		Realism: localgh.Realism{SilentBodyBytes: 200}})
	check(t, err)
	t.Cleanup(func() { srv.Close() })
	check(t, srv.AddUser("acme", tokenOf("acme")))
	check(t, srv.CreateRepo("acme", "data", false))
	e := &env{t: t, srv: srv, ctx: t.Context()}
	s := e.store("acme")
	obj, err := s.Create(e.ctx, "big", json.RawMessage(`{"n":1}`))
	check(t, err)
	long := `{"text":"` + strings.Repeat("x", 300) + `"}`
	if _, err := s.Update(e.ctx, "big", json.RawMessage(long)); err == nil {
		t.Fatal("an update whose body PATCH was silently dropped reported success")
	}
	iss, _, err := e.client("acme").Issues.Get(e.ctx, "acme", "data", obj.Issue)
	check(t, err)
	if iss.GetState() != "open" {
		t.Fatalf("issue is %s with body %s; want it left open", iss.GetState(), iss.GetBody())
	}
	got, err := e.store("acme").Get(e.ctx, "big")
	check(t, err)
	if !strings.Contains(string(got.Data), strings.Repeat("x", 300)) {
		t.Fatalf("a reader does not see the update in the log: %s", got.Data)
	}
}
