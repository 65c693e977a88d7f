package store

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// UpdateSnapshot reads only what changed: with one controlled clock for localgh and the Store, the
// snapshot is taken a second after the objects were written, so its snapshot_time is older than
// nothing in the repository; after changes to three objects (update, delete, create) at a later
// second, UpdateSnapshot's lists carry since=snapshot_time and their answers hold only the changed
// issues, and the file it writes is byte for byte the one a fresh Snapshot writes.
func TestUpdateSnapshotReadsOnlyWhatChanged(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	e := newEnvAt(t, clk.Now)
	rec := &listed{next: e.srv.Transport()}
	s, err := New(e.via(tokenOf("acme"), rec, Options{Owner: "acme", Repo: "data", Login: "acme", Clock: clk}))
	check(t, err)
	const m = 20
	ids := []string{}
	for i := 0; i < m; i++ {
		id := string(rune('a'+i%26)) + itoaTest(i)
		ids = append(ids, id)
		_, err := s.Create(e.ctx, id, json.RawMessage(`{"i":`+itoaTest(i)+`}`))
		check(t, err)
	}
	// A stranger's object and an async (open) object are in the repository too.
	_, err = e.store("mallory").Create(e.ctx, "intruder", json.RawMessage(`{}`))
	check(t, err)

	clk.Advance(time.Second)
	var buf bytes.Buffer
	check(t, s.Snapshot(e.ctx, &buf))
	snapTime := clk.Now().UTC().Format(time.RFC3339)
	path := filepath.Join(t.TempDir(), "snap.json")
	check(t, os.WriteFile(path, buf.Bytes(), 0o644))

	clk.Advance(time.Minute)
	updated, deleted := ids[3], ids[7]
	_, err = s.Update(e.ctx, updated, json.RawMessage(`{"v":2}`))
	check(t, err)
	check(t, s.Delete(e.ctx, deleted))
	created, err := s.Create(e.ctx, "zz-new", json.RawMessage(`{"new":true}`))
	check(t, err)
	as := e.store("acme", Options{Login: "acme", Async: true, Clock: clk})
	pendingID := ids[11]
	_, err = as.Update(e.ctx, pendingID, json.RawMessage(`{"pending":true}`))
	check(t, err)
	clk.Advance(time.Minute)

	rec.take()
	c := e.measure(func() { check(t, s.UpdateSnapshot(e.ctx, path)) })
	pages := rec.take()
	t.Logf("UpdateSnapshot after 4 changes among %d objects: %+v", m, c)
	var fetched []int
	for _, p := range pages {
		q, err := url.ParseQuery(p.query)
		check(t, err)
		if q.Get("since") != snapTime {
			t.Fatalf("list %q: want since=%s", p.query, snapTime)
		}
		fetched = append(fetched, p.numbers...)
	}
	sort.Ints(fetched)
	obj := func(id string) int {
		o, err := s.Get(e.ctx, id)
		if err != nil {
			return -1
		}
		return o.Issue
	}
	want := []int{obj(updated), obj(ids[11]), created.Issue}
	// The deleted object's issue is in the archived list (and only there).
	want = append(want, 8) // ids[7] was the 8th issue created
	sort.Ints(want)
	if len(fetched) != len(want) {
		t.Fatalf("the lists fetched issues %v, want only the changed %v\n%s", fetched, want, e.requestLog())
	}
	for i := range want {
		if fetched[i] != want[i] {
			t.Fatalf("the lists fetched issues %v, want only the changed %v", fetched, want)
		}
	}
	// Live list (1 page) + the pending object's comments + archived list (1 page).
	if c.requests != 3 {
		t.Fatalf("UpdateSnapshot cost %+v, want 3\n%s", c, e.requestLog())
	}

	up, err := os.ReadFile(path)
	check(t, err)
	var fresh bytes.Buffer
	check(t, s.Snapshot(e.ctx, &fresh))
	if !bytes.Equal(up, fresh.Bytes()) {
		t.Fatalf("updated snapshot:\n%s\nfresh snapshot:\n%s", up, fresh.Bytes())
	}
}
