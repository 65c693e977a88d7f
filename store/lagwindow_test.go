package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestInlineUpdateInTheLagWindow: writer W (carol) has posted its update comment and not yet
// PATCHed the body, so the closed issue's body lags its log. Writer A (acme) reads the object in
// that window, and W then settles its update before A writes. A's comment names the digest of the
// stale state it read as its base, so the fold supersedes it (DESIGN.md §3a): Update and
// UpdateObjectFunc evaluate again on the exact state and both updates hold; a conditional Put is
// refused with ErrConflict and nothing of it applies.
//
// The interleaving is forced with localgh's request hook, so it happens on every run.
func TestInlineUpdateInTheLagWindow(t *testing.T) {
	for _, via := range []string{"Update", "Get+Put", "Get+UpdateObjectFunc"} {
		t.Run(via, func(t *testing.T) {
			want := `{"n":0,"w":1,"a":1}`
			e := newEnv(t)
			obj, err := e.store("acme").Create(e.ctx, "shared", json.RawMessage(`{"n":0}`))
			check(t, err)
			issuePath := fmt.Sprintf("/repos/acme/data/issues/%d", obj.Issue)

			wAtPatch := make(chan struct{})    // W has commented and sent its PATCH
			releaseW := make(chan struct{})    // W's PATCH may go on
			wDone := make(chan struct{})       // W's update returned
			aCommenting := make(chan struct{}) // A is about to post its comment
			var wOnce, aOnce sync.Once
			e.srv.SetFault(func(c localgh.Call) localgh.Fault {
				switch {
				case c.Login == "carol" && c.Method == "PATCH" && c.Path == issuePath:
					wOnce.Do(func() {
						close(wAtPatch)
						<-releaseW
					})
				case c.Login == "acme" && c.Method == "POST" && c.Path == issuePath+"/comments":
					aOnce.Do(func() {
						close(aCommenting)
						close(releaseW)
						<-wDone
					})
				}
				return localgh.Fault{}
			})

			var wErr error
			go func() {
				defer close(wDone)
				_, wErr = e.store("carol").Update(e.ctx, "shared", json.RawMessage(`{"w":1}`))
			}()
			waitFor(t, wAtPatch, "W to reach its PATCH")

			a := e.store("acme")
			ctx, cancel := context.WithTimeout(e.ctx, time.Minute)
			defer cancel()
			switch via {
			case "Update":
				_, err = a.Update(ctx, "shared", json.RawMessage(`{"a":1}`))
			case "Get+Put":
				var read *Object
				read, err = a.Get(ctx, "shared")
				check(t, err)
				if strings.Contains(string(read.Data), `"w"`) {
					t.Fatalf("A's read already has W's update (%s): the window was missed", read.Data)
				}
				// A conditional Put based on a state W's update has since changed is refused,
				// and nothing of it is applied.
				_, _, err = a.Put(ctx, read, json.RawMessage(`{"n":0,"a":1}`))
				if !errors.Is(err, ErrConflict) {
					t.Fatalf("Put on a stale base: err = %v, want ErrConflict", err)
				}
				err = nil
				want = `{"n":0,"w":1}`
			case "Get+UpdateObjectFunc":
				var read *Object
				read, err = a.Get(ctx, "shared")
				check(t, err)
				_, _, err = a.UpdateObjectFunc(ctx, read, func(cur *Object) (json.RawMessage, error) {
					v, _ := parseObject(cur.Data)
					v.set("a", &value{raw: []byte("1")})
					return v.compact(), nil
				})
			}
			check(t, err)
			waitFor(t, aCommenting, "A to comment")
			<-wDone
			check(t, wErr)

			got, err := e.store("carol").Get(e.ctx, "shared")
			check(t, err)
			if !jsonEqual(got.Data, []byte(want)) {
				t.Fatalf("after both updates the object is %s: an update was lost", got.Data)
			}
		})
	}
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("timed out waiting for %s", what)
	}
}
