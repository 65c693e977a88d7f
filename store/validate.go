package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the wire format (DESIGN.md §2).
const (
	// MaxIDLength is the longest id: the label `UID:<id>` must fit GitHub's 50 characters.
	MaxIDLength = 46
	// MaxBodySize bounds an issue body and every comment, in characters and in bytes.
	MaxBodySize = 65536
)

// ValidateID checks an object id against the wire format's rules; the error wraps ErrInvalidID and
// names the rule broken.
func ValidateID(id string) error {
	n := utf8.RuneCountInString(id)
	switch {
	case !utf8.ValidString(id):
		return fmt.Errorf("%w %q: not valid UTF-8", ErrInvalidID, id)
	case n == 0:
		return fmt.Errorf("%w: empty (an id has 1 to %d characters)", ErrInvalidID, MaxIDLength)
	case n > MaxIDLength:
		return fmt.Errorf("%w %q: %d characters (at most %d, so that the label UID:<id> fits GitHub's 50)", ErrInvalidID, id, n, MaxIDLength)
	case strings.Contains(id, ","):
		return fmt.Errorf("%w %q: contains a comma (labels are listed comma-separated)", ErrInvalidID, id)
	case strings.TrimSpace(id) != id:
		return fmt.Errorf("%w %q: leading or trailing space", ErrInvalidID, id)
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w %q: contains the control character %U", ErrInvalidID, id, r)
		}
	}
	return nil
}

// validateData reads data as the JSON object an object's state must be.
//
// It refuses, before parsing, what could never be written: data that is not valid UTF-8 (GitHub
// would store U+FFFD in its place, so the object would not read as written) and data whose compact
// form already passes GitHub's limit (the indented body is never shorter). So the cost of refusing
// hostile data is linear in its size.
func validateData(id string, data []byte) (*value, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w for %q: not valid UTF-8 (GitHub would store U+FFFD in place of the bad bytes)", ErrInvalidData, id)
	}
	if jsonValid(data) {
		var c bytes.Buffer
		if err := json.Compact(&c, data); err == nil {
			if err := checkSize(id, "data, even compact,", c.Bytes()); err != nil {
				return nil, err
			}
			data = c.Bytes()
		}
	}
	v, ok := parseObject(data)
	if !ok {
		what := "not valid JSON"
		if len(data) > 0 && jsonValid(data) {
			what = "valid JSON but not an object"
		}
		return nil, fmt.Errorf("%w for %q: %s (an object's data is a JSON object)", ErrInvalidData, id, what)
	}
	return v, nil
}

// checkIndented refuses compact JSON whose 2-space indented form (a body or comment as written)
// would pass GitHub's limit, without building that form: a value nested thousands deep is a few
// bytes a level compact but quadratic once indented.
func checkIndented(id, what string, compact []byte) error {
	n, chars := indentedSize(compact, MaxBodySize)
	if n > MaxBodySize || chars > MaxBodySize {
		return fmt.Errorf("%w: %q: the %s would be more than %d bytes or characters once indented (GitHub's limit); %d bytes compact",
			ErrTooLarge, id, what, MaxBodySize, len(compact))
	}
	return nil
}

// checkSize refuses a body or comment past GitHub's limit (characters and bytes).
func checkSize(id, what string, text []byte) error {
	if len(text) > MaxBodySize || utf8.RuneCount(text) > MaxBodySize {
		return fmt.Errorf("%w: %q: the %s would be %d bytes (%d characters); GitHub's limit is %d",
			ErrTooLarge, id, what, len(text), utf8.RuneCount(text), MaxBodySize)
	}
	return nil
}
