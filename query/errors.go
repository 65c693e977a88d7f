package query

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// ErrSyntax is wrapped by every error about malformed SQL (sqlparser's own errors included).
var ErrSyntax = errors.New("syntax error")

// ErrUnsupported is wrapped by every error about a construct outside the dialect.
var ErrUnsupported = errors.New("unsupported")

// ErrBind is wrapped by every error binding arguments (wrong count, unknown name, bad type).
var ErrBind = errors.New("bind error")

// Error is an error about a statement: what went wrong, and where in the statement text.
type Error struct {
	// Kind is ErrSyntax, ErrUnsupported, ErrBind or nil (an evaluation error).
	Kind error
	// Msg says what went wrong, naming the construct.
	Msg string
	// Pos is the 1-based byte offset in the statement where the construct starts, 0 when unknown.
	Pos int
	// Near is the text at Pos, when known.
	Near string
	// Err is the underlying cause, if any.
	Err error

	posInMsg bool // Msg already says where (sqlparser's messages do)
}

func (e *Error) Error() string {
	s := "query: " + e.Msg
	if e.Pos > 0 && !e.posInMsg {
		s += " at position " + strconv.Itoa(e.Pos)
		if e.Near != "" {
			s += " near '" + e.Near + "'"
		}
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the error's kind and its cause.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// unsupportedAt is the error for a construct outside the dialect found at a byte offset of src
// (offset < 0: unknown).
func unsupportedAt(src string, offset int, format string, args ...any) *Error {
	e := &Error{Kind: ErrUnsupported, Msg: fmt.Sprintf(format, args...)}
	e.setPos(src, offset)
	return e
}

// syntaxAt is a syntax error found at a byte offset of src.
func syntaxAt(src string, offset int, format string, args ...any) *Error {
	e := &Error{Kind: ErrSyntax, Msg: fmt.Sprintf(format, args...)}
	e.setPos(src, offset)
	return e
}

// errorAt is an error of no particular kind (a bad value, a bad path) at a byte offset of src.
func errorAt(src string, offset int, format string, args ...any) *Error {
	e := &Error{Msg: fmt.Sprintf(format, args...)}
	e.setPos(src, offset)
	return e
}

func (e *Error) setPos(src string, offset int) {
	if offset < 0 || offset > len(src) {
		return
	}
	e.Pos = offset + 1
	end := offset + 20
	if end > len(src) {
		end = len(src)
	}
	e.Near = src[offset:end]
}

var sqlparserPosition = regexp.MustCompile(`at position (\d+)`)

// fromParser wraps a sqlparser error, keeping its "at position N near …" text.
func fromParser(err error) *Error {
	e := &Error{Kind: ErrSyntax, Msg: err.Error()}
	if m := sqlparserPosition.FindStringSubmatch(e.Msg); m != nil {
		e.Pos, _ = strconv.Atoi(m[1])
		e.posInMsg = true
	}
	return e
}

// evalError is an error met while evaluating an expression for a record.
func evalError(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}
