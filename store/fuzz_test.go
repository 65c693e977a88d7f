package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/clock"
	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/internal/transport"
)

// The fuzz targets of the parsers that read what others wrote on GitHub: comment envelopes,
// issue bodies folded with their log, JSON values, and snapshot files. Each runs clean for
// minutes (`go test -run '^$' -fuzz '^FuzzFold$' -fuzztime 2m ./store`); crashers found are kept
// as seeds under testdata/fuzz.

// decodeOracle decodes one JSON text with encoding/json (numbers as written; a repeated key's last
// value wins, as it does for the store): an independent reading to check ours against.
func decodeOracle(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err == nil {
		return nil, false
	}
	return v, true
}

func mergeOracle(base, patch any) any {
	p, ok := patch.(map[string]any)
	b, ok2 := base.(map[string]any)
	if !ok || !ok2 {
		return patch
	}
	out := map[string]any{}
	for k, v := range b {
		out[k] = v
	}
	for k, v := range p {
		out[k] = mergeOracle(out[k], v)
	}
	return out
}

var fuzzJSONSeeds = []string{
	`{}`, `{"a":1}`, `{"a":1,"a":2}`, `{"a":{"b":[1,2,{"c":null}]},"z":"h\u00e9"}`,
	`{"big":9007199254740993,"f":1.5e300,"tiny":1e-400,"huge":1e999,"neg":-0}`,
	`{"s":"\ud800","e":"\"\\\/\b\f\n\r\t","u":"é😀"}`, ` { "a" : [ 1 , 2 ] , "b" : { } } `,
	`{"n":{"n":{"n":{"n":{}}}}}`, `[1,2]`, `"x"`, `nul`, `{"a":}`, `{"a":1}x`,
	`{"a":1.0,"b":10e-1,"c":0.1e1}`, `{"k` + "\x00" + `":1}`, "{\"a\":\"\xff\"}",
}

// FuzzJSONValue: parseObject, compact, indented, deepMerge and diffPatch on arbitrary text. The
// value reads as encoding/json reads it (numbers exactly as written, a repeated key's last value);
// the compact and indented forms re-parse to an equal value with the keys in the same order;
// indentedSize measures the indented form exactly; merging diffPatch(old, new) into old gives
// new (or the diff says a key was removed, and a replace gives new); numbers compare exactly.
func FuzzJSONValue(f *testing.F) {
	for i, a := range fuzzJSONSeeds {
		f.Add(a, fuzzJSONSeeds[(i+3)%len(fuzzJSONSeeds)])
	}
	f.Add(`1e999999`, `10e999998`)
	f.Add(`-0.0e5`, `0`)
	f.Fuzz(func(t *testing.T, a, b string) {
		checkNumbers(t, a, b)
		v, ok := parseObject([]byte(a))
		if !ok {
			if r := gjson.Parse(a); json.Valid([]byte(a)) && r.IsObject() {
				t.Fatalf("parseObject refused the JSON object %q", a)
			}
			return
		}
		c := v.compact()
		want, ok1 := decodeOracle([]byte(a))
		got, ok2 := decodeOracle(c)
		if !ok1 || !ok2 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q reads as %s", a, c)
		}
		ind := v.indented()
		n, chars := indentedSize(c, 1<<30)
		if n != len(ind) || chars != utf8.RuneCount(ind) {
			t.Fatalf("indentedSize(%s) = %d bytes %d chars; the indented form has %d and %d", c, n, chars, len(ind), utf8.RuneCount(ind))
		}
		for _, form := range [][]byte{c, ind} {
			w, ok := parseObject(form)
			if !ok || !valueEqual(v, w) || !bytes.Equal(w.compact(), c) {
				t.Fatalf("%q does not re-parse to %s", form, c)
			}
		}
		w, ok := parseObject([]byte(b))
		if !ok {
			return
		}
		merged := deepMerge(v, w)
		mo, _ := decodeOracle(merged.compact())
		wo, _ := decodeOracle([]byte(b))
		if !reflect.DeepEqual(mo, mergeOracle(want, wo)) {
			t.Fatalf("merge(%s, %s) = %s", c, w.compact(), merged.compact())
		}
		patch, removed := diffPatch(v, w)
		if removed {
			ch := computeChange(v, w)
			if ch == nil || ch.kind != KindReplace || !bytes.Equal(ch.state.compact(), w.compact()) {
				t.Fatalf("diff(%s, %s) removes a key but the change is %+v", c, w.compact(), ch)
			}
			return
		}
		after := deepMerge(v, patch)
		if !valueEqual(after, w) {
			t.Fatalf("merge(%s, diff %s) = %s, want %s", c, patch.compact(), after.compact(), w.compact())
		}
		if valueEqual(v, w) != (len(patch.keys) == 0) {
			t.Fatalf("diff(%s, %s) = %s, but equal is %v", c, w.compact(), patch.compact(), valueEqual(v, w))
		}
	})
}

// checkNumbers compares numberEqual with big.Rat on numbers small enough to expand.
func checkNumbers(t *testing.T, a, b string) {
	ra, rb := gjson.Parse(a), gjson.Parse(b)
	if !json.Valid([]byte(a)) || !json.Valid([]byte(b)) || ra.Type != gjson.Number || rb.Type != gjson.Number ||
		len(a) > 40 || len(b) > 40 || strings.TrimSpace(a) != a || strings.TrimSpace(b) != b {
		return
	}
	var x, y big.Rat
	_, okx := x.SetString(a)
	_, oky := y.SetString(b)
	if okx && oky && numberEqual(a, b) != (x.Cmp(&y) == 0) {
		t.Fatalf("numberEqual(%s, %s) = %v; big.Rat says %v", a, b, numberEqual(a, b), x.Cmp(&y) == 0)
	}
}

// FuzzParseComment: any comment body parses without panic, as a log entry whose data is an object
// or as no entry; and every envelope we write parses back to the same kind and data, keys in order.
func FuzzParseComment(f *testing.F) {
	for _, s := range fuzzJSONSeeds {
		f.Add(s, s, int32(7), false, false)
	}
	f.Add(`{"_data":{"a":1},"_meta":{"update_mode":"replace"}}`, `{"a":1}`, int32(1), true, false)
	f.Add(`{"_data":{"a":1},"type":"initial_state"}`, `{"_data":5}`, int32(-1), false, true)
	f.Add(`{"_data":5,"x":1}`, `{"type":"initial_state"}`, int32(0), true, true)
	f.Add("not json", `{"_meta":{}}`, int32(2147483647), false, false)
	f.Fuzz(func(t *testing.T, body, data string, issue int32, replace, initial bool) {
		if pc, ok := parseComment(body); ok {
			if pc.data == nil || !pc.data.obj || (pc.kind != KindInitial && pc.kind != KindUpdate && pc.kind != KindReplace) {
				t.Fatalf("parseComment(%q) = %+v", body, pc)
			}
		}
		v, ok := parseObject([]byte(data))
		if !ok {
			return
		}
		mode, want := "append", KindUpdate
		if replace {
			mode, want = "replace", KindReplace
		}
		if initial {
			want = KindInitial
		}
		at := time.Unix(int64(issue)*997, 0)
		env := envelope(v.compact(), mode, int(issue), at, initial)
		if n, chars := indentedSize(envelopeCompact(v.compact(), mode, int(issue), at, initial), 1<<30); n != len(env) || chars != utf8.RuneCount(env) {
			t.Fatalf("indentedSize of the envelope = %d/%d, it has %d/%d", n, chars, len(env), utf8.RuneCount(env))
		}
		pc, ok := parseComment(string(env))
		if !ok || pc.kind != want || !valueEqual(pc.data, v) || !bytes.Equal(pc.data.compact(), v.compact()) {
			t.Fatalf("the envelope %s parses back as %v %+v, want %s %s", env, ok, pc, want, v.compact())
		}
	})
}

// FuzzFold: an issue body and three comments, each trusted or not, folded: never a panic; the
// state is a JSON object or ErrCorrupt naming the issue; the untrusted comments never change the
// state, the version or the pending count.
func FuzzFold(f *testing.F) {
	init := `{"_data":{"a":1,"n":{"x":1}},"_meta":{"client_version":"0.10.3","timestamp":"2026-12-01T09:00:00Z","update_mode":"append","issue_number":7},"type":"initial_state"}`
	upd := `{"_data":{"n":{"y":2}},"_meta":{"update_mode":"append"}}`
	rep := `{"_data":{"b":2},"_meta":{"update_mode":"replace"}}`
	f.Add(`{"a":1,"n":{"x":1}}`, false, init, upd, rep, uint8(0xff), uint8(0))
	f.Add(`{"a":1}`, true, init, `{"legacy":true}`, "hi", uint8(0x05), uint8(0x1b))
	f.Add(`not json`, false, upd, rep, `[1]`, uint8(0x07), uint8(0x3f))
	f.Add(`{"a":1`, true, `{"_data":[1]}`, init, init, uint8(0x02), uint8(0x2a))
	f.Add(strings.Repeat(`{"a":`, 500)+strings.Repeat(`}`, 500), true, init, upd, rep, uint8(0x3), uint8(0))
	f.Fuzz(func(t *testing.T, body string, open bool, c1, c2, c3 string, bits, order uint8) {
		var all, trusted []logEntry
		for i, c := range []string{c1, c2, c3} {
			e := logEntry{
				commentID: int64(i + 1),
				author:    "someone",
				trusted:   bits&(1<<i) != 0,
				createdAt: time.Unix(int64(order>>(2*i))&3, 0), // ties and reorderings
				plusOne:   int(bits>>(3+i)) & 1,
				body:      c,
			}
			e.parsed, e.isEntry = parseComment(c)
			all = append(all, e)
			if e.trusted {
				trusted = append(trusted, e)
			}
		}
		f1, err1 := fold(7, body, open, all)
		f2, err2 := fold(7, body, open, trusted)
		if err1 != nil {
			if !errors.Is(err1, ErrCorrupt) || !strings.Contains(err1.Error(), "#7") {
				t.Fatalf("fold error %v is not ErrCorrupt naming issue #7", err1)
			}
		} else {
			c := f1.data.compact()
			if !f1.data.obj || !json.Valid(c) || !gjson.ParseBytes(c).IsObject() {
				t.Fatalf("the fold is %s, not a JSON object", c)
			}
			if f1.pending < 0 || f1.pending > f1.version-1 || len(f1.processed) != len(f1.updates) {
				t.Fatalf("version %d, pending %d, %d updates", f1.version, f1.pending, len(f1.updates))
			}
		}
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("untrusted comments changed the error: %v vs %v", err1, err2)
		}
		if err1 == nil && (!bytes.Equal(f1.data.compact(), f2.data.compact()) || f1.version != f2.version || f1.pending != f2.pending) {
			t.Fatalf("untrusted comments changed the fold: %s v%d p%d vs %s v%d p%d",
				f1.data.compact(), f1.version, f1.pending, f2.data.compact(), f2.version, f2.pending)
		}
	})
}

// snapshotFixture is a localgh repository acme/data with three objects (one of them archived) and
// a Store of acme on it, shared by every input of FuzzSnapshotFile.
func snapshotFixture(f *testing.F) (*Store, map[string]*Object) {
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	if err := srv.AddUser("acme", "acme-token"); err != nil {
		f.Fatal(err)
	}
	if err := srv.CreateRepo("acme", "data", false); err != nil {
		f.Fatal(err)
	}
	tr := transport.New(transport.Options{
		Base:  srv.Transport(),
		Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "acme-token"}),
		Clock: clock.NewFake(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)),
	})
	s, err := New(Options{Owner: "acme", Repo: "data", HTTPClient: &http.Client{Transport: tr}, BaseURL: testBaseURL, Login: "acme"})
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	live := map[string]*Object{}
	for _, o := range []struct{ id, data string }{{"Alpha", `{"a":1}`}, {"beta", `{"b":[1,2]}`}, {"gone", `{"g":true}`}} {
		obj, err := s.Create(ctx, o.id, json.RawMessage(o.data))
		if err != nil {
			f.Fatal(err)
		}
		live[strings.ToLower(o.id)] = obj
	}
	if err := s.Delete(ctx, "gone"); err != nil {
		f.Fatal(err)
	}
	delete(live, "gone")
	return s, live
}

// FuzzSnapshotFile: UpdateSnapshot on an arbitrary file never panics, and either returns a clear
// error and leaves the file as it was, or writes a valid snapshot: JSON whose snapshot_time is
// RFC 3339, whose objects are JSON objects under ids unique case-insensitively, and which holds
// every live object changed since the old snapshot_time as it reads.
func FuzzSnapshotFile(f *testing.F) {
	s, live := snapshotFixture(f)
	f.Add([]byte(`{"snapshot_time":"2000-01-01T00:00:00Z","repository":"acme/data","objects":{}}`))
	f.Add([]byte(`{"snapshot_time":"2000-01-01T00:00:00Z","objects":{"gone":{"data":{},"meta":{"issue_number":3}},"x":{"data":{"x":1}}}}`))
	f.Add([]byte(`{"snapshot_time":"2999-01-01T00:00:00Z","objects":{"alpha":{"data":{"old":1}},"ALPHA":{"data":{}}}}`))
	f.Add([]byte(`{"snapshot_time":"2000-01-01T00:00:00Z","objects":{"a":1,"b":[],"c":null}}`))
	f.Add([]byte(`{"snapshot_time":"0000-01-01T00:00:00Z","objects":{}}`))
	f.Add([]byte(`{"snapshot_time":"2000-01-01T00:00:00+23:59","objects":{"\u0000":{},"\ud800":{}}}`))
	f.Add([]byte(`{"snapshot_time":"2000-01-01T00:00:00Z","objects":{}` + "\xff}"))
	f.Add([]byte(`{"snapshot_time":"yesterday","objects":{}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, file []byte) {
		path := filepath.Join(t.TempDir(), "snapshot.json")
		if err := os.WriteFile(path, file, 0o644); err != nil {
			t.Fatal(err)
		}
		err := s.UpdateSnapshot(ctx, path)
		after, rerr := os.ReadFile(path)
		if rerr != nil {
			t.Fatalf("the snapshot file is gone: %v (UpdateSnapshot: %v)", rerr, err)
		}
		if err != nil {
			if !bytes.Equal(after, file) {
				t.Fatalf("UpdateSnapshot failed (%v) and changed the file", err)
			}
			if !strings.Contains(err.Error(), "snapshot") {
				t.Fatalf("unclear error: %v", err)
			}
			return
		}
		if problem := checkSnapshot(after); problem != "" {
			t.Fatalf("UpdateSnapshot wrote an invalid snapshot (%s):\n%s", problem, after)
		}
		since, _ := time.Parse(time.RFC3339Nano, gjson.GetBytes(file, "snapshot_time").String())
		objs := gjson.GetBytes(after, "objects")
		for key, o := range live {
			if o.UpdatedAt.Before(since) {
				continue
			}
			var got gjson.Result
			objs.ForEach(func(k, v gjson.Result) bool {
				if strings.ToLower(k.String()) == key {
					got = v
				}
				return true
			})
			if !jsonEqual([]byte(got.Get("data").Raw), o.Data) {
				t.Fatalf("object %q changed since %v is %s in the snapshot, want data %s", o.ID, since, got.Raw, o.Data)
			}
		}
	})
}

// checkSnapshot says what makes b no valid snapshot ("" when it is one).
func checkSnapshot(b []byte) string {
	if !json.Valid(b) || !utf8.Valid(b) {
		return "not valid JSON"
	}
	r := gjson.ParseBytes(b)
	if _, err := time.Parse(time.RFC3339, r.Get("snapshot_time").String()); err != nil {
		return "snapshot_time: " + err.Error()
	}
	objs := r.Get("objects")
	if !objs.IsObject() {
		return "no objects object"
	}
	seen := map[string]bool{}
	problem := ""
	objs.ForEach(func(k, v gjson.Result) bool {
		key := strings.ToLower(k.String())
		switch {
		case seen[key]:
			problem = "id " + k.Raw + " twice"
		case !v.IsObject():
			problem = "entry " + k.Raw + " is not an object"
		}
		seen[key] = true
		return problem == ""
	})
	return problem
}
