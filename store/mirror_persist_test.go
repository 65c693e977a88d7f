package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/ghstore/ghstore/internal/clock"
)

// mirrorRows lists a Store's objects as "id version data" lines, and what the listing cost.
func mirrorRows(t *testing.T, e *env, s *Store) ([]string, cost) {
	t.Helper()
	var rows []string
	c := e.measure(func() {
		for o, err := range s.List(e.ctx, ListOptions{}) {
			check(t, err)
			rows = append(rows, fmt.Sprintf("%s %d %s", o.ID, o.Version, o.Data))
		}
	})
	return rows, c
}

// TestMirrorDirRestart: a mirror saved to a directory and loaded by a new Store (a new process:
// its own transport, so no ETag of the old one) pays one request for an unchanged repository, and
// one page for a few changes made while it was away (an update, a deletion, a creation, a
// stranger's comment), where a cold mirror pays ceil(M/100) + 1; what it then holds is what a
// cold mirror reads.
func TestMirrorDirRestart(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	e := newEnvAt(t, clk.Now)
	const m = 250
	fillAt(t, e, clk, m)
	dir := t.TempDir()
	opts := Options{Mirror: true, Login: "carol"}

	a := e.store("carol", opts)
	before, c := mirrorRows(t, e, a)
	if len(before) != m || c.requests != (m+99)/100+1 {
		t.Fatalf("cold load: %d objects, %+v", len(before), c)
	}
	check(t, a.impl.mirror.save(dir))

	// Restart, nothing changed: the walk at the saved since, answered 200 (a new token would
	// make any old ETag useless), lists the issues of that one second.
	clk.Advance(time.Minute)
	b := e.store("carol", opts)
	loaded, err := b.impl.mirror.load(dir)
	if err != nil || !loaded {
		t.Fatalf("load: %v, %v", loaded, err)
	}
	got, c := mirrorRows(t, e, b)
	if c.requests != 1 || strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Fatalf("restart without changes: %+v, %d objects (want 1 request, the same %d)\n%s", c, len(got), m, e.requestLog())
	}

	// Changes while the mirror was away.
	clk.Advance(time.Minute)
	w := e.store("acme", Options{Login: "acme"})
	_, err = w.Update(e.ctx, "o010", json.RawMessage(`{"v":2}`))
	check(t, err)
	check(t, w.Delete(e.ctx, "o020"))
	_, err = w.Create(e.ctx, "new1", json.RawMessage(`{"new":true}`))
	check(t, err)
	o30, err := w.Get(e.ctx, "o030")
	check(t, err)
	body := `{"_data":{"i":-1}}`
	_, _, err = e.client("mallory").Issues.CreateComment(e.ctx, "acme", "data", o30.Issue, &github.IssueComment{Body: &body})
	check(t, err)
	clk.Advance(time.Minute)

	d := e.store("carol", opts)
	if loaded, err := d.impl.mirror.load(dir); err != nil || !loaded {
		t.Fatalf("load: %v, %v", loaded, err)
	}
	warm, c := mirrorRows(t, e, d)
	if c.requests != 1 {
		t.Errorf("restart after 4 changes: %+v, want 1 request (one page of changes)\n%s", c, e.requestLog())
	}
	cold, _ := mirrorRows(t, e, e.store("carol", opts))
	if strings.Join(warm, "\n") != strings.Join(cold, "\n") {
		t.Fatalf("the warm mirror holds\n%s\nwhere a cold one reads\n%s", strings.Join(warm, "\n"), strings.Join(cold, "\n"))
	}
	// (A closed object's version is its comment count, which the stranger's comment raised; its
	// data ignores the stranger.)
	joined := strings.Join(warm, "\n")
	if strings.Contains(joined, "o020 ") || !strings.Contains(joined, `new1 1 {"new":true}`) ||
		!strings.Contains(joined, `o010 2 {"i":10,"v":2}`) || !strings.Contains(joined, `o030 2 {"i":30}`) {
		t.Fatalf("the warm mirror missed a change:\n%s", joined)
	}
}

// TestMirrorDirIgnoresWhatIsNotItsMirror: a missing file loads nothing; a file of another
// repository, of other trust settings, of another format, or not JSON at all is ignored with a
// reason, and the mirror stays empty (a read then loads it from GitHub).
func TestMirrorDirIgnoresWhatIsNotItsMirror(t *testing.T) {
	e := newEnv(t)
	w := e.store("acme", Options{Login: "acme"})
	for i := range 3 {
		_, err := w.Create(e.ctx, fmt.Sprintf("o%d", i), json.RawMessage(`{}`))
		check(t, err)
	}
	dir := t.TempDir()
	s := e.store("carol", Options{Mirror: true, Login: "carol"})
	if loaded, err := s.impl.mirror.load(dir); loaded || err != nil {
		t.Fatalf("no file: %v, %v", loaded, err)
	}
	_, _ = mirrorRows(t, e, s)
	check(t, s.impl.mirror.save(dir))
	path := s.impl.mirrorFileName(dir)
	good, err := os.ReadFile(path)
	check(t, err)

	edit := func(from, to string) []byte { return []byte(strings.Replace(string(good), from, to, 1)) }
	tests := []struct {
		name string
		file []byte
		opts Options
	}{
		{"another repository", edit(`"repository":"acme/data"`, `"repository":"acme/other"`), Options{Login: "carol"}},
		{"another server", edit(`"server":"http://localgh.test/"`, `"server":"https://api.github.com/"`), Options{Login: "carol"}},
		{"other trusted logins", good, Options{Login: "carol", Trusted: []string{"mallory"}}},
		{"another login", good, Options{Login: "acme"}},
		{"another format", edit(mirrorFileFormat, "ghstore-mirror/0"), Options{Login: "carol"}},
		{"not JSON", good[:len(good)/2], Options{Login: "carol"}},
		{"a live issue without its object", edit(`"object":{`, `"no_object":{`), Options{Login: "carol"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "m")
			check(t, os.MkdirAll(d, 0o755))
			check(t, os.WriteFile(filepath.Join(d, filepath.Base(path)), tt.file, 0o644))
			tt.opts.Mirror = true
			r := e.store("carol", tt.opts)
			loaded, err := r.impl.mirror.load(d)
			if loaded || !errors.Is(err, errMirrorFileIgnored) {
				t.Fatalf("load = %v, %v; want it ignored", loaded, err)
			}
			if n := len(r.impl.mirror.issues); n != 0 {
				t.Fatalf("an ignored file left %d issues in the mirror", n)
			}
		})
	}
	// The good file loads, and is written atomically: no temporary file is left behind.
	r := e.store("carol", Options{Mirror: true, Login: "carol"})
	if loaded, err := r.impl.mirror.load(dir); !loaded || err != nil {
		t.Fatalf("the mirror's own file: %v, %v", loaded, err)
	}
	left, err := filepath.Glob(filepath.Join(dir, ".mirror-*"))
	check(t, err)
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
