package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func TestListCostAndDuplicates(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	const m = 150
	for i := 0; i < m; i++ {
		_, err := s.Create(e.ctx, fmt.Sprintf("o%03d", i), json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)))
		check(t, err)
	}
	async := e.store("acme", Options{Login: "acme", Async: true})
	for _, id := range []string{"o007", "o140"} {
		_, err := async.Update(e.ctx, id, json.RawMessage(`{"pending":true}`))
		check(t, err)
	}
	r := e.store("carol")
	scan := func() (n, pending int) {
		for o, err := range r.List(e.ctx, ListOptions{}) {
			check(t, err)
			n++
			pending += o.Pending
		}
		return
	}
	var n, pending int
	c := e.measure(func() { n, pending = scan() })
	t.Logf("scan of M=%d, P=2: %+v", m, c)
	if n != m || pending != 2 || c.requests != 2+2 {
		t.Fatalf("scan: %d objects, %d pending, cost %+v\n%s", n, pending, c, e.requestLog())
	}
	c = e.measure(func() { scan() })
	if c.counted != 0 {
		t.Fatalf("unchanged rescan counted %+v", c)
	}
	// Limit stops early: one page.
	c = e.measure(func() {
		k := 0
		for _, err := range r.List(e.ctx, ListOptions{Limit: 3}) {
			check(t, err)
			k++
		}
		if k != 3 {
			t.Fatalf("limit: %d", k)
		}
	})
	if c.requests != 1 {
		t.Fatalf("limit cost %+v", c)
	}
	// A consumer that stops early.
	for range r.List(e.ctx, ListOptions{}) {
		break
	}
	// GetMany keeps order and leaves out the missing.
	got, err := r.GetMany(e.ctx, []string{"o010", "missing", "o003"})
	check(t, err)
	if len(got) != 2 || got[0].ID != "o010" || got[1].ID != "o003" {
		t.Fatalf("GetMany %+v", got)
	}
}

func TestSnapshotAndUpdate(t *testing.T) {
	e := newEnv(t)
	s := e.store("acme", Options{Login: "acme"})
	for _, id := range []string{"a", "b", "c"} {
		_, err := s.Create(e.ctx, id, json.RawMessage(`{"id":"`+id+`","big":9007199254740993}`))
		check(t, err)
	}
	var buf bytes.Buffer
	check(t, s.Snapshot(e.ctx, &buf))
	snap := buf.Bytes()
	if !json.Valid(snap) || gjson.GetBytes(snap, "repository").String() != "acme/data" {
		t.Fatalf("snapshot:\n%s", snap)
	}
	a := gjson.GetBytes(snap, "objects.a")
	if a.Get("data.big").Raw != "9007199254740993" || a.Get("meta.issue_number").Int() != 1 ||
		a.Get("meta.object_id").String() != "a" || a.Get("meta.version").Int() != 1 ||
		!a.Get("meta.created_at").Exists() || !a.Get("meta.updated_at").Exists() {
		t.Fatalf("object a: %s", a.Raw)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	// Backdate snapshot_time so that the server's whole-second updated_at compares after it.
	old := bytes.Replace(snap, []byte(gjson.GetBytes(snap, "snapshot_time").String()), []byte(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)), 1)
	check(t, os.WriteFile(path, old, 0o644))

	_, err := s.Update(e.ctx, "a", json.RawMessage(`{"v":2}`))
	check(t, err)
	check(t, s.Delete(e.ctx, "b"))
	_, err = s.Create(e.ctx, "d", json.RawMessage(`{"new":true}`))
	check(t, err)
	check(t, s.UpdateSnapshot(e.ctx, path))
	up, err := os.ReadFile(path)
	check(t, err)
	objs := gjson.GetBytes(up, "objects")
	if objs.Get("b").Exists() || !objs.Get("c").Exists() || !objs.Get("d.data.new").Bool() ||
		objs.Get("a.data.v").Int() != 2 || objs.Get("a.meta.version").Int() != 2 {
		t.Fatalf("updated snapshot:\n%s", up)
	}
	if gjson.GetBytes(up, "snapshot_time").String() == gjson.GetBytes(old, "snapshot_time").String() {
		t.Fatal("snapshot_time not moved")
	}
}
