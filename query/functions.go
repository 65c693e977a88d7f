package query

import (
	"strings"

	"github.com/tidwall/gjson"
)

// pathResult converts what a path lookup found: missing is NULL; else JSON text, or with
// scalar the SQL scalar (->> and bare names).
func pathResult(r gjson.Result, scalar bool) value {
	if !r.Exists() {
		return nullValue
	}
	if scalar {
		return scalarOfJSON(r)
	}
	return jsonValue(r.Raw)
}

// docText is a value used as a JSON document argument of a JSON function (MySQL: JSON, or a
// string holding JSON text; anything else is an error). NULL is handled by the caller.
func docText(v value, fn string, argN int) (string, error) {
	switch v.k {
	case kJSON:
		return v.s, nil
	case kString:
		s := trimJSON(v.s)
		if !jsonValid(s) {
			return "", evalError("invalid JSON text in argument %d to function %s: %q", argN, fn, truncate(v.s, 40))
		}
		return s, nil
	case kInt, kFloat, kBool:
		return v.jsonText(false)
	}
	return "", evalError("invalid data type for JSON data in argument %d to function %s", argN, fn)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// pathArg is a JSON path argument: compiled when it is a literal, else read at evaluation.
type pathArg struct {
	static *jsonPath
	dyn    expr
}

func (p pathArg) get(e *env, fn string) (*jsonPath, bool, error) {
	if p.static != nil {
		return p.static, true, nil
	}
	v, err := p.dyn.eval(e)
	if err != nil || v.isNull() {
		return nil, false, err
	}
	jp, err := parseJSONPath(v.text())
	if err != nil {
		return nil, false, evalError("%s: %v", fn, err)
	}
	return jp, true, nil
}

// funcSpec describes a scalar function of the dialect.
type funcSpec struct {
	minArgs, maxArgs int    // maxArgs -1: any number
	typ              string // result column type
	// pathArgs says which arguments are JSON paths (compiled when literal).
	pathArgs func(i, n int) bool
	call     func(e *env, f *funcCall) (value, error)
}

// funcCall is a compiled call of a scalar function.
type funcCall struct {
	name  string
	spec  *funcSpec
	args  []expr
	paths []pathArg // by argument index; zero where not a path
}

func (f *funcCall) eval(e *env) (value, error) { return f.spec.call(e, f) }

// arg evaluates argument i.
func (f *funcCall) arg(e *env, i int) (value, error) { return f.args[i].eval(e) }

// scalarFuncs are the dialect's scalar functions (DESIGN.md §4).
var scalarFuncs = map[string]*funcSpec{
	"json_extract":     {minArgs: 2, maxArgs: -1, typ: "JSON", pathArgs: func(i, _ int) bool { return i > 0 }, call: callJSONExtract},
	"json_unquote":     {minArgs: 1, maxArgs: 1, typ: "", call: callJSONUnquote},
	"json_set":         {minArgs: 3, maxArgs: -1, typ: "JSON", pathArgs: func(i, _ int) bool { return i%2 == 1 }, call: callJSONSet},
	"json_remove":      {minArgs: 2, maxArgs: -1, typ: "JSON", pathArgs: func(i, _ int) bool { return i > 0 }, call: callJSONRemove},
	"json_merge_patch": {minArgs: 2, maxArgs: -1, typ: "JSON", call: callJSONMergePatch},
	"json_length":      {minArgs: 1, maxArgs: 2, typ: "INTEGER", pathArgs: func(i, _ int) bool { return i == 1 }, call: callJSONLength},
	"json_type":        {minArgs: 1, maxArgs: 1, typ: "TEXT", call: callJSONType},
	"json_contains":    {minArgs: 2, maxArgs: 3, typ: "BOOLEAN", pathArgs: func(i, _ int) bool { return i == 2 }, call: callJSONContains},
	"lower":            {minArgs: 1, maxArgs: 1, typ: "TEXT", call: func(e *env, f *funcCall) (value, error) { return caseMap(e, f, strings.ToLower) }},
	"upper":            {minArgs: 1, maxArgs: 1, typ: "TEXT", call: func(e *env, f *funcCall) (value, error) { return caseMap(e, f, strings.ToUpper) }},
	"coalesce":         {minArgs: 1, maxArgs: -1, typ: "", call: callCoalesce},
}

// docArg evaluates argument i as a JSON document; null reports SQL NULL.
func (f *funcCall) docArg(e *env, i int) (doc string, null bool, err error) {
	v, err := f.arg(e, i)
	if err != nil || v.isNull() {
		return "", true, err
	}
	d, err := docText(v, strings.ToUpper(f.name), i+1)
	return d, false, err
}

func callJSONExtract(e *env, f *funcCall) (value, error) {
	doc, null, err := f.docArg(e, 0)
	if err != nil || null {
		return nullValue, err
	}
	if len(f.args) == 2 {
		p, ok, err := f.paths[1].get(e, "JSON_EXTRACT")
		if err != nil || !ok {
			return nullValue, err
		}
		return pathResult(p.lookup(doc), false), nil
	}
	// Several paths: the values found, wrapped in an array (NULL when none is found).
	var found []string
	for i := 1; i < len(f.args); i++ {
		p, ok, err := f.paths[i].get(e, "JSON_EXTRACT")
		if err != nil || !ok {
			return nullValue, err
		}
		if r := p.lookup(doc); r.Exists() {
			found = append(found, r.Raw)
		}
	}
	if len(found) == 0 {
		return nullValue, nil
	}
	return jsonValue(jsonArrayOf(found)), nil
}

// callJSONUnquote: a JSON value gives what ->> gives; a SQL string that is a JSON string literal
// is unquoted; any other string is returned as is (MySQL 8.0 §14.17.3).
func callJSONUnquote(e *env, f *funcCall) (value, error) {
	v, err := f.arg(e, 0)
	if err != nil || v.isNull() {
		return nullValue, err
	}
	switch v.k {
	case kJSON:
		return scalarOfJSON(gjson.Parse(v.s)), nil
	case kString:
		s := trimJSON(v.s)
		if len(s) >= 2 && s[0] == '"' {
			if !jsonValid(s) {
				return nullValue, evalError("invalid JSON text in argument 1 to function JSON_UNQUOTE: %q", truncate(v.s, 40))
			}
			return stringValue(gjson.Parse(s).Str), nil
		}
		return v, nil
	}
	return stringValue(v.text()), nil
}

func callJSONSet(e *env, f *funcCall) (value, error) {
	if len(f.args)%2 == 0 {
		return nullValue, evalError("JSON_SET takes a document and path/value pairs")
	}
	doc, null, err := f.docArg(e, 0)
	if err != nil || null {
		return nullValue, err
	}
	for i := 1; i+1 < len(f.args); i += 2 {
		p, ok, err := f.paths[i].get(e, "JSON_SET")
		if err != nil {
			return nullValue, err
		}
		if !ok {
			return nullValue, nil
		}
		v, err := f.arg(e, i+1)
		if err != nil {
			return nullValue, err
		}
		raw, err := v.jsonText(false)
		if err != nil {
			return nullValue, err
		}
		doc = setPath(doc, p.steps, raw, setMySQL)
	}
	return jsonValue(doc), nil
}

func callJSONRemove(e *env, f *funcCall) (value, error) {
	doc, null, err := f.docArg(e, 0)
	if err != nil || null {
		return nullValue, err
	}
	for i := 1; i < len(f.args); i++ {
		p, ok, err := f.paths[i].get(e, "JSON_REMOVE")
		if err != nil {
			return nullValue, err
		}
		if !ok {
			return nullValue, nil
		}
		if len(p.steps) == 0 {
			return nullValue, evalError("JSON_REMOVE: the path '$' cannot be removed")
		}
		doc = removePath(doc, p.steps)
	}
	return jsonValue(doc), nil
}

func callJSONMergePatch(e *env, f *funcCall) (value, error) {
	var doc string
	for i := range f.args {
		d, null, err := f.docArg(e, i)
		if err != nil {
			return nullValue, err
		}
		if null {
			// MySQL: a NULL argument makes the result NULL unless a later patch is not an object.
			doc = ""
			continue
		}
		if i == 0 {
			doc = d
			continue
		}
		if doc == "" && gjson.Parse(d).IsObject() {
			continue
		}
		doc = mergePatch(doc, d)
	}
	if doc == "" {
		return nullValue, nil
	}
	return jsonValue(doc), nil
}

func callJSONLength(e *env, f *funcCall) (value, error) {
	doc, null, err := f.docArg(e, 0)
	if err != nil || null {
		return nullValue, err
	}
	r := gjson.Parse(doc)
	if len(f.args) == 2 {
		p, ok, err := f.paths[1].get(e, "JSON_LENGTH")
		if err != nil || !ok {
			return nullValue, err
		}
		r = p.lookup(doc)
		if !r.Exists() {
			return nullValue, nil
		}
	}
	return intValue(jsonLength(r)), nil
}

func callJSONType(e *env, f *funcCall) (value, error) {
	doc, null, err := f.docArg(e, 0)
	if err != nil || null {
		return nullValue, err
	}
	return stringValue(jsonTypeName(gjson.Parse(doc))), nil
}

func callJSONContains(e *env, f *funcCall) (value, error) {
	target, null, err := f.docArg(e, 0)
	if err != nil || null {
		return nullValue, err
	}
	cand, null, err := f.docArg(e, 1)
	if err != nil || null {
		return nullValue, err
	}
	t := gjson.Parse(target)
	if len(f.args) == 3 {
		p, ok, err := f.paths[2].get(e, "JSON_CONTAINS")
		if err != nil || !ok {
			return nullValue, err
		}
		t = p.lookup(target)
		if !t.Exists() {
			return nullValue, nil
		}
	}
	return boolValue(jsonContains(t, gjson.Parse(cand))), nil
}

func caseMap(e *env, f *funcCall, m func(string) string) (value, error) {
	v, err := f.arg(e, 0)
	if err != nil || v.isNull() {
		return nullValue, err
	}
	return stringValue(m(v.text())), nil
}

func callCoalesce(e *env, f *funcCall) (value, error) {
	for i := range f.args {
		v, err := f.arg(e, i)
		if err != nil || !v.isNull() {
			return v, err
		}
	}
	return nullValue, nil
}
