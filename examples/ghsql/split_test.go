package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		stmts []string
		rest  string
	}{
		{"one", "SELECT 1;", []string{"SELECT 1"}, ""},
		{"two on a line", "SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}, ""},
		{"unfinished", "SELECT 1; SELECT", []string{"SELECT 1"}, " SELECT"},
		{"multi-line", "SELECT id\nFROM objects\n;\n", []string{"SELECT id\nFROM objects"}, "\n"},
		{"semicolon in single quotes", "INSERT INTO objects (id, s) VALUES ('a', 'x;y');", []string{"INSERT INTO objects (id, s) VALUES ('a', 'x;y')"}, ""},
		{"doubled quote", "SELECT 'it''s;'; x", []string{"SELECT 'it''s;'"}, " x"},
		{"backslash quote", `SELECT 'a\';b'; x`, []string{`SELECT 'a\';b'`}, " x"},
		{"double quotes", `SELECT "a;b";`, []string{`SELECT "a;b"`}, ""},
		{"backticks", "SELECT `a;b` FROM objects;", []string{"SELECT `a;b` FROM objects"}, ""},
		{"open quote", "SELECT 'a;b", nil, "SELECT 'a;b"},
		{"line comment", "SELECT 1 -- no; split\n;", []string{"SELECT 1 -- no; split"}, ""},
		{"hash comment", "SELECT 1 # no; split\n;", []string{"SELECT 1 # no; split"}, ""},
		{"block comment", "SELECT /* ; */ 1;", []string{"SELECT /* ; */ 1"}, ""},
		{"open block comment", "SELECT /* ; ", nil, "SELECT /* ; "},
		{"empty statements", ";;  ;SELECT 1;", []string{"SELECT 1"}, ""},
		{"JSON in a string", `INSERT INTO objects (id, data) VALUES ('a', '{"k": "v;w"}');`, []string{`INSERT INTO objects (id, data) VALUES ('a', '{"k": "v;w"}')`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, rest := splitStatements(tt.in)
			if diff := cmp.Diff(tt.stmts, stmts); diff != "" {
				t.Errorf("statements (-want +got):\n%s", diff)
			}
			if rest != tt.rest {
				t.Errorf("rest = %q, want %q", rest, tt.rest)
			}
		})
	}
}

func TestFirstKeywordAndIsQuery(t *testing.T) {
	tests := []struct {
		in    string
		kw    string
		query bool
	}{
		{"SELECT 1", "select", true},
		{"  select\n1", "select", true},
		{"-- a comment\nEXPLAIN SELECT 1", "explain", true},
		{"/* c */ (SELECT 1)", "select", true},
		{"INSERT INTO objects (id) VALUES ('a')", "insert", false},
		{"update objects set x = 1", "update", false},
		{"DELETE FROM objects", "delete", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := firstKeyword(tt.in); got != tt.kw {
			t.Errorf("firstKeyword(%q) = %q, want %q", tt.in, got, tt.kw)
		}
		if got := isQuery(tt.in); got != tt.query {
			t.Errorf("isQuery(%q) = %v, want %v", tt.in, got, tt.query)
		}
	}
}

func TestIsBlank(t *testing.T) {
	for in, want := range map[string]bool{
		"":                 true,
		"  \n\t":           true,
		"-- only a note\n": true,
		"# note":           true,
		"/* x */ ":         true,
		"x":                false,
		"'-- not a note'":  false,
	} {
		if got := isBlank(in); got != want {
			t.Errorf("isBlank(%q) = %v, want %v", in, got, want)
		}
	}
}
