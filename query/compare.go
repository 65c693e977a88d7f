package query

import (
	"bytes"
	"encoding/json"
	"github.com/ghstore/ghstore/internal/idkey"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Comparison follows MySQL 8.0: §14.3 "Type Conversion in Expression Evaluation" for SQL values
// and §13.5 "Comparison and Ordering of JSON Values" for JSON, with DESIGN.md §4's rule that a
// number compared with a string compares as numbers only when the string is a number.

// compare compares two non-NULL values. ok is false when they cannot be compared.
func compare(a, b value) (c int, ok bool) {
	if a.k == kNull || b.k == kNull {
		return 0, false
	}
	if a.k == kJSON || b.k == kJSON {
		// MySQL: the non-JSON operand is converted to JSON, then both compare as JSON.
		return compareJSON(jsonOfScalar(a), jsonOfScalar(b)), true
	}
	an, aNum := a.numeric()
	bn, bNum := b.numeric()
	switch {
	case aNum && bNum:
		return compareNumbers(an, bn), true
	case a.k == kString && b.k == kString:
		return compareStrings(a.s, b.s, a.ci || b.ci), true
	case a.k == kTime && b.k == kTime:
		return a.t.Compare(b.t), true
	case a.k == kTime && b.k == kString:
		if t, ok := parseTime(b.s); ok {
			return a.t.Compare(t), true
		}
		return compareStrings(a.text(), b.s, false), true
	case a.k == kString && b.k == kTime:
		c, ok := compare(b, a)
		return -c, ok
	case aNum && b.k == kString:
		if n, ok := parseNumber(b.s); ok {
			return compareNumbers(an, n), true
		}
		return compareStrings(an.text(), b.s, false), true
	case a.k == kString && bNum:
		c, ok := compare(b, a)
		return -c, ok
	}
	return 0, false
}

// numeric reports whether v is a number for comparison (booleans are 1 and 0).
func (v value) numeric() (value, bool) {
	switch v.k {
	case kInt, kFloat:
		return v, true
	case kBool:
		return intValue(v.i), true
	}
	return v, false
}

func compareStrings(a, b string, foldCase bool) int {
	if foldCase {
		return strings.Compare(idkey.Of(a), idkey.Of(b))
	}
	return strings.Compare(a, b)
}

// compareNumbers compares int64 and float64 exactly (an int64 past 2^53 is not rounded).
func compareNumbers(a, b value) int {
	switch {
	case a.k == kInt && b.k == kInt:
		return cmpInt(a.i, b.i)
	case a.k == kInt:
		return cmpIntFloat(a.i, b.f)
	case b.k == kInt:
		return -cmpIntFloat(b.i, a.f)
	}
	return cmpFloat(a.f, b.f)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	case math.IsNaN(a) && !math.IsNaN(b):
		return -1
	case !math.IsNaN(a) && math.IsNaN(b):
		return 1
	}
	return 0
}

func cmpIntFloat(i int64, f float64) int {
	switch {
	case math.IsNaN(f):
		return 1
	case f >= 9223372036854775808.0:
		return -1
	case f < -9223372036854775808.0:
		return 1
	}
	t := math.Trunc(f)
	if c := cmpInt(i, int64(t)); c != 0 {
		return c
	}
	return cmpFloat(0, f-t)
}

// jsonRank is MySQL's precedence of JSON types for comparing values of different types
// (§13.5: BOOLEAN > ARRAY > OBJECT > STRING > INTEGER, DOUBLE > NULL).
func jsonRank(r gjson.Result) int {
	switch r.Type {
	case gjson.Null:
		return 0
	case gjson.Number:
		return 1
	case gjson.String:
		return 2
	case gjson.JSON:
		if r.IsArray() {
			return 4
		}
		return 3
	case gjson.True, gjson.False:
		return 5
	}
	return 0
}

// compareJSON orders two JSON values: by type precedence when the types differ, else by the
// type's own rule (numbers numerically, strings by bytes, false < true, arrays element by
// element, objects equal when they have the same keys with equal values).
func compareJSON(a, b gjson.Result) int {
	ra, rb := jsonRank(a), jsonRank(b)
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	switch ra {
	case 1:
		return compareNumbers(numberValue(a.Raw, a.Num), numberValue(b.Raw, b.Num))
	case 2:
		return strings.Compare(a.Str, b.Str)
	case 5:
		return cmpInt(boolInt(a.Type == gjson.True), boolInt(b.Type == gjson.True))
	case 4:
		ea, eb := a.Array(), b.Array()
		for i := 0; i < len(ea) && i < len(eb); i++ {
			if c := compareJSON(ea[i], eb[i]); c != 0 {
				return c
			}
		}
		return cmpInt(int64(len(ea)), int64(len(eb)))
	case 3:
		return compareObjects(a, b)
	}
	return 0
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// compareObjects: equal objects give 0; unequal ones a deterministic order (MySQL leaves it
// unspecified): fewer keys first, then key by key in sorted key order.
func compareObjects(a, b gjson.Result) int {
	ka, kb := objectMembers(a), objectMembers(b)
	if c := cmpInt(int64(len(ka)), int64(len(kb))); c != 0 {
		return c
	}
	for i := range ka {
		if c := strings.Compare(ka[i].key, kb[i].key); c != 0 {
			return c
		}
		if c := compareJSON(ka[i].val, kb[i].val); c != 0 {
			return c
		}
	}
	return 0
}

type member struct {
	key string
	val gjson.Result
}

// objectMembers lists an object's members sorted by key; a duplicated key keeps its last value.
func objectMembers(r gjson.Result) []member {
	var ms []member
	r.ForEach(func(k, v gjson.Result) bool {
		ms = append(ms, member{k.Str, v})
		return true
	})
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].key < ms[j].key })
	out := ms[:0]
	for i, m := range ms {
		if i+1 < len(ms) && ms[i+1].key == m.key {
			continue
		}
		out = append(out, m)
	}
	return out
}

// sortCompare is ORDER BY's total order: NULLs first, then numbers, strings, times and JSON;
// values of one class by compare.
func sortCompare(a, b value) int {
	ca, cb := sortClass(a), sortClass(b)
	if ca == 4 && cb == 4 || (ca == 4 || cb == 4) && ca != 0 && cb != 0 {
		return compareJSON(jsonOfScalar(a), jsonOfScalar(b))
	}
	if ca != cb {
		return cmpInt(int64(ca), int64(cb))
	}
	if ca == 0 {
		return 0
	}
	c, _ := compare(a, b)
	return c
}

func sortClass(v value) int {
	switch v.k {
	case kNull:
		return 0
	case kInt, kFloat, kBool:
		return 1
	case kString:
		return 2
	case kTime:
		return 3
	}
	return 4
}

// groupKey is a key under which values that compare equal for GROUP BY and DISTINCT meet.
func groupKey(buf []byte, v value) []byte {
	switch v.k {
	case kNull:
		return append(buf, 'N', 0)
	case kInt, kBool:
		buf = append(buf, 'n')
		buf = strconv.AppendInt(buf, v.i, 10)
	case kFloat:
		if v.f == math.Trunc(v.f) && math.Abs(v.f) < 1<<62 {
			buf = append(buf, 'n')
			buf = strconv.AppendInt(buf, int64(v.f), 10)
		} else {
			buf = append(buf, 'f')
			buf = strconv.AppendFloat(buf, v.f, 'g', -1, 64)
		}
	case kString:
		buf = append(buf, 's')
		if v.ci {
			buf = append(buf, idkey.Of(v.s)...)
		} else {
			buf = append(buf, v.s...)
		}
	case kTime:
		buf = append(buf, 't')
		buf = v.t.UTC().AppendFormat(buf, "2006-01-02T15:04:05.999999999")
	case kJSON:
		buf = append(buf, 'j')
		var c bytes.Buffer
		if json.Compact(&c, []byte(v.s)) == nil {
			buf = append(buf, c.Bytes()...)
		} else {
			buf = append(buf, v.s...)
		}
	}
	return append(buf, 0)
}
