package query

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// placeholderStyle is how a statement writes its placeholders. A statement uses one style.
type placeholderStyle uint8

const (
	styleNone     placeholderStyle = iota
	styleQuestion                  // ?        bound by position
	styleNamed                     // :name    bound by name, else by position of first appearance
	styleDollar                    // $N       bound by position N
)

func (s placeholderStyle) String() string {
	switch s {
	case styleQuestion:
		return "?"
	case styleNamed:
		return ":name"
	case styleDollar:
		return "$N"
	}
	return "none"
}

// placeholders is the inventory of a statement's placeholders, from the pre-parse scan.
type placeholders struct {
	style placeholderStyle
	// slots is the number of values to bind.
	slots int
	// names are the :name placeholders in order of first appearance (slot i is names[i]).
	names []string
}

// slotOf maps a sqlparser bind variable (":v1" for the first ?, ":name", or the rewritten $N)
// to its slot, or -1.
func (p *placeholders) slotOf(bindVar string) int {
	name := bindVar
	if len(name) > 0 && name[0] == ':' {
		name = name[1:]
	}
	switch p.style {
	case styleQuestion:
		if len(name) > 1 && name[0] == 'v' {
			if k, err := strconv.Atoi(name[1:]); err == nil && k >= 1 && k <= p.slots {
				return k - 1
			}
		}
	case styleNamed:
		for i, n := range p.names {
			if n == name {
				return i
			}
		}
	case styleDollar:
		k := 0
		for i := 0; i < len(name); i++ {
			c := name[i]
			if c < 'a' || c > 'j' {
				return -1
			}
			k = k*10 + int(c-'a')
		}
		if k >= 1 && k <= p.slots {
			return k - 1
		}
	}
	return -1
}

// dollarName is the bind variable name $N is rewritten to: N's digits as letters a–j, so the
// rewrite keeps every offset of the statement (":bc" for "$12").
func dollarName(digits string) string {
	b := []byte(":" + digits[1:])
	for i := 1; i < len(b); i++ {
		b[i] = 'a' + (b[i] - '0')
	}
	return string(b)
}

// inventory finds the placeholders among toks, checks they use one style, and rewrites $N in
// rewritten (a copy of src with the same length).
func inventory(src string, toks []token, rewritten []byte) (placeholders, error) {
	var p placeholders
	first := -1
	dollars := map[int]bool{}
	maxDollar := 0
	for _, t := range toks {
		if t.kind != tokPlaceholder {
			continue
		}
		text := t.text(src)
		var style placeholderStyle
		switch text[0] {
		case '?':
			style = styleQuestion
		case ':':
			style = styleNamed
		case '$':
			style = styleDollar
		}
		if p.style == styleNone {
			p.style, first = style, t.start
		} else if p.style != style {
			return p, unsupportedAt(src, t.start,
				"placeholder %s mixes styles with %s (at position %d); use one of ?, :name or $N", text, p.style, first+1)
		}
		switch style {
		case styleQuestion:
			p.slots++
		case styleNamed:
			name := text[1:]
			if name == "" || !isLetter(name[0]) {
				return p, syntaxAt(src, t.start, "malformed placeholder %q", text)
			}
			known := false
			for _, n := range p.names {
				known = known || n == name
			}
			if !known {
				p.names = append(p.names, name)
			}
			p.slots = len(p.names)
		case styleDollar:
			if len(text) > 7 {
				return p, syntaxAt(src, t.start, "placeholder %s is out of range", text)
			}
			k, _ := strconv.Atoi(text[1:])
			if k < 1 {
				return p, syntaxAt(src, t.start, "placeholder %s: numbering starts at $1", text)
			}
			dollars[k] = true
			maxDollar = max(maxDollar, k)
			copy(rewritten[t.start:t.end], dollarName(text))
		}
	}
	if p.style == styleDollar {
		for k := 1; k <= maxDollar; k++ {
			if !dollars[k] {
				return p, syntaxAt(src, -1, "placeholder $%d is never used but $%d is", k, maxDollar)
			}
		}
		p.slots = maxDollar
	}
	return p, nil
}

// bindArgs maps args onto the statement's slots. Every slot must be bound exactly once and every
// arg used: a wrong count or an unknown name is an error, before anything runs.
func (p *placeholders) bindArgs(args []Arg) ([]value, error) {
	if len(args) != p.slots {
		return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("statement has %d placeholders, got %d arguments", p.slots, len(args))}
	}
	vals := make([]value, p.slots)
	bound := make([]bool, p.slots)
	for i, a := range args {
		slot := -1
		switch {
		case a.Name != "":
			if p.style != styleNamed {
				return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("argument %d is named %q but the statement's placeholders are %s", i+1, a.Name, p.style)}
			}
			for j, n := range p.names {
				if n == a.Name {
					slot = j
				}
			}
			if slot < 0 {
				return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("argument %d: no placeholder named :%s", i+1, a.Name)}
			}
		default:
			ord := a.Ordinal
			if ord == 0 {
				ord = i + 1
			}
			if ord < 1 || ord > p.slots {
				return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("argument ordinal %d is out of range 1..%d", ord, p.slots)}
			}
			slot = ord - 1
		}
		if bound[slot] {
			return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("placeholder %s is bound twice", p.slotName(slot))}
		}
		v, err := argValue(a.Value)
		if err != nil {
			return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("argument for %s", p.slotName(slot)), Err: err}
		}
		vals[slot], bound[slot] = v, true
	}
	for slot, ok := range bound {
		if !ok {
			return nil, &Error{Kind: ErrBind, Msg: fmt.Sprintf("placeholder %s is not bound", p.slotName(slot))}
		}
	}
	return vals, nil
}

func (p *placeholders) slotName(slot int) string {
	switch p.style {
	case styleNamed:
		return ":" + p.names[slot]
	case styleDollar:
		return "$" + strconv.Itoa(slot+1)
	}
	return "?" + strconv.Itoa(slot+1)
}

// argValue converts a bound Go value. It is only ever a value: nothing in it is parsed as SQL.
func argValue(v any) (value, error) {
	switch x := v.(type) {
	case nil:
		return nullValue, nil
	case int64:
		return intValue(x), nil
	case int:
		return intValue(int64(x)), nil
	case int32:
		return intValue(int64(x)), nil
	case int16:
		return intValue(int64(x)), nil
	case int8:
		return intValue(int64(x)), nil
	case uint8:
		return intValue(int64(x)), nil
	case uint16:
		return intValue(int64(x)), nil
	case uint32:
		return intValue(int64(x)), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return floatValue(float64(x)), nil
		}
		return intValue(int64(x)), nil
	case uint64:
		if x > math.MaxInt64 {
			return floatValue(float64(x)), nil
		}
		return intValue(int64(x)), nil
	case float64:
		return floatValue(x), nil
	case float32:
		return floatValue(float64(x)), nil
	case bool:
		return boolValue(x), nil
	case string:
		return stringValue(x), nil
	case json.RawMessage:
		if !jsonValid(string(x)) {
			return value{}, fmt.Errorf("json.RawMessage is not valid JSON")
		}
		return jsonValue(trimJSON(string(x))), nil
	case []byte:
		v := stringValue(string(x))
		v.fromBytes = true
		return v, nil
	case time.Time:
		return timeValue(x), nil
	}
	return value{}, fmt.Errorf("unsupported argument type %T", v)
}
