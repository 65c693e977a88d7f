package main

import "testing"

func TestPromptForShowsWhatIsOpen(t *testing.T) {
	for _, tc := range []struct{ buf, want string }{
		{"", prompt},
		{"-- only a comment\n", prompt},
		{"SELECT id\n", continuePrompt},
		{"SELECT 'a\n", "    '> "},
		{"SELECT 'it''s\n", "    '> "},
		{"SELECT 'it''s'\n", continuePrompt},
		{`SELECT 'a\'` + "\n", "    '> "},
		{`SELECT "a` + "\n", `    "> `},
		{"SELECT `a\n", "    `> "},
		{"SELECT 1 /* note\n", "    *> "},
		{"SELECT 1 /* note */\n", continuePrompt},
		{"SELECT 1 -- it's\n", continuePrompt},
	} {
		if got := promptFor(tc.buf); got != tc.want {
			t.Errorf("promptFor(%q) = %q, want %q", tc.buf, got, tc.want)
		}
	}
}

func TestScanTextFindsAMetaCommandOutsideQuotes(t *testing.T) {
	for _, tc := range []struct {
		text string
		from int
		want int
	}{
		{`\q`, 0, 0},
		{`SELECT 1; \timing`, 0, 10},
		{`SELECT 'a\b' \q`, 0, 13},
		{`SELECT "\q"`, 0, -1},
		{"SELECT 1 -- \\q", 0, -1},
		{"SELECT 1 /* \\q */ \\q", 0, 18},
		{"SELECT 'open\n\\q", 0, -1},         // the quote opened on an earlier line is still open
		{"SELECT 'x' \\q\nmore \\p", 14, 19}, // only from the line being read
	} {
		if _, got := scanText(tc.text, tc.from); got != tc.want {
			t.Errorf("scanText(%q, %d) meta at %d, want %d", tc.text, tc.from, got, tc.want)
		}
	}
}
