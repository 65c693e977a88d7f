package query

import (
	"strings"

	"github.com/tidwall/gjson"
)

// Editing JSON text in place: a replaced value is spliced into the text, so the rest of the
// document keeps its bytes (key order, raw numbers, formatting); containers that gain or lose a
// member are rewritten at that level only, keeping each member's raw text.

// setMode says what a set does when the path leads through something missing.
type setMode uint8

const (
	// setMySQL is JSON_SET: replace an existing value, add a missing last member to an existing
	// object, append past an array's end; a missing parent makes the pair a no-op.
	setMySQL setMode = iota
	// setNested is assignment to a path (`user.name` = 'x', INSERT's extra columns): missing
	// objects on the way are created.
	setNested
)

// setPath returns doc with raw (JSON text) stored at steps.
func setPath(doc string, steps []pathStep, raw string, mode setMode) string {
	if len(steps) == 0 {
		return raw
	}
	d := trimJSON(doc)
	st := steps[0]
	r := gjson.Parse(d)
	if !st.isIndex {
		if !r.IsObject() {
			if mode != setNested {
				return doc
			}
			d, r = "{}", gjson.Parse("{}")
		}
		var found gjson.Result
		r.ForEach(func(k, v gjson.Result) bool {
			if k.Str == st.key {
				found = v
			}
			return true
		})
		if found.Exists() {
			inner := setPath(found.Raw, steps[1:], raw, mode)
			return d[:found.Index] + inner + d[found.Index+len(found.Raw):]
		}
		if len(steps) > 1 {
			if mode != setNested {
				return doc
			}
			raw = setPath("", steps[1:], raw, mode)
		}
		return appendMember(d, string(gjson.AppendJSONString(nil, st.key)), raw)
	}
	if !r.IsArray() {
		// MySQL: a value that is not an array acts as a one-element array holding it.
		if !r.Exists() {
			if mode != setNested {
				return doc
			}
			d, r = "[]", gjson.Parse("[]")
		} else {
			if st.index == 0 || st.fromLast && st.index == 0 {
				return setPath(d, steps[1:], raw, mode)
			}
			if len(steps) > 1 && mode != setNested {
				return doc
			}
			if len(steps) > 1 {
				raw = setPath("", steps[1:], raw, mode)
			}
			return "[" + d + "," + raw + "]"
		}
	}
	elems := elements(r)
	n := st.index
	if st.fromLast {
		n = len(elems) - 1 - st.index
		if n < 0 {
			return doc
		}
	}
	if n < len(elems) {
		e := elems[n]
		inner := setPath(e.Raw, steps[1:], raw, mode)
		return d[:e.Index] + inner + d[e.Index+len(e.Raw):]
	}
	if len(steps) > 1 {
		if mode != setNested {
			return doc
		}
		raw = setPath("", steps[1:], raw, mode)
	}
	return appendElement(d, raw)
}

// appendMember adds "key": raw at the end of object d.
func appendMember(d, keyRaw, raw string) string {
	end := strings.LastIndexByte(d, '}')
	if end < 1 {
		return d // not a well-formed object: leave it
	}
	inner := strings.TrimRight(d[1:end], " \t\r\n")
	if strings.TrimSpace(inner) == "" {
		return "{" + keyRaw + ":" + raw + "}"
	}
	return d[:1] + inner + "," + keyRaw + ":" + raw + "}"
}

// appendElement adds raw at the end of array d.
func appendElement(d, raw string) string {
	end := strings.LastIndexByte(d, ']')
	if end < 1 {
		return d // not a well-formed array: leave it
	}
	inner := strings.TrimRight(d[1:end], " \t\r\n")
	if strings.TrimSpace(inner) == "" {
		return "[" + raw + "]"
	}
	return d[:1] + inner + "," + raw + "]"
}

// removePath returns doc without the value at steps (unchanged when there is none).
func removePath(doc string, steps []pathStep) string {
	if len(steps) == 0 {
		return doc
	}
	d := trimJSON(doc)
	r := gjson.Parse(d)
	st := steps[0]
	var b strings.Builder
	changed := false
	if !st.isIndex {
		if !r.IsObject() {
			return doc
		}
		b.WriteByte('{')
		first := true
		r.ForEach(func(k, v gjson.Result) bool {
			val := v.Raw
			if k.Str == st.key {
				if len(steps) == 1 {
					changed = true
					return true
				}
				val = removePath(v.Raw, steps[1:])
				changed = changed || val != v.Raw
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(k.Raw)
			b.WriteByte(':')
			b.WriteString(val)
			return true
		})
		b.WriteByte('}')
	} else {
		if !r.IsArray() {
			return doc
		}
		elems := r.Array()
		n := st.index
		if st.fromLast {
			n = len(elems) - 1 - st.index
		}
		if n < 0 || n >= len(elems) {
			return doc
		}
		b.WriteByte('[')
		first := true
		for i, e := range elems {
			val := e.Raw
			if i == n {
				if len(steps) == 1 {
					changed = true
					continue
				}
				val = removePath(e.Raw, steps[1:])
				changed = changed || val != e.Raw
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(val)
		}
		b.WriteByte(']')
	}
	if !changed {
		return doc
	}
	return b.String()
}

// mergePatch is RFC 7396 JSON Merge Patch (MySQL's JSON_MERGE_PATCH): a patch that is not an
// object replaces the target; an object patch merges key by key, null deleting the key. The
// target's key order is kept and new keys follow in the patch's order. When the patch changes
// nothing the target's text is returned as is.
func mergePatch(target, patch string) string {
	p := gjson.Parse(patch)
	if !p.IsObject() {
		return trimJSON(patch)
	}
	t := gjson.Parse(target)
	if !t.IsObject() {
		target, t = "{}", gjson.Parse("{}")
	}
	type pm struct {
		keyRaw, key string
		val         gjson.Result
		used        bool
	}
	var pms []pm
	p.ForEach(func(k, v gjson.Result) bool {
		for i := range pms {
			if pms[i].key == k.Str { // a duplicated key: the last one counts
				pms[i].val = v
				return true
			}
		}
		pms = append(pms, pm{keyRaw: k.Raw, key: k.Str, val: v})
		return true
	})
	var b strings.Builder
	b.WriteByte('{')
	first := true
	changed := false
	write := func(keyRaw, val string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(keyRaw)
		b.WriteByte(':')
		b.WriteString(val)
	}
	t.ForEach(func(k, v gjson.Result) bool {
		for i := range pms {
			if pms[i].key != k.Str {
				continue
			}
			pms[i].used = true
			if pms[i].val.Type == gjson.Null {
				changed = true
				return true
			}
			merged := mergePatch(v.Raw, pms[i].val.Raw)
			changed = changed || merged != v.Raw
			write(k.Raw, merged)
			return true
		}
		write(k.Raw, v.Raw)
		return true
	})
	for _, m := range pms {
		if m.used || m.val.Type == gjson.Null {
			continue
		}
		changed = true
		write(m.keyRaw, mergePatch("", m.val.Raw))
	}
	b.WriteByte('}')
	if !changed {
		return target
	}
	return b.String()
}

// jsonTypeName is MySQL's JSON_TYPE of a JSON value.
func jsonTypeName(r gjson.Result) string {
	switch r.Type {
	case gjson.Null:
		return "NULL"
	case gjson.True, gjson.False:
		return "BOOLEAN"
	case gjson.String:
		return "STRING"
	case gjson.Number:
		if isIntegerText(r.Raw) {
			return "INTEGER"
		}
		return "DOUBLE"
	case gjson.JSON:
		if r.IsArray() {
			return "ARRAY"
		}
		return "OBJECT"
	}
	return "NULL"
}

// jsonLength is MySQL's JSON_LENGTH: 1 for a scalar, the number of elements or members else.
func jsonLength(r gjson.Result) int64 {
	if r.Type != gjson.JSON {
		return 1
	}
	n := int64(0)
	r.ForEach(func(_, _ gjson.Result) bool {
		n++
		return true
	})
	return n
}

// jsonContains is MySQL's JSON_CONTAINS (8.0 §14.17.3): scalars contain an equal scalar of a
// comparable type; an array contains a non-array contained in one of its elements, and an
// array each of whose elements it contains; an object contains an object whose every key it
// has with a value containing the candidate's.
func jsonContains(target, cand gjson.Result) bool {
	switch {
	case target.IsArray():
		elems := target.Array()
		if cand.IsArray() {
			for _, c := range cand.Array() {
				if !jsonContains(target, c) {
					return false
				}
			}
			return true
		}
		for _, e := range elems {
			if jsonContains(e, cand) {
				return true
			}
		}
		return false
	case target.IsObject():
		if !cand.IsObject() {
			return false
		}
		ok := true
		cand.ForEach(func(k, v gjson.Result) bool {
			tv := target.Get(escapeKey(k.Str))
			if k.Str == "" {
				tv = gjson.Result{}
				target.ForEach(func(tk, x gjson.Result) bool {
					if tk.Str == "" {
						tv = x
					}
					return true
				})
			}
			if !tv.Exists() || !jsonContains(tv, v) {
				ok = false
			}
			return ok
		})
		return ok
	}
	if cand.Type == gjson.JSON {
		return false
	}
	rt, rc := jsonRank(target), jsonRank(cand)
	if rt != rc {
		return false
	}
	return compareJSON(target, cand) == 0
}

// jsonArrayOf builds a JSON array of raw values.
func jsonArrayOf(raws []string) string {
	return "[" + strings.Join(raws, ",") + "]"
}

// elements lists an array's elements with their offsets (Index) in the array's text.
func elements(r gjson.Result) []gjson.Result {
	var out []gjson.Result
	r.ForEach(func(_, v gjson.Result) bool {
		out = append(out, v)
		return true
	})
	return out
}
