package store

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustObj(t *testing.T, s string) *value {
	t.Helper()
	v, ok := parseObject([]byte(s))
	if !ok {
		t.Fatalf("not an object: %s", s)
	}
	return v
}

func TestDeepMergeAsGhStore(t *testing.T) {
	cases := []struct{ base, patch, want string }{
		// objects recurse; arrays, scalars and null replace; new keys are appended; order kept
		{`{"a":1,"n":{"k":"v"},"t":["a","b"]}`, `{"t":["c"],"n":{"k2":"v2"},"a":2}`, `{"a":2,"n":{"k":"v","k2":"v2"},"t":["c"]}`},
		{`{"a":{"b":1}}`, `{"a":null}`, `{"a":null}`},
		{`{"a":5}`, `{"a":{"b":1}}`, `{"a":{"b":1}}`},
		{`{"a":{"b":1}}`, `{"a":5}`, `{"a":5}`},
		{`{"big":1}`, `{"big":9007199254740993,"z":"h\u00e9"}`, `{"big":9007199254740993,"z":"h\u00e9"}`},
		{`{}`, `{}`, `{}`},
	}
	for _, c := range cases {
		got := string(deepMerge(mustObj(t, c.base), mustObj(t, c.patch)).compact())
		if got != c.want {
			t.Errorf("merge(%s, %s) = %s, want %s", c.base, c.patch, got, c.want)
		}
	}
}

func TestDiffPatchSmallestAndRemoved(t *testing.T) {
	cases := []struct {
		old, new, patch string
		removed         bool
	}{
		{`{"a":1,"b":{"c":1,"d":2}}`, `{"a":1,"b":{"c":1,"d":3}}`, `{"b":{"d":3}}`, false},
		{`{"a":1}`, `{"a":1.0}`, `{}`, false}, // equal numbers
		{`{"a":1}`, `{"a":1,"n":{}}`, `{"n":{}}`, false},
		{`{"a":1,"b":2}`, `{"a":1}`, `{}`, true},
		{`{"x":{"a":1,"b":2}}`, `{"x":{"a":1}}`, `{}`, true},
		{`{"t":[1,2]}`, `{"t":[1,2,3]}`, `{"t":[1,2,3]}`, false},
		{`{"s":"\u00e9"}`, `{"s":"é"}`, `{}`, false}, // same string, other escaping
	}
	for _, c := range cases {
		p, rem := diffPatch(mustObj(t, c.old), mustObj(t, c.new))
		if string(p.compact()) != c.patch || rem != c.removed {
			t.Errorf("diff(%s, %s) = %s %v, want %s %v", c.old, c.new, p.compact(), rem, c.patch, c.removed)
		}
		if !rem && !valueEqual(deepMerge(mustObj(t, c.old), p), mustObj(t, c.new)) {
			t.Errorf("merge(old, diff) != new for %s -> %s", c.old, c.new)
		}
	}
	if c := computeChange(mustObj(t, `{"a":1,"b":2}`), mustObj(t, `{"a":3}`)); c == nil || c.kind != KindReplace || string(c.data.compact()) != `{"a":3}` {
		t.Fatalf("removing a key must be a replace with the whole state: %+v", c)
	}
	if c := computeChange(mustObj(t, `{"a":1}`), mustObj(t, `{"a":1}`)); c != nil {
		t.Fatalf("no change must be nil: %+v", c)
	}
}

func TestJSONEqualAndOrder(t *testing.T) {
	if !jsonEqual([]byte(`{"a":1,"b":[1,{"c":2}]}`), []byte(`{"b":[1,{"c":2.0}],"a":1e0}`)) {
		t.Fatal("semantically equal objects differ")
	}
	if jsonEqual([]byte(`{"a":9007199254740993}`), []byte(`{"a":9007199254740992}`)) {
		t.Fatal("2^53+1 must not equal 2^53")
	}
	if jsonEqual([]byte(`{"a":[1,2]}`), []byte(`{"a":[2,1]}`)) {
		t.Fatal("array order matters")
	}
	v := mustObj(t, `{"z":1,"a":2,"z":3}`)
	if string(v.compact()) != `{"z":3,"a":2}` {
		t.Fatalf("repeated key: %s", v.compact())
	}
	if string(mustObj(t, `{"h":"<&>"}`).compact()) != `{"h":"<&>"}` {
		t.Fatal("no HTML escaping")
	}
}

func TestEnvelopeShape(t *testing.T) {
	at := time.Date(2026, 12, 1, 13, 7, 8, 0, time.UTC)
	got := string(envelope([]byte(`{"a":{"b":1}}`), "append", 7, at, true))
	want := `{
  "_data": {
    "a": {
      "b": 1
    }
  },
  "_meta": {
    "client_version": "ghstore/0.1.0",
    "timestamp": "2026-12-01T13:07:08.000000Z",
    "update_mode": "append",
    "issue_number": 7
  },
  "type": "initial_state"
}`
	if got != want {
		t.Fatalf("envelope\n%s\nwant\n%s", got, want)
	}
	pc, ok := parseComment(got)
	if !ok || pc.kind != KindInitial || string(pc.data.compact()) != `{"a":{"b":1}}` {
		t.Fatalf("parse: %+v %v", pc, ok)
	}
	pc, ok = parseComment(string(envelope([]byte(`{"x":1}`), "replace", 7, at, false)))
	if !ok || pc.kind != KindReplace {
		t.Fatalf("replace: %+v %v", pc, ok)
	}
	for _, body := range []string{`hello`, `[1]`, `"s"`, `{"_data": 5}`, ``} {
		if _, ok := parseComment(body); ok {
			t.Errorf("%q must not be a log entry", body)
		}
	}
	if pc, ok := parseComment(`{"score": 666}`); !ok || pc.kind != KindUpdate {
		t.Fatalf("bare JSON is a legacy update: %+v %v", pc, ok)
	}
}

func TestValidateID(t *testing.T) {
	good := []string{"a", "obj-1", strings.Repeat("x", 46), "héllo", "a b"}
	for _, id := range good {
		if err := ValidateID(id); err != nil {
			t.Errorf("%q: %v", id, err)
		}
	}
	bad := map[string]string{
		"":                      "empty",
		strings.Repeat("x", 47): "47 characters",
		"a,b":                   "comma",
		" a":                    "leading or trailing space",
		"a ":                    "leading or trailing space",
		"a\nb":                  "control character",
		"a\x00":                 "control character",
	}
	for id, rule := range bad {
		err := ValidateID(id)
		if !errors.Is(err, ErrInvalidID) || !strings.Contains(err.Error(), rule) {
			t.Errorf("%q: %v (want ErrInvalidID naming %q)", id, err, rule)
		}
	}
}

func TestValidateDataAndSize(t *testing.T) {
	for _, d := range []string{`[1]`, `1`, `"x"`, `null`, `{`, ``} {
		if _, err := validateData("x", []byte(d)); !errors.Is(err, ErrInvalidData) {
			t.Errorf("%q: %v", d, err)
		}
	}
	big := []byte(strings.Repeat("é", MaxBodySize/2+1)) // fewer characters than the limit, more bytes
	if err := checkSize("x", "issue body", big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("bytes past the limit: %v", err)
	}
	if err := checkSize("x", "issue body", make([]byte, MaxBodySize)); err != nil {
		t.Fatalf("exactly the limit: %v", err)
	}
}
