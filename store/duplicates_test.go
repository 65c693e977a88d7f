package store

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestDeleteArchivesDuplicates: a Create that loses to an existing object and then cannot archive
// its own issue (the token refused from then on) leaves a second live issue of the id. Readers use
// the oldest, so it stays hidden; every way of deleting the object must archive it too, or the
// unacknowledged data would surface as the object after an acknowledged delete (found by the
// reliability suite's long run).
func TestDeleteArchivesDuplicates(t *testing.T) {
	ways := map[string]func(e *env, s *Store, id string) error{
		"Delete": func(e *env, s *Store, id string) error { return s.Delete(e.ctx, id) },
		"DeleteObject after Get": func(e *env, s *Store, id string) error {
			o, err := s.Get(e.ctx, id)
			if err != nil {
				return err
			}
			return s.DeleteObject(e.ctx, o)
		},
		"DeleteObject after List": func(e *env, s *Store, id string) error {
			var objs []*Object
			for o, err := range s.List(e.ctx, ListOptions{}) {
				if err != nil {
					return err
				}
				objs = append(objs, o)
			}
			for _, o := range objs {
				if strings.EqualFold(o.ID, id) {
					return s.DeleteObject(e.ctx, o)
				}
			}
			return errors.New("not listed")
		},
	}
	for name, del := range ways {
		for _, mirrored := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "", true: "/mirror"}[mirrored], func(t *testing.T) {
				e := newEnv(t)
				s := e.store("acme", Options{Login: "acme", Mirror: mirrored})
				_, err := s.Create(e.ctx, "d", json.RawMessage(`{"v":"acknowledged"}`))
				check(t, err)

				// A second Create of "d": its duplicate check finds the object, and its archiving
				// PATCH is refused.
				var mu sync.Mutex
				created := false
				e.srv.SetFault(func(c localgh.Call) localgh.Fault {
					mu.Lock()
					defer mu.Unlock()
					if c.Method == "POST" && c.Path == "/repos/acme/data/issues" {
						created = true
					} else if created && c.Method == "PATCH" {
						return localgh.Fault{Status: 401}
					}
					return localgh.Fault{}
				})
				_, err = e.store("acme", Options{Login: "acme"}).Create(e.ctx, "d", json.RawMessage(`{"v":"never acknowledged"}`))
				e.srv.SetFault(nil)
				if !errors.Is(err, ErrDuplicateKey) {
					t.Fatalf("second Create: %v, want ErrDuplicateKey", err)
				}
				if o, err := e.store("carol").Get(e.ctx, "d"); err != nil || !strings.Contains(string(o.Data), `"acknowledged"`) {
					t.Fatalf("before the delete: %v %v", o, err)
				}

				check(t, del(e, s, "d"))
				if o, err := e.store("carol").Get(e.ctx, "d"); !errors.Is(err, ErrNotFound) {
					t.Fatalf("after the delete the duplicate surfaced: %s %v\n%s", o.Data, err, e.requestLog())
				}
				for _, iss := range allIssues(t, e) {
					if _, live := objectID(labelNames(iss)); live {
						t.Errorf("issue #%d is still live", iss.GetNumber())
					}
				}
			})
		}
	}
}
