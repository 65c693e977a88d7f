package main

import "strings"

// splitStatements cuts text into the statements it completes (each ended by a ';' outside quotes
// and comments, the ';' dropped, surrounding space trimmed, empty ones skipped) and the rest,
// which no ';' ends yet. Quotes are '…', "…" and `…`, with a doubled quote or a backslash
// escaping inside them; comments are `-- …`, `# …` to the end of the line and /* … */.
func splitStatements(text string) (stmts []string, rest string) {
	start := 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(text, i)
		case c == '-' && strings.HasPrefix(text[i:], "-- "), c == '-' && strings.HasPrefix(text[i:], "--\n"), c == '#':
			i = skipLine(text, i)
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return stmts, text[start:]
			}
			i += 2 + end + 1
		case c == ';':
			if s := strings.TrimSpace(text[start:i]); s != "" {
				stmts = append(stmts, s)
			}
			start = i + 1
		}
	}
	return stmts, text[start:]
}

// skipQuoted returns the index of the quote that closes the one at text[i], or len(text)-1
// when it is not closed yet (so the caller's loop ends).
func skipQuoted(text string, i int) int {
	j, _ := quoteEnd(text, i)
	return j
}

// quoteEnd is skipQuoted that also says whether the quote is closed.
func quoteEnd(text string, i int) (end int, closed bool) {
	q := text[i]
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			if j+1 < len(text) && text[j+1] == q {
				j++
				continue
			}
			return j, true
		}
	}
	return len(text) - 1, false
}

// scanText walks text as splitStatements does and reports what is still open at its end (a
// quote character, "/*" for a comment, or "") and the first backslash at or after from that is
// outside quotes and comments (-1: none): where a meta command starts on the line being read.
func scanText(text string, from int) (open string, meta int) {
	meta = -1
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\'' || c == '"' || c == '`':
			j, closed := quoteEnd(text, i)
			if !closed {
				return string(c), meta
			}
			i = j
		case c == '-' && strings.HasPrefix(text[i:], "-- "), c == '-' && strings.HasPrefix(text[i:], "--\n"), c == '#':
			i = skipLine(text, i)
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return "/*", meta
			}
			i += 2 + end + 1
		case c == '\\' && i >= from && meta < 0:
			meta = i
		}
	}
	return "", meta
}

// skipLine returns the index of the newline that ends the line holding text[i] (or the last index).
func skipLine(text string, i int) int {
	if n := strings.IndexByte(text[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(text) - 1
}

// isBlank reports whether text holds nothing but space and comments.
func isBlank(text string) bool {
	return strings.TrimSpace(stripComments(text)) == ""
}

// stripComments removes comments outside quotes.
func stripComments(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\'' || c == '"' || c == '`':
			j := skipQuoted(text, i)
			b.WriteString(text[i : j+1])
			i = j
		case c == '-' && (strings.HasPrefix(text[i:], "-- ") || strings.HasPrefix(text[i:], "--\n")), c == '#':
			j := skipLine(text, i)
			if text[j] != '\n' {
				return b.String() // the comment runs to the end
			}
			i = j - 1 // keep the newline
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += 2 + end + 1
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// firstKeyword is the statement's first word, lower-cased, after space, comments and '('.
func firstKeyword(stmt string) string {
	s := strings.TrimLeft(stripComments(stmt), " \t\r\n(")
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
	})
	if end >= 0 {
		s = s[:end]
	}
	return strings.ToLower(s)
}
