package query

import (
	"strings"
)

// tokenKind is the class of a token found by scan. scan mirrors the tokenizer of
// github.com/xwb1989/sqlparser (v2018) closely enough to agree with it on what is a string
// literal, a quoted identifier, a comment and a placeholder, which is all the pre-parse pass
// needs: it never decides what a statement means.
type tokenKind uint8

const (
	tokWord        tokenKind = iota + 1 // keyword or unquoted identifier
	tokQuotedIdent                      // `…`
	tokString                           // '…' or "…"
	tokNumber
	tokPlaceholder // ?, :name, $N
	tokPunct       // one or more operator characters
)

type token struct {
	kind       tokenKind
	start, end int // byte offsets in the statement
}

func (t token) text(src string) string { return src[t.start:t.end] }

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '@'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isBlank(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// scanHandler receives what scan finds besides tokens.
type lexIssue struct {
	offset int
	msg    string
	kind   error
}

// scan splits src into tokens, skipping blanks and comments. It reports MySQL executable
// comments (/*! … */), which sqlparser would run as SQL, and unterminated literals and comments
// (left for sqlparser to report with its own position when issue is nil).
func scan(src string) (toks []token, issue *lexIssue) {
	toks = make([]token, 0, len(src)/3+4) // about one token a word: no regrowth
	i := 0
	n := len(src)
	for i < n {
		c := src[i]
		switch {
		case isBlank(c):
			i++
		case isLetter(c):
			j := i + 1
			for j < n && (isLetter(src[j]) || isDigit(src[j])) {
				j++
			}
			toks = append(toks, token{tokWord, i, j})
			i = j
		case isDigit(c) || c == '.' && i+1 < n && isDigit(src[i+1]):
			j := i + 1
			for j < n && (isDigit(src[j]) || isLetter(src[j]) || src[j] == '.' ||
				(src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			toks = append(toks, token{tokNumber, i, j})
			i = j
		case c == '?':
			toks = append(toks, token{tokPlaceholder, i, i + 1})
			i++
		case c == ':':
			j := i + 1
			if j < n && src[j] == ':' {
				return toks, &lexIssue{i, "list placeholder ::name is not supported", ErrUnsupported}
			}
			for j < n && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, token{tokPlaceholder, i, j})
			i = j
		case c == '$' && i+1 < n && isDigit(src[i+1]):
			j := i + 1
			for j < n && isDigit(src[j]) {
				j++
			}
			if j < n && (isLetter(src[j]) || src[j] == '.') {
				return toks, &lexIssue{i, "malformed placeholder " + src[i:min(j+1, n)], ErrSyntax}
			}
			toks = append(toks, token{tokPlaceholder, i, j})
			i = j
		case c == '\'' || c == '"':
			j, ok := scanQuoted(src, i+1, c, true)
			if !ok {
				return toks, nil // unterminated: sqlparser reports it
			}
			toks = append(toks, token{tokString, i, j})
			i = j
		case c == '`':
			j, ok := scanQuoted(src, i+1, '`', false)
			if !ok {
				return toks, nil
			}
			toks = append(toks, token{tokQuotedIdent, i, j})
			i = j
		case c == '#' || c == '-' && i+1 < n && src[i+1] == '-' || c == '/' && i+1 < n && src[i+1] == '/':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = n
			} else {
				i += j + 1
			}
		case c == '/' && i+1 < n && src[i+1] == '*':
			if i+2 < n && src[i+2] == '!' {
				return toks, &lexIssue{i, "MySQL executable comment /*! … */ is not allowed", ErrUnsupported}
			}
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return toks, nil
			}
			i += 2 + j + 2
		default:
			// Operators: group the characters sqlparser combines (->, ->>, <=, <>, <=>, >=, !=, &&, ||).
			j := i + 1
			switch c {
			case '-':
				if j < n && src[j] == '>' {
					j++
					if j < n && src[j] == '>' {
						j++
					}
				}
			case '<':
				if j < n && (src[j] == '=' || src[j] == '>' || src[j] == '<') {
					j++
					if src[j-1] == '=' && j < n && src[j] == '>' {
						j++
					}
				}
			case '>':
				if j < n && (src[j] == '=' || src[j] == '>') {
					j++
				}
			case '!':
				if j < n && src[j] == '=' {
					j++
				}
			case '&', '|':
				if j < n && src[j] == c {
					j++
				}
			}
			toks = append(toks, token{tokPunct, i, j})
			i = j
		}
	}
	return toks, nil
}

// scanQuoted returns the offset just past the literal that starts before i and ends with delim.
// A doubled delimiter is the delimiter; with backslash, \x escapes x.
func scanQuoted(src string, i int, delim byte, backslash bool) (int, bool) {
	for i < len(src) {
		c := src[i]
		switch {
		case backslash && c == '\\':
			i += 2
		case c == delim:
			if i+1 < len(src) && src[i+1] == delim {
				i += 2
				continue
			}
			return i + 1, true
		default:
			i++
		}
	}
	return len(src), false
}

// unquoteIdent returns the name a `quoted` identifier token stands for.
func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '`' {
		return strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}

// findWord returns the offset of the first word token equal (case-insensitively) to word at or
// after offset from, or -1.
func findWord(src string, toks []token, word string, from int) int {
	for _, t := range toks {
		if t.start >= from && t.kind == tokWord && strings.EqualFold(t.text(src), word) {
			return t.start
		}
	}
	return -1
}

// findCall returns the offset of the first `name (` in the statement, or -1.
func findCall(src string, toks []token, name string) int {
	for i, t := range toks {
		if (t.kind == tokWord || t.kind == tokQuotedIdent) && strings.EqualFold(unquoteIdent(t.text(src)), name) &&
			i+1 < len(toks) && toks[i+1].text(src) == "(" {
			return t.start
		}
	}
	return -1
}

// findIdent returns the offset of the first identifier (quoted or not) naming name, or -1.
func findIdent(src string, toks []token, name string) int {
	for _, t := range toks {
		if (t.kind == tokWord || t.kind == tokQuotedIdent) && strings.EqualFold(unquoteIdent(t.text(src)), name) {
			return t.start
		}
	}
	return -1
}

// findText returns the offset of the first token whose text is text (case-insensitively), or of
// the string literal holding it, or -1.
func findText(src string, toks []token, text string) int {
	for _, t := range toks {
		s := t.text(src)
		if strings.EqualFold(s, text) {
			return t.start
		}
		if t.kind == tokString && len(s) >= 2 && strings.Contains(s[1:len(s)-1], text) {
			return t.start
		}
	}
	if i := strings.Index(strings.ToLower(src), strings.ToLower(text)); i >= 0 && text != "" {
		return i
	}
	return -1
}

// findSubquery returns the offset of the first `SELECT` that follows `(`, or -1.
func findSubquery(src string, toks []token) int {
	for i := 1; i < len(toks); i++ {
		if toks[i].kind == tokWord && strings.EqualFold(toks[i].text(src), "select") && toks[i-1].text(src) == "(" {
			return toks[i].start
		}
	}
	return -1
}
