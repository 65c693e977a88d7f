package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/clock"
)

// fillAt creates m objects o000… with acme, the server's clock one second further for each, so
// that their updated_at differ as they would on GitHub (whose secondary limit allows about 80
// creations a minute).
func fillAt(t *testing.T, e *env, clk *clock.Fake, m int) {
	t.Helper()
	w := e.store("acme", Options{Login: "acme"})
	for i := 0; i < m; i++ {
		_, err := w.Create(e.ctx, fmt.Sprintf("o%03d", i), json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)))
		check(t, err)
		clk.Advance(time.Second)
	}
}

func (c cost) only304() bool { return c.requests == 1 && c.conditional == 1 && c.counted == 0 }

// The first read loads every object (ceil(M/100) pages, then the list at the moved since, so that
// the next read can be answered 304); every later read of an unchanged repository, however large,
// costs exactly one request answered 304.
func TestMirrorUnchangedCostsOne304(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	e := newEnvAt(t, clk.Now)
	const m = 250
	fillAt(t, e, clk, m)
	r := e.store("carol", Options{Mirror: true})

	var obj *Object
	var err error
	c := e.measure(func() { obj, err = r.Get(e.ctx, "o042"); check(t, err) })
	t.Logf("first read, M=%d: %+v", m, c)
	if c.requests != (m+99)/100+1 || string(obj.Data) != `{"i":42}` {
		t.Fatalf("first read %+v %s\n%s", c, obj.Data, e.requestLog())
	}
	for i := 0; i < 3; i++ {
		clk.Advance(time.Minute)
		c = e.measure(func() { obj, err = r.Get(e.ctx, "o199"); check(t, err) })
		if !c.only304() || string(obj.Data) != `{"i":199}` {
			t.Fatalf("unchanged Get %+v\n%s", c, e.requestLog())
		}
		c = e.measure(func() {
			got, err := r.GetMany(e.ctx, []string{"o001", "nope", "o249"})
			check(t, err)
			if len(got) != 2 || got[0].ID != "o001" || got[1].ID != "o249" {
				t.Fatalf("GetMany %v", got)
			}
		})
		if !c.only304() {
			t.Fatalf("unchanged GetMany %+v\n%s", c, e.requestLog())
		}
		c = e.measure(func() {
			n := 0
			for o, err := range r.List(e.ctx, ListOptions{}) {
				check(t, err)
				if o.ID != fmt.Sprintf("o%03d", n) {
					t.Fatalf("List order: %s at %d", o.ID, n)
				}
				n++
			}
			if n != m {
				t.Fatalf("List: %d objects", n)
			}
		})
		if !c.only304() {
			t.Fatalf("unchanged List %+v\n%s", c, e.requestLog())
		}
		if _, err := r.Get(e.ctx, "missing"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing: %v", err)
		}
	}
	t.Logf("unchanged read (Get, GetMany, List) of M=%d: %+v", m, c)

	// A change by another Store: the next read sees it for one counted request, the one after is a 304.
	w := e.store("acme", Options{Login: "acme"})
	_, err = w.Update(e.ctx, "o003", json.RawMessage(`{"v":2}`))
	check(t, err)
	c = e.measure(func() { obj, err = r.Get(e.ctx, "o003"); check(t, err) })
	if c.requests != 1 || c.counted != 1 || string(obj.Data) != `{"i":3,"v":2}` || obj.Pending != 0 {
		t.Fatalf("read after a change %+v %s\n%s", c, obj.Data, e.requestLog())
	}
	c = e.measure(func() { obj, err = r.Get(e.ctx, "o003"); check(t, err) })
	if !c.only304() {
		t.Fatalf("read after the change was seen %+v\n%s", c, e.requestLog())
	}
}

// sameAsList checks that the mirrored Store reads what a direct List reads.
func sameAsList(t *testing.T, e *env, mirrored *Store) {
	t.Helper()
	direct := e.store("carol")
	type row struct {
		ID, Data       string
		Issue, Pending int
		Err            bool
	}
	read := func(s *Store) []row {
		var out []row
		for o, err := range s.List(e.ctx, ListOptions{}) {
			if err != nil {
				out = append(out, row{Err: true})
				continue
			}
			out = append(out, row{o.ID, string(o.Data), o.Issue, o.Pending, false})
		}
		return out
	}
	got, want := read(mirrored), read(direct)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("mirror reads\n%v\nList reads\n%v", got, want)
	}
}

// Changes by others (create, update inline and async, delete, a stranger's comment and issue, a
// duplicate) are seen at the next read, and the mirror always reads as List does.
func TestMirrorSeesOthersChanges(t *testing.T) {
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	for _, id := range []string{"a", "b", "c"} {
		_, err := w.Create(e.ctx, id, json.RawMessage(`{"id":"`+id+`"}`))
		check(t, err)
	}
	r := e.store("carol", Options{Mirror: true})
	sameAsList(t, e, r)
	get := func(id string) (*Object, error) { return r.Get(e.ctx, id) }

	_, err := w.Create(e.ctx, "d", json.RawMessage(`{"new":1}`))
	check(t, err)
	if o, err := get("d"); err != nil || string(o.Data) != `{"new":1}` {
		t.Fatalf("created elsewhere: %v %v", o, err)
	}
	_, err = w.Update(e.ctx, "a", json.RawMessage(`{"x":1}`))
	check(t, err)
	if o, _ := get("a"); string(o.Data) != `{"id":"a","x":1}` {
		t.Fatalf("updated elsewhere: %s", o.Data)
	}
	as := e.store("acme", Options{Login: "acme", Async: true})
	_, err = as.Update(e.ctx, "b", json.RawMessage(`{"p":1}`))
	check(t, err)
	c := e.measure(func() {
		o, err := get("b")
		check(t, err)
		if string(o.Data) != `{"id":"b","p":1}` || o.Pending != 1 {
			t.Fatalf("async elsewhere: %s pending %d", o.Data, o.Pending)
		}
	})
	if c.requests != 2 {
		t.Fatalf("an open issue changed: %+v, want the list and its comments\n%s", c, e.requestLog())
	}
	c = e.measure(func() { get("b") })
	if !c.only304() {
		t.Fatalf("an unchanged open issue is not folded again: %+v\n%s", c, e.requestLog())
	}
	// A stranger's comment on the open object: seen (the issue moved), ignored (untrusted).
	gh := e.client("mallory")
	_, _, err = gh.Issues.CreateComment(e.ctx, "acme", "data", 2, &github.IssueComment{Body: github.String(`{"_data":{"p":666}}`)})
	check(t, err)
	if o, _ := get("b"); string(o.Data) != `{"id":"b","p":1}` {
		t.Fatalf("a stranger's comment counted: %s", o.Data)
	}
	sameAsList(t, e, r)
	_, err = w.Process(e.ctx, 2)
	check(t, err)
	if o, _ := get("b"); o.Pending != 0 || string(o.Data) != `{"id":"b","p":1}` {
		t.Fatalf("processed elsewhere: %s pending %d", o.Data, o.Pending)
	}
	// A stranger's issue with an object's labels is no object; nor does it hide one.
	_, err = e.store("mallory").Create(e.ctx, "e", json.RawMessage(`{"evil":true}`))
	check(t, err)
	if _, err := get("e"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a stranger's object: %v", err)
	}
	// A duplicate of "C" by a trusted author (as a racing gh-store might leave): the oldest wins.
	title, body, labels := "Stored Object: C", "{\n  \"dup\": true\n}", liveLabels("C")
	_, _, err = e.client("acme").Issues.Create(e.ctx, "acme", "data", &github.IssueRequest{Title: &title, Body: &body, Labels: &labels})
	check(t, err)
	if o, _ := get("c"); string(o.Data) != `{"id":"c"}` {
		t.Fatalf("the duplicate won: %s", o.Data)
	}
	sameAsList(t, e, r)
	// Deleted elsewhere: the delete archives the duplicate with the oldest, so both are evicted
	// and the duplicate never surfaces as the object.
	check(t, w.Delete(e.ctx, "c"))
	if o, err := get("c"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after deleting an object that had a duplicate: %v %v", o, err)
	}
	check(t, w.Delete(e.ctx, "d"))
	if _, err := get("d"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted elsewhere: %v", err)
	}
	sameAsList(t, e, r)
}

// An object whose closed body was edited into non-JSON reads as ErrCorrupt naming its issue, as
// Get and List read it without the mirror; the other objects read on.
func TestMirrorCorruptObject(t *testing.T) {
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	for _, id := range []string{"a", "b"} {
		_, err := w.Create(e.ctx, id, json.RawMessage(`{}`))
		check(t, err)
	}
	r := e.store("carol", Options{Mirror: true})
	refresh(t, r, e)
	body := "not json"
	_, _, err := e.client("acme").Issues.Edit(e.ctx, "acme", "data", 1, &github.IssueRequest{Body: &body})
	check(t, err)
	if _, err := r.Get(e.ctx, "a"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "#1") {
		t.Fatalf("corrupt: %v", err)
	}
	if _, err := r.Get(e.ctx, "b"); err != nil {
		t.Fatal(err)
	}
	sameAsList(t, e, r)
}
