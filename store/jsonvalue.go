package store

import (
	"bytes"
	"encoding/json"
	"math/big"

	"github.com/tidwall/gjson"
)

// value is a JSON value that keeps what a Go map loses: the order of an object's keys and the raw
// text of numbers and strings (9007199254740993 stays exact, \u escapes stay as written). Objects are
// kept as ordered key/value lists so that merge and diff can work on them; anything else (arrays,
// strings, numbers, booleans, null) is kept as its raw JSON text.
type value struct {
	keys []string // object keys in order; nil for a non-object
	vals []*value
	obj  bool
	raw  []byte // the raw JSON text of a non-object
}

// parseObject reads b as a JSON object. ok is false when b is not valid JSON or not an object.
func parseObject(b []byte) (*value, bool) {
	if !json.Valid(b) {
		return nil, false
	}
	r := gjson.ParseBytes(b)
	if !r.IsObject() {
		return nil, false
	}
	return fromResult(r), true
}

func fromResult(r gjson.Result) *value {
	if !r.IsObject() {
		return &value{raw: []byte(r.Raw)}
	}
	v := &value{obj: true, keys: []string{}}
	r.ForEach(func(k, val gjson.Result) bool {
		v.set(k.String(), fromResult(val)) // a repeated key keeps its first place and last value, as Python's json does
		return true
	})
	return v
}

// index returns the position of key k, or -1.
func (v *value) index(k string) int {
	for i, key := range v.keys {
		if key == k {
			return i
		}
	}
	return -1
}

func (v *value) get(k string) *value {
	if i := v.index(k); i >= 0 {
		return v.vals[i]
	}
	return nil
}

// set replaces k's value in place, or appends k.
func (v *value) set(k string, val *value) {
	if i := v.index(k); i >= 0 {
		v.vals[i] = val
		return
	}
	v.keys = append(v.keys, k)
	v.vals = append(v.vals, val)
}

func (v *value) clone() *value {
	if !v.obj {
		return v
	}
	c := &value{obj: true, keys: append([]string{}, v.keys...), vals: make([]*value, len(v.vals))}
	for i, x := range v.vals {
		c.vals[i] = x.clone()
	}
	return c
}

// compact returns v as compact JSON.
func (v *value) compact() []byte {
	var b bytes.Buffer
	v.write(&b)
	var out bytes.Buffer
	if err := json.Compact(&out, b.Bytes()); err != nil {
		return b.Bytes() // cannot happen: every part was valid JSON
	}
	return out.Bytes()
}

// indented returns v as gh-store writes a body: 2-space indented, no trailing newline.
func (v *value) indented() []byte { return indentJSON(v.compact(), "") }

func (v *value) write(b *bytes.Buffer) {
	if !v.obj {
		b.Write(v.raw)
		return
	}
	b.WriteByte('{')
	for i, k := range v.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quote(k))
		b.WriteByte(':')
		v.vals[i].write(b)
	}
	b.WriteByte('}')
}

// quote encodes s as a JSON string without HTML escaping.
func quote(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimRight(b.Bytes(), "\n")
}

// indentJSON indents valid JSON with two spaces after prefix on every new line.
func indentJSON(b []byte, prefix string) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, prefix, "  "); err != nil {
		return b
	}
	return out.Bytes()
}

// jsonEqual compares two JSON texts semantically: objects as key sets, numbers by value (exactly),
// strings by their decoded text.
func jsonEqual(a, b []byte) bool {
	if !json.Valid(a) || !json.Valid(b) {
		return bytes.Equal(a, b)
	}
	return resultEqual(gjson.ParseBytes(a), gjson.ParseBytes(b))
}

func valueEqual(a, b *value) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.obj != b.obj {
		return false
	}
	if !a.obj {
		return jsonEqual(a.raw, b.raw)
	}
	if len(a.keys) != len(b.keys) {
		return false
	}
	for i, k := range a.keys {
		if !valueEqual(a.vals[i], b.get(k)) {
			return false
		}
	}
	return true
}

func resultEqual(a, b gjson.Result) bool {
	switch {
	case a.IsObject() || b.IsObject():
		if !a.IsObject() || !b.IsObject() {
			return false
		}
		return valueEqual(fromResult(a), fromResult(b))
	case a.IsArray() || b.IsArray():
		if !a.IsArray() || !b.IsArray() {
			return false
		}
		x, y := a.Array(), b.Array()
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !resultEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case gjson.Number:
		if a.Raw == b.Raw {
			return true
		}
		var x, y big.Rat
		if _, ok := x.SetString(a.Raw); !ok {
			return false
		}
		if _, ok := y.SetString(b.Raw); !ok {
			return false
		}
		return x.Cmp(&y) == 0
	case gjson.String:
		return a.String() == b.String()
	default: // true, false, null
		return a.Type == b.Type
	}
}
