package store

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strings"
	"unicode/utf8"

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
	// pos indexes keys once an object has more than indexAfter of them, so that reading,
	// merging and diffing an object of many keys stays linear (a 65,536-character body holds
	// thousands). It is built by set, which only the value's builder calls.
	pos map[string]int
}

// indexAfter is the key count past which an object keeps its keys in a map too.
const indexAfter = 16

// parseObject reads b as a JSON object. ok is false when b is not valid JSON or not an object.
func parseObject(b []byte) (*value, bool) {
	if !json.Valid(b) {
		return nil, false
	}
	v, _ := scanValue(b, skipSpace(b, 0))
	if !v.obj {
		return nil, false
	}
	return v, true
}

// scanValue reads the JSON value starting at b[i] (b is valid JSON) and returns it and the index
// just past it. One pass over the text, however deep it nests (gjson's per-level lookups would
// rescan each level's text: quadratic for a value nested thousands deep).
func scanValue(b []byte, i int) (*value, int) {
	if b[i] != '{' {
		end := skipValue(b, i)
		return &value{raw: b[i:end]}, end
	}
	v := &value{obj: true, keys: []string{}}
	i = skipSpace(b, i+1)
	if b[i] == '}' {
		return v, i + 1
	}
	for {
		kEnd := skipValue(b, i)
		key := b[i:kEnd]
		var k string
		if bytes.IndexByte(key, '\\') < 0 {
			k = string(key[1 : len(key)-1])
		} else {
			k = gjson.ParseBytes(key).String()
		}
		if !utf8.ValidString(k) {
			k = validUTF8(k)
		}
		i = skipSpace(b, kEnd)
		i = skipSpace(b, i+1) // the colon
		var val *value
		val, i = scanValue(b, i)
		v.set(k, val) // a repeated key keeps its first place and last value, as Python's json does
		i = skipSpace(b, i)
		if b[i] == '}' {
			return v, i + 1
		}
		i = skipSpace(b, i+1) // the comma
	}
}

// skipSpace returns the index of the first byte at or after i that is not JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value (b is valid JSON) starting at b[i].
func skipValue(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			for i++; b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // the end of the enclosing value
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// fromResult is r (part of a valid JSON text) as a value.
func fromResult(r gjson.Result) *value {
	b := []byte(r.Raw)
	v, _ := scanValue(b, skipSpace(b, 0))
	return v
}

// index returns the position of key k, or -1.
func (v *value) index(k string) int {
	if v.pos != nil {
		if i, ok := v.pos[k]; ok {
			return i
		}
		return -1
	}
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
	switch {
	case v.pos != nil:
		v.pos[k] = len(v.keys) - 1
	case len(v.keys) > indexAfter:
		v.pos = make(map[string]int, 2*len(v.keys))
		for i, key := range v.keys {
			v.pos[key] = i
		}
	}
}

func (v *value) clone() *value {
	if !v.obj {
		return v
	}
	c := &value{obj: true, keys: append([]string{}, v.keys...), vals: make([]*value, len(v.vals))}
	for i, x := range v.vals {
		c.vals[i] = x.clone()
	}
	if v.pos != nil {
		c.pos = make(map[string]int, len(v.pos))
		for k, i := range v.pos {
			c.pos[k] = i
		}
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
		return numberEqual(a.Raw, b.Raw)
	case gjson.String:
		return a.String() == b.String()
	default: // true, false, null
		return a.Type == b.Type
	}
}

// numberEqual compares two JSON numbers exactly, by value (1.0 = 1 = 10e-1, -0 = 0), in time linear
// in their text: each is reduced to sign, significant digits and exponent, and never expanded (so
// 1e999999 costs what 1 costs).
func numberEqual(a, b string) bool {
	if a == b {
		return true
	}
	na, oka := decimalOf(a)
	nb, okb := decimalOf(b)
	if !oka || !okb {
		return false
	}
	return na.neg == nb.neg && na.digits == nb.digits && na.exp.Cmp(&nb.exp) == 0
}

// decimal is a number as ±0.digits × 10^exp with no leading or trailing zero digit; zero has no
// digits and no sign.
type decimal struct {
	neg    bool
	digits string
	exp    big.Int
}

// decimalOf reads a JSON number (RFC 8259 grammar); ok is false when s is not one.
func decimalOf(s string) (d decimal, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		d.neg = true
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart := s[start:i]
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return d, false
	}
	frac := ""
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == fs {
			return d, false
		}
		frac = s[fs:i]
	}
	var exp big.Int
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		es := i
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ds := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == ds {
			return d, false
		}
		if _, ok := exp.SetString(strings.TrimPrefix(s[es:i], "+"), 10); !ok {
			return d, false
		}
	}
	if i != len(s) {
		return d, false
	}
	// value = 0.(intPart frac) × 10^(exp + len(intPart))
	all := intPart + frac
	exp.Add(&exp, big.NewInt(int64(len(intPart))))
	lead := 0
	for lead < len(all) && all[lead] == '0' {
		lead++
	}
	all = strings.TrimRight(all[lead:], "0")
	if all == "" {
		return decimal{}, true // zero, whatever its sign and exponent
	}
	exp.Sub(&exp, big.NewInt(int64(lead)))
	d.digits, d.exp = all, exp
	return d, true
}

// indentedSize returns the size, in bytes and in characters, of json.Indent(compact, "", "  "),
// without building it, stopping as soon as either passes limit (the figures returned are then
// only known to be past it). compact is valid JSON without insignificant whitespace.
func indentedSize(compact []byte, limit int) (size, chars int) {
	extra := 0 // bytes the indentation adds: newlines, spaces
	depth := 0
	needIndent := false
	inString, escaped := false, false
	base := utf8.RuneCount(compact)
	for _, c := range compact {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			extra += 1 + 2*depth
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			needIndent = true
		case ',':
			extra += 1 + 2*depth
		case ':':
			extra++
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				extra += 1 + 2*depth
			}
		}
		if len(compact)+extra > limit {
			break
		}
	}
	return len(compact) + extra, base + extra
}

// validUTF8 replaces each byte of s that is not UTF-8 with U+FFFD, as encoding/json does both when it
// decodes and when it encodes a string (so a key reads as it will be written).
func validUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
