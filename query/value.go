package query

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// kind is the type of a value during evaluation.
type kind uint8

const (
	kNull kind = iota
	kInt
	kFloat
	kString
	kBool
	kTime
	kJSON // JSON text: what ->, JSON_EXTRACT, the data column and the JSON functions give
)

// value is one SQL or JSON value during evaluation.
type value struct {
	k kind
	// ci: a string that compares case-insensitively (the id column: ids are GitHub labels).
	ci bool
	// fromBytes: a string bound as []byte; it is JSON when assigned to data or a path and valid.
	fromBytes bool
	i         int64 // kInt; kBool (0/1)
	f         float64
	s         string // kString; kJSON text (trimmed)
	t         time.Time
}

var nullValue = value{}

func intValue(i int64) value      { return value{k: kInt, i: i} }
func floatValue(f float64) value  { return value{k: kFloat, f: f} }
func stringValue(s string) value  { return value{k: kString, s: s} }
func timeValue(t time.Time) value { return value{k: kTime, t: t} }
func jsonValue(raw string) value  { return value{k: kJSON, s: raw} }
func boolValue(b bool) value {
	if b {
		return value{k: kBool, i: 1}
	}
	return value{k: kBool}
}

func (v value) isNull() bool { return v.k == kNull }

// goValue is the value as a result row holds it (DESIGN.md §4's Go types).
func (v value) goValue() any {
	switch v.k {
	case kInt:
		return v.i
	case kFloat:
		return v.f
	case kString:
		return v.s
	case kBool:
		return v.i != 0
	case kTime:
		return v.t
	case kJSON:
		return []byte(v.s)
	}
	return nil
}

// trimJSON trims JSON's insignificant whitespace around a value.
func trimJSON(s string) string {
	return strings.Trim(s, " \t\r\n")
}

// jsonValid reports whether s is one valid JSON value.
func jsonValid(s string) bool { return gjson.Valid(s) }

// scalarOfJSON is what ->> and a bare name give for a JSON value: string unquoted, integral
// number as int64 (when in range), other number as float64, boolean, null as NULL, and
// object/array as their JSON text.
func scalarOfJSON(r gjson.Result) value {
	switch r.Type {
	case gjson.String:
		return stringValue(r.Str)
	case gjson.Number:
		return numberValue(r.Raw, r.Num)
	case gjson.True:
		return boolValue(true)
	case gjson.False:
		return boolValue(false)
	case gjson.JSON:
		return jsonValue(r.Raw)
	}
	return nullValue
}

// numberValue converts a JSON number: int64 when its text is an integer in range (exact past
// 2^53), else float64.
func numberValue(raw string, f float64) value {
	if isIntegerText(raw) {
		if i, err := strconv.ParseInt(raw, 10, 64); err == nil {
			return intValue(i)
		}
	}
	if f == 0 && raw != "" {
		if g, err := strconv.ParseFloat(raw, 64); err == nil {
			f = g
		}
	}
	return floatValue(f)
}

func isIntegerText(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// jsonOfScalar is the JSON a SQL value stands for when compared with JSON (MySQL converts the
// SQL value to JSON): strings stay strings (never parsed), numbers numbers, booleans booleans.
func jsonOfScalar(v value) gjson.Result {
	switch v.k {
	case kInt:
		return gjson.Result{Type: gjson.Number, Raw: strconv.FormatInt(v.i, 10), Num: float64(v.i)}
	case kFloat:
		return gjson.Result{Type: gjson.Number, Raw: formatFloat(v.f), Num: v.f}
	case kString:
		return gjson.Result{Type: gjson.String, Str: v.s, Raw: string(gjson.AppendJSONString(nil, v.s))}
	case kBool:
		if v.i != 0 {
			return gjson.Result{Type: gjson.True, Raw: "true"}
		}
		return gjson.Result{Type: gjson.False, Raw: "false"}
	case kTime:
		s := v.t.UTC().Format(time.RFC3339Nano)
		return gjson.Result{Type: gjson.String, Str: s, Raw: strconv.Quote(s)}
	case kJSON:
		return gjson.Parse(v.s)
	}
	return gjson.Result{Type: gjson.Null, Raw: "null"}
}

// formatFloat writes a float as JSON and SQL text.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// text is a value as SQL text (for LIKE, LOWER, UPPER, string comparison).
func (v value) text() string {
	switch v.k {
	case kInt:
		return strconv.FormatInt(v.i, 10)
	case kFloat:
		return formatFloat(v.f)
	case kString:
		return v.s
	case kBool:
		if v.i != 0 {
			return "true"
		}
		return "false"
	case kTime:
		return v.t.UTC().Format(time.RFC3339Nano)
	case kJSON:
		r := gjson.Parse(v.s)
		if r.Type == gjson.String {
			return r.Str
		}
		return v.s
	}
	return ""
}

// jsonText is the JSON text a value is stored as when assigned to data or a path. asDoc: a
// string that holds JSON (a string bound for `data = ?` or JSON_MERGE_PATCH) is that JSON.
func (v value) jsonText(asDoc bool) (string, error) {
	switch v.k {
	case kNull:
		return "null", nil
	case kInt:
		return strconv.FormatInt(v.i, 10), nil
	case kFloat:
		if math.IsInf(v.f, 0) || math.IsNaN(v.f) {
			return "", evalError("%v cannot be stored as JSON", v.f)
		}
		return formatFloat(v.f), nil
	case kString:
		if (asDoc || v.fromBytes) && jsonValid(v.s) {
			return trimJSON(v.s), nil
		}
		return string(gjson.AppendJSONString(nil, v.s)), nil
	case kBool:
		if v.i != 0 {
			return "true", nil
		}
		return "false", nil
	case kTime:
		return strconv.Quote(v.t.UTC().Format(time.RFC3339Nano)), nil
	case kJSON:
		return v.s, nil
	}
	return "null", nil
}

// number converts a value for arithmetic (MySQL: a string's numeric prefix, else 0; a boolean
// 1 or 0; JSON by its scalar). ok is false for NULL and for values with no number (times).
func (v value) number() (value, bool) {
	switch v.k {
	case kInt, kFloat:
		return v, true
	case kBool:
		return intValue(v.i), true
	case kString:
		return parseNumberPrefix(v.s), true
	case kJSON:
		r := gjson.Parse(v.s)
		switch r.Type {
		case gjson.JSON:
			return intValue(0), true
		case gjson.Null:
			return nullValue, false
		}
		return scalarOfJSON(r).number()
	}
	return nullValue, false
}

// parseNumber parses a whole string (surrounding blanks allowed) as a number.
func parseNumber(s string) (value, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nullValue, false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return intValue(i), true
	}
	if !looksNumeric(s) {
		return nullValue, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return nullValue, false
	}
	return floatValue(f), true
}

// looksNumeric rejects what strconv.ParseFloat accepts but SQL does not (inf, nan, hex, _).
func looksNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// parseNumberPrefix is MySQL's string-to-number conversion: the longest numeric prefix, else 0.
func parseNumberPrefix(s string) value {
	s = strings.TrimLeft(s, " \t\r\n")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	digits := 0
	for end < len(s) && isDigit(s[end]) {
		end++
		digits++
	}
	isFloat := false
	if end < len(s) && s[end] == '.' {
		k := end + 1
		for k < len(s) && isDigit(s[k]) {
			k++
			digits++
		}
		if digits > 0 {
			isFloat, end = true, k
		}
	}
	if digits == 0 {
		return intValue(0)
	}
	if end < len(s) && (s[end] == 'e' || s[end] == 'E') {
		k := end + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			isFloat, end = true, k
		}
	}
	if !isFloat {
		if i, err := strconv.ParseInt(s[:end], 10, 64); err == nil {
			return intValue(i)
		}
	}
	f, _ := strconv.ParseFloat(s[:end], 64)
	return floatValue(f)
}

// truth is a value as a condition: NULL is unknown (ok false).
func (v value) truth() (b, ok bool) {
	switch v.k {
	case kNull:
		return false, false
	case kBool, kInt:
		return v.i != 0, true
	case kFloat:
		return v.f != 0, true
	case kString:
		n := parseNumberPrefix(v.s)
		if n.k == kInt {
			return n.i != 0, true
		}
		return n.f != 0, true
	case kTime:
		return !v.t.IsZero(), true
	case kJSON:
		r := gjson.Parse(v.s)
		switch r.Type {
		case gjson.JSON:
			return true, true
		case gjson.Null:
			return false, true
		}
		return scalarOfJSON(r).truth()
	}
	return false, false
}

// parseTime reads the timestamp forms users write in SQL.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
