package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file defines the canonical JSON of a state and its digest, the base an inline update
// comment names in `_meta.base` (DESIGN.md §3a). Two states have one digest exactly when they are
// equal JSON values, however they are formatted:
//
//   - objects: keys sorted by the bytes of their UTF-8 text, each once (a repeated key keeps its
//     last value, as Python's json and this package's reader do); no whitespace anywhere;
//   - strings: the decoded text (escapes resolved, a lone surrogate or a byte that is not UTF-8
//     read as U+FFFD), written with only the escapes JSON requires: \" and \\, \b \f \n \r \t,
//     and \u00xx (lower-case hex) for the other control characters below U+0020;
//   - numbers: one spelling of their exact value, never through float64 (2^53+1 stays exact):
//     zero is 0; with the value written as 0.D × 10^P (D the significant digits, without leading
//     or trailing zeros), a number with 0 < P ≤ 21 is written in plain decimal (D, padded with
//     zeros, with a point where needed), one with -6 < P ≤ 0 as 0.000D, and any other as D[0].D[1:]
//     e(P-1) (for example 1e21, 1.5e-7). So 1, 1.0, 1e0 and 10e-1 are all 1; -0 is 0;
//   - true, false and null as they are; arrays in their order.
//
// The digest is "sha256:" followed by the first 32 hex digits of SHA-256 over that text.

// digestPrefix starts every digest.
const digestPrefix = "sha256:"

// digestOf returns the digest of a state.
func digestOf(v *value) string {
	var b bytes.Buffer
	v.canonical(&b)
	return digestCanonical(b.Bytes())
}

// digestJSON returns the digest of a JSON text; ok is false when it is not valid JSON.
func digestJSON(text []byte) (string, bool) {
	var b bytes.Buffer
	if !canonicalJSON(&b, text) {
		return "", false
	}
	return digestCanonical(b.Bytes()), true
}

func digestCanonical(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return digestPrefix + hex.EncodeToString(sum[:16])
}

// canonical writes v's canonical JSON.
func (v *value) canonical(b *bytes.Buffer) {
	if !v.obj {
		canonicalJSON(b, v.raw)
		return
	}
	order := make([]int, len(v.keys))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return v.keys[order[i]] < v.keys[order[j]] })
	b.WriteByte('{')
	for n, i := range order {
		if n > 0 {
			b.WriteByte(',')
		}
		writeCanonicalString(b, v.keys[i])
		b.WriteByte(':')
		v.vals[i].canonical(b)
	}
	b.WriteByte('}')
}

// canonicalJSON writes the canonical form of a JSON text; false when it is not valid JSON.
func canonicalJSON(b *bytes.Buffer, text []byte) bool {
	if !json.Valid(text) {
		return false
	}
	writeCanonical(b, text, skipSpace(text, 0))
	return true
}

// writeCanonical writes the canonical form of the valid JSON value starting at text[i] and
// returns the index just past it.
func writeCanonical(b *bytes.Buffer, text []byte, i int) int {
	switch c := text[i]; {
	case c == '{':
		v, end := scanValue(text, i)
		v.canonical(b)
		return end
	case c == '[':
		b.WriteByte('[')
		i = skipSpace(text, i+1)
		if text[i] == ']' {
			b.WriteByte(']')
			return i + 1
		}
		for first := true; ; first = false {
			if !first {
				b.WriteByte(',')
			}
			i = skipSpace(text, writeCanonical(b, text, i))
			if text[i] == ']' {
				b.WriteByte(']')
				return i + 1
			}
			i = skipSpace(text, i+1) // the comma
		}
	case c == '"':
		end := skipValue(text, i)
		writeCanonicalString(b, decodeString(text[i:end]))
		return end
	case c == '-' || (c >= '0' && c <= '9'):
		end := skipValue(text, i)
		writeCanonicalNumber(b, string(text[i:end]))
		return end
	default: // true, false, null
		end := skipValue(text, i)
		b.Write(text[i:end])
		return end
	}
}

// decodeString returns the text of a valid JSON string literal.
func decodeString(lit []byte) string {
	inner := lit[1 : len(lit)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		if utf8.Valid(inner) {
			return string(inner)
		}
		return validUTF8(string(inner))
	}
	var s string
	_ = json.Unmarshal(lit, &s) // lit is valid JSON; lone surrogates and bad bytes become U+FFFD
	return s
}

const hexDigits = "0123456789abcdef"

// writeCanonicalString writes s (valid UTF-8) with only the escapes JSON requires.
func writeCanonicalString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// writeCanonicalNumber writes the normal form of a valid JSON number (see the top of this file).
func writeCanonicalNumber(b *bytes.Buffer, num string) {
	d, ok := decimalOf(num)
	if !ok || d.digits == "" {
		b.WriteByte('0')
		return
	}
	if d.neg {
		b.WriteByte('-')
	}
	digits := d.digits
	if d.exp.IsInt64() {
		switch p := d.exp.Int64(); {
		case p > 0 && p <= 21:
			if int64(len(digits)) <= p {
				b.WriteString(digits)
				b.WriteString(strings.Repeat("0", int(p)-len(digits)))
			} else {
				b.WriteString(digits[:p])
				b.WriteByte('.')
				b.WriteString(digits[p:])
			}
			return
		case p <= 0 && p > -6:
			b.WriteString("0.")
			b.WriteString(strings.Repeat("0", int(-p)))
			b.WriteString(digits)
			return
		}
	}
	b.WriteByte(digits[0])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	b.WriteByte('e')
	var e big.Int
	e.Sub(&d.exp, big.NewInt(1))
	b.WriteString(e.String())
}
