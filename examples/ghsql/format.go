package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
)

// formatList names the formats -format takes.
const formatList = "table, json, jsonl, csv"

// formatter writes one statement's result: a SELECT's columns and rows, or a write's count.
type formatter interface {
	begin(columns []string) error
	row(values []any) error
	end(rows int) error
	affected(n int64) error
}

// newFormatter returns the formatter called name writing to w. width, when positive, is the
// terminal's width, to which a table is cut.
func newFormatter(name string, w io.Writer, width int) (formatter, error) {
	switch name {
	case "table":
		return &tableFormat{w: w, width: width}, nil
	case "json":
		return &jsonFormat{w: w}, nil
	case "jsonl":
		return &jsonFormat{w: w, lines: true}, nil
	case "csv":
		return &csvFormat{w: csv.NewWriter(w)}, nil
	}
	return nil, usagef("unknown -format %q: use one of %s", name, formatList)
}

// rowsNoun is "1 row" or "N rows".
func rowsNoun(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// jsonValue is v as JSON: a []byte holding JSON text (a JSON column) is embedded as it is,
// compacted; times are RFC 3339 strings; NULL is null.
func jsonValue(v any) []byte {
	switch v := v.(type) {
	case nil:
		return []byte("null")
	case []byte:
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			return b.Bytes()
		}
		out, _ := json.Marshal(string(v))
		return out
	case time.Time:
		out, _ := json.Marshal(v.UTC().Format(time.RFC3339))
		return out
	}
	out, err := json.Marshal(v)
	if err != nil {
		out, _ = json.Marshal(fmt.Sprint(v))
	}
	return out
}

// text is v as a table or CSV cell: JSON compacted, strings as they are, times in RFC 3339 UTC.
// null is false for SQL NULL.
func text(v any) (s string, null bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, false
	case []byte:
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			return b.String(), false
		}
		return string(v), false
	case time.Time:
		return v.UTC().Format(time.RFC3339), false
	case float64, float32, bool, int64, int, int32:
		return string(jsonValue(v)), false
	}
	return fmt.Sprint(v), false
}

// isNumber reports whether a table right-aligns v.
func isNumber(v any) bool {
	switch v.(type) {
	case int64, int, int32, float64, float32:
		return true
	}
	return false
}

// tableFormat is an aligned table in psql's style, NULL shown as NULL. It holds the rows until
// the end to align them.
type tableFormat struct {
	w       io.Writer
	width   int
	columns []string
	cells   [][]string
	right   [][]bool
}

func (t *tableFormat) begin(columns []string) error {
	t.columns, t.cells, t.right = columns, nil, nil
	return nil
}

func (t *tableFormat) row(values []any) error {
	cells := make([]string, len(values))
	right := make([]bool, len(values))
	for i, v := range values {
		s, null := text(v)
		if null {
			s = "NULL"
		}
		cells[i] = printable(s)
		right[i] = isNumber(v)
	}
	t.cells = append(t.cells, cells)
	t.right = append(t.right, right)
	return nil
}

func (t *tableFormat) end(rows int) error {
	widths := make([]int, len(t.columns))
	for i, c := range t.columns {
		widths[i] = runewidth.StringWidth(c)
	}
	for _, r := range t.cells {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	fitWidths(widths, t.width)

	var b strings.Builder
	line := func(cells []string, right []bool) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString(" | ")
			}
			c = runewidth.Truncate(c, widths[i], "…")
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(c))
			if right != nil && right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		trimLine(&b)
	}
	line(t.columns, nil)
	for i, w := range widths {
		if i > 0 {
			b.WriteString("-+-")
		}
		b.WriteString(strings.Repeat("-", w))
	}
	b.WriteByte('\n')
	for i, r := range t.cells {
		line(r, t.right[i])
	}
	fmt.Fprintf(&b, "(%s)\n", rowsNoun(int64(rows)))
	_, err := io.WriteString(t.w, b.String())
	t.cells, t.right = nil, nil
	return err
}

func (t *tableFormat) affected(n int64) error {
	_, err := fmt.Fprintf(t.w, "%s affected\n", rowsNoun(n))
	return err
}

// trimLine drops the trailing spaces of the line b ends with and ends it.
func trimLine(b *strings.Builder) {
	s := strings.TrimRight(b.String(), " ")
	b.Reset()
	b.WriteString(s)
	b.WriteByte('\n')
}

// fitWidths narrows the widest columns until a row fits in total (0: no limit), keeping each
// column at least 8 wide (or its width, if less).
func fitWidths(widths []int, total int) {
	if total <= 0 {
		return
	}
	sum := func() int {
		s := 3 * (len(widths) - 1)
		for _, w := range widths {
			s += w
		}
		return s
	}
	for sum() > total {
		widest := 0
		for i, w := range widths {
			if w > widths[widest] {
				widest = i
			}
		}
		if widths[widest] <= 8 {
			return
		}
		widths[widest] = max(8, widths[widest]-(sum()-total))
	}
}

// printable replaces the control characters that would break a table's lines.
func printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' {
			return '�'
		}
		return r
	}, strings.NewReplacer("\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s))
}

// jsonFormat is a JSON array of objects (one per row, keys in column order), or with lines one
// object per line (JSON Lines). A write is {"rows_affected": N}.
type jsonFormat struct {
	w       io.Writer
	lines   bool
	columns [][]byte // the column names as JSON strings
	n       int
}

func (j *jsonFormat) begin(columns []string) error {
	j.columns, j.n = make([][]byte, len(columns)), 0
	for i, c := range columns {
		j.columns[i] = jsonValue(c)
	}
	if !j.lines {
		_, err := io.WriteString(j.w, "[")
		return err
	}
	return nil
}

func (j *jsonFormat) row(values []any) error {
	var b bytes.Buffer
	if !j.lines {
		if j.n > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n  ")
	}
	b.WriteByte('{')
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(j.columns[i])
		b.WriteByte(':')
		b.Write(jsonValue(v))
	}
	b.WriteByte('}')
	if j.lines {
		b.WriteByte('\n')
	}
	j.n++
	_, err := j.w.Write(b.Bytes())
	return err
}

func (j *jsonFormat) end(int) error {
	if j.lines {
		return nil
	}
	end := "\n]\n"
	if j.n == 0 {
		end = "]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

func (j *jsonFormat) affected(n int64) error {
	_, err := fmt.Fprintf(j.w, "{\"rows_affected\":%d}\n", n)
	return err
}

// csvFormat is RFC 4180 CSV with a header line; NULL is an empty field, JSON its text.
type csvFormat struct {
	w *csv.Writer
}

func (c *csvFormat) begin(columns []string) error { return c.w.Write(columns) }

func (c *csvFormat) row(values []any) error {
	rec := make([]string, len(values))
	for i, v := range values {
		rec[i], _ = text(v)
	}
	return c.w.Write(rec)
}

func (c *csvFormat) end(int) error {
	c.w.Flush()
	return c.w.Error()
}

func (c *csvFormat) affected(n int64) error {
	if err := c.w.Write([]string{"rows_affected"}); err != nil {
		return err
	}
	if err := c.w.Write([]string{strconv.FormatInt(n, 10)}); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}
