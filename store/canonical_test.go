package store

import (
	"bytes"
	"strings"
	"testing"
)

// TestCanonicalJSON is the specification of canonical JSON (canonical.go) by example: each input
// reads as the canonical text beside it, and so has that text's digest.
func TestCanonicalJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"key order", `{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{"nested key order", `{"z":{"y":1,"x":[{"d":1,"c":2}]}}`, `{"z":{"x":[{"c":2,"d":1}],"y":1}}`},
		{"whitespace", "{ \"a\" :\n [ 1 ,\t2 ] }", `{"a":[1,2]}`},
		{"indented as gh-store writes", "{\n  \"a\": {\n    \"b\": true\n  }\n}", `{"a":{"b":true}}`},
		{"unicode escapes are decoded", `{"\u00e9":"caf\u00e9"}`, `{"é":"café"}`},
		{"escaped slash", `{"a":"x\/y"}`, `{"a":"x/y"}`},
		{"required escapes stay", `{"a":"q\"b\\n\nt\t\u0001"}`, `{"a":"q\"b\\n\nt\t\u0001"}`},
		{"surrogate pair", `{"a":"\ud83d\ude00"}`, `{"a":"😀"}`},
		{"lone surrogate", `{"a":"\ud800"}`, `{"a":"` + "\uFFFD" + `"}`},
		{"unicode keys sort by UTF-8 bytes", `{"é":1,"z":2,"A":3,"😀":4}`, `{"A":3,"z":2,"é":1,"😀":4}`},
		{"one", `{"n":1}`, `{"n":1}`},
		{"1.0", `{"n":1.0}`, `{"n":1}`},
		{"1e0", `{"n":1e0}`, `{"n":1}`},
		{"10e-1", `{"n":10e-1}`, `{"n":1}`},
		{"1E+2", `{"n":1E+2}`, `{"n":100}`},
		{"-0", `{"n":-0}`, `{"n":0}`},
		{"0.0e5", `{"n":0.0e5}`, `{"n":0}`},
		{"2^53+1 stays exact", `{"n":9007199254740993}`, `{"n":9007199254740993}`},
		{"2^53+1 spelled otherwise", `{"n":9.007199254740993e15}`, `{"n":9007199254740993}`},
		{"fraction", `{"n":1.50}`, `{"n":1.5}`},
		{"negative fraction", `{"n":-0.25}`, `{"n":-0.25}`},
		{"small", `{"n":0.000001}`, `{"n":0.000001}`},
		{"smaller", `{"n":0.0000001}`, `{"n":1e-7}`},
		{"21 digits", `{"n":1e20}`, `{"n":100000000000000000000}`},
		{"22 digits", `{"n":1e21}`, `{"n":1e21}`},
		{"big with fraction", `{"n":12345678901234567890123.5}`, `{"n":1.23456789012345678901235e22}`},
		{"huge exponent", `{"n":1e999999999999999999999}`, `{"n":1e999999999999999999999}`},
		{"nested arrays", `[[1.0,[2e0,[]]],{}]`, `[[1,[2,[]]],{}]`},
		{"literals", `{"t":true,"f":false,"z":null}`, `{"f":false,"t":true,"z":null}`},
		{"repeated key keeps the last value", `{"a":1,"b":2,"a":3}`, `{"a":3,"b":2}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if !canonicalJSON(&b, []byte(c.in)) {
				t.Fatalf("canonicalJSON(%s) refused valid JSON", c.in)
			}
			if got := b.String(); got != c.want {
				t.Errorf("canonical(%s) = %s, want %s", c.in, got, c.want)
			}
			d1, _ := digestJSON([]byte(c.in))
			d2, _ := digestJSON([]byte(c.want))
			if d1 != d2 {
				t.Errorf("digest(%s) = %s, digest(%s) = %s: want equal", c.in, d1, c.want, d2)
			}
			if !strings.HasPrefix(d1, "sha256:") || len(d1) != len("sha256:")+32 {
				t.Errorf("digest %q: want sha256: and 32 hex digits", d1)
			}
			if v, ok := parseObject([]byte(c.in)); ok && digestOf(v) != d1 {
				t.Errorf("digestOf(parsed %s) = %s, digestJSON = %s", c.in, digestOf(v), d1)
			}
		})
	}
}

// TestDigestDistinguishes: values that differ have different digests.
func TestDigestDistinguishes(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{`{"n":1}`, `{"n":"1"}`},
		{`{"n":9007199254740993}`, `{"n":9007199254740992}`},
		{`{"a":[1,2]}`, `{"a":[2,1]}`},
		{`{"a":null}`, `{}`},
		{`{"a":{"b":1}}`, `{"a":{"b":1,"c":null}}`},
		{`{"k":"σ"}`, `{"k":"ς"}`},
	}
	for _, p := range pairs {
		a, _ := digestJSON([]byte(p[0]))
		b, _ := digestJSON([]byte(p[1]))
		if a == b {
			t.Errorf("digest(%s) = digest(%s) = %s", p[0], p[1], a)
		}
	}
	// A known value pins the definition: changing the canonical form changes this digest.
	if got, _ := digestJSON([]byte(`{"b": 1.0, "a": "x"}`)); got != "sha256:cdab067e9f3beb32d1252cfd63e49259" {
		t.Errorf(`digest({"a":"x","b":1}) = %s`, got)
	}
}

func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1.0,"\u00e9"]`, `{"b":{"a":[1e5]}}`, `-0.0e-0`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		if !canonicalJSON(&b, []byte(s)) {
			return
		}
		once := b.String()
		var again bytes.Buffer
		if !canonicalJSON(&again, []byte(once)) || again.String() != once {
			t.Fatalf("canonical form of %q is %q, whose canonical form is %q", s, once, again.String())
		}
	})
}
