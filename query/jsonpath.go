package query

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// A jsonPath is a MySQL JSON path (MySQL 8.0 §14.17.2 "JSON Path Syntax"): `$`, then legs
// `.key`, `."quoted key"`, `[N]`, `[last]`, `[last-N]`. Wildcards (`.*`, `[*]`, `**`) and
// ranges (`[M to N]`) are refused with an error naming them. Lookups run on gjson: consecutive
// keys become one gjson path with every byte outside [A-Za-z_] escaped, so keys holding dots,
// spaces, quotes, digits or gjson's own syntax (@ # * ? | !) are keys, never syntax.
type jsonPath struct {
	text  string
	steps []pathStep
	segs  []pathSeg
}

type pathStep struct {
	key      string
	index    int
	isIndex  bool
	fromLast bool // [last-index]
}

// pathSeg is a run of keys (gjson path) or one array index.
type pathSeg struct {
	gpath    string
	keys     int // number of keys in gpath; 0 for an index
	emptyKey bool
	step     pathStep
}

// maxPathLegs caps a path's legs.
const maxPathLegs = 64

func parseJSONPath(text string) (*jsonPath, error) {
	p := &jsonPath{text: text}
	s := strings.TrimSpace(text)
	if s == "" || s[0] != '$' {
		return nil, fmt.Errorf("invalid JSON path %q: it must start with $", text)
	}
	i := 1
	for {
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		if len(p.steps) >= maxPathLegs {
			return nil, fmt.Errorf("JSON path %q has more than %d legs", text, maxPathLegs)
		}
		switch s[i] {
		case '.':
			i++
			for i < len(s) && isBlank(s[i]) {
				i++
			}
			if i >= len(s) {
				return nil, fmt.Errorf("invalid JSON path %q: a key must follow '.'", text)
			}
			switch {
			case s[i] == '*':
				return nil, fmt.Errorf("JSON path wildcard .* in %q is not supported", text)
			case s[i] == '"':
				end, ok := scanQuoted(s, i+1, '"', true)
				if !ok {
					return nil, fmt.Errorf("invalid JSON path %q: unterminated quoted key", text)
				}
				r := gjson.Parse(s[i:end])
				if r.Type != gjson.String {
					return nil, fmt.Errorf("invalid JSON path %q: bad quoted key", text)
				}
				p.steps = append(p.steps, pathStep{key: r.Str})
				i = end
			default:
				j := i
				for j < len(s) && !strings.ContainsRune(".[ \t\r\n\"*", rune(s[j])) {
					j++
				}
				if j == i {
					return nil, fmt.Errorf("invalid JSON path %q at offset %d", text, i)
				}
				p.steps = append(p.steps, pathStep{key: s[i:j]})
				i = j
			}
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("invalid JSON path %q: missing ]", text)
			}
			inner := strings.TrimSpace(s[i+1 : i+end])
			i += end + 1
			switch {
			case inner == "*":
				return nil, fmt.Errorf("JSON path wildcard [*] in %q is not supported", text)
			case strings.Contains(strings.ToLower(inner), " to "):
				return nil, fmt.Errorf("JSON path range [%s] in %q is not supported", inner, text)
			case strings.HasPrefix(strings.ToLower(inner), "last"):
				rest := strings.TrimSpace(inner[4:])
				n := 0
				if rest != "" {
					if rest[0] != '-' {
						return nil, fmt.Errorf("invalid JSON path %q: bad index [%s]", text, inner)
					}
					k, err := strconv.Atoi(strings.TrimSpace(rest[1:]))
					if err != nil || k < 0 {
						return nil, fmt.Errorf("invalid JSON path %q: bad index [%s]", text, inner)
					}
					n = k
				}
				p.steps = append(p.steps, pathStep{isIndex: true, fromLast: true, index: n})
			default:
				k, err := strconv.Atoi(inner)
				if err != nil || k < 0 || !isIntegerText(inner) {
					return nil, fmt.Errorf("invalid JSON path %q: bad array index [%s]", text, inner)
				}
				p.steps = append(p.steps, pathStep{isIndex: true, index: k})
			}
		case '*':
			return nil, fmt.Errorf("JSON path wildcard ** in %q is not supported", text)
		default:
			return nil, fmt.Errorf("invalid JSON path %q at offset %d", text, i)
		}
	}
	p.segs = segment(p.steps)
	return p, nil
}

// namePath is the path a name that is no column stands for: `score` is $.score, `user.name`
// is $.user.name (a dotted name nests), and `tags[0]` is $.tags[0].
func namePath(name string) (*jsonPath, error) {
	p := &jsonPath{text: name}
	for _, part := range strings.Split(name, ".") {
		key := part
		var idx []int
		for strings.HasSuffix(key, "]") {
			open := strings.LastIndexByte(key, '[')
			if open < 0 {
				break
			}
			k, err := strconv.Atoi(key[open+1 : len(key)-1])
			if err != nil || k < 0 {
				break
			}
			idx = append([]int{k}, idx...)
			key = key[:open]
		}
		if key == "" {
			return nil, fmt.Errorf("name %q has an empty part", name)
		}
		p.steps = append(p.steps, pathStep{key: key})
		for _, k := range idx {
			p.steps = append(p.steps, pathStep{isIndex: true, index: k})
		}
	}
	if len(p.steps) > maxPathLegs {
		return nil, fmt.Errorf("name %q has more than %d parts", name, maxPathLegs)
	}
	p.segs = segment(p.steps)
	return p, nil
}

func segment(steps []pathStep) []pathSeg {
	var segs []pathSeg
	for _, st := range steps {
		if st.isIndex || st.key == "" {
			segs = append(segs, pathSeg{step: st, emptyKey: !st.isIndex})
			continue
		}
		if n := len(segs); n > 0 && segs[n-1].keys > 0 {
			segs[n-1].gpath += "." + escapeKey(st.key)
			segs[n-1].keys++
			continue
		}
		segs = append(segs, pathSeg{gpath: escapeKey(st.key), keys: 1})
	}
	return segs
}

// escapeKey makes a key a literal gjson path component.
func escapeKey(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_') {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// lookup finds the value at p in doc (JSON text). Following MySQL, [0] of a value that is not an
// array is the value itself.
func (p *jsonPath) lookup(doc string) gjson.Result {
	cur := gjson.Parse(doc)
	for _, sg := range p.segs {
		if !cur.Exists() {
			return cur
		}
		switch {
		case sg.keys > 0:
			if !cur.IsObject() {
				return gjson.Result{}
			}
			cur = cur.Get(sg.gpath)
		case sg.emptyKey:
			if !cur.IsObject() {
				return gjson.Result{}
			}
			var found gjson.Result
			cur.ForEach(func(k, v gjson.Result) bool {
				if k.Str == "" {
					found = v
				}
				return true
			})
			cur = found
		default:
			cur = indexInto(cur, sg.step)
		}
	}
	return cur
}

func indexInto(cur gjson.Result, st pathStep) gjson.Result {
	if !cur.IsArray() {
		if st.index == 0 {
			return cur
		}
		return gjson.Result{}
	}
	n := st.index
	if st.fromLast {
		n = int(cur.Get("#").Int()) - 1 - st.index
		if n < 0 {
			return gjson.Result{}
		}
	}
	return cur.Get(strconv.Itoa(n))
}
