// Package docpaths holds one test: every file or directory of the repository that DESIGN.md and
// CONTRIBUTING.md name exists, so a rename or a removal that leaves them behind fails here.
package docpaths

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the repository, seen from this package's directory.
const root = "../.."

// documents are the pages whose paths are checked.
var documents = []string{"DESIGN.md", "CONTRIBUTING.md"}

// minPaths is the fewest paths each document names; fewer means the extraction broke.
const minPaths = 15

// topLevel are the repository's top-level directories: a path starting with one of them names a
// file or directory of the repository even without an extension (`.ci/run`).
var topLevel = []string{"store", "query", "driver", "internal", "examples", "benchmarks", "reliability", ".ci"}

// extensions are the endings of file names in the repository's documents.
var extensions = []string{".go", ".md", ".json", ".jsonl", ".yml", ".yaml", ".sh", ".txtar", ".log", ".mod"}

var (
	// pathLike is a relative path: segments of letters, digits and _.- separated by slashes.
	pathLike   = regexp.MustCompile(`^\.?[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*/?$`)
	inlineCode = regexp.MustCompile("`([^`\n]+)`")
	linkTarget = regexp.MustCompile(`\]\(([^)\s]+)\)`)
)

// namedPaths returns the repository paths a Markdown text names, in order, each once: inline
// code spans and link targets that are relative paths with a file extension, or that start with
// a top-level directory, or that end in a slash. Fenced code blocks (commands) are left out.
func namedPaths(markdown string) []string {
	var prose strings.Builder
	fenced := false
	for line := range strings.Lines(markdown) {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			prose.WriteString(line)
		}
	}
	text := prose.String()
	var candidates []string
	for _, m := range inlineCode.FindAllStringSubmatch(text, -1) {
		candidates = append(candidates, m[1])
	}
	for _, m := range linkTarget.FindAllStringSubmatch(text, -1) {
		if !strings.Contains(m[1], "://") && !strings.HasPrefix(m[1], "#") {
			candidates = append(candidates, strings.SplitN(m[1], "#", 2)[0])
		}
	}
	var paths []string
	for _, c := range candidates {
		p := strings.TrimPrefix(c, "./")
		if !pathLike.MatchString(p) || slices.Contains(paths, p) {
			continue
		}
		first, _, _ := strings.Cut(p, "/")
		if slices.Contains(topLevel, first) && strings.Contains(p, "/") ||
			slices.Contains(extensions, filepath.Ext(strings.TrimSuffix(p, "/"))) ||
			strings.HasSuffix(p, "/") {
			paths = append(paths, p)
		}
	}
	return paths
}

func TestNamedPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, markdown string
		want           []string
	}{
		{"a Go file", "the fold (`store/fold.go`) and", []string{"store/fold.go"}},
		{"a misspelt directory is still a path by its extension", "`stor/fold.go`", []string{"stor/fold.go"}},
		{"a directory", "see `internal/localgh/` and `./query/`", []string{"internal/localgh/", "query/"}},
		{"a top-level file without extension", "`.ci/run` runs it", []string{".ci/run"}},
		{"a root document, in code and as a link", "`DESIGN.md` and [README.md](README.md#set-up)", []string{"DESIGN.md", "README.md"}},
		{"each once", "`store/fold.go` and `store/fold.go`", []string{"store/fold.go"}},
		{"not paths", "`owner/repo`, `encoding/json`, `UID:<id>`, `/api/v3/`, `strings.EqualFold`, `http://HOST:PORT/`, `internal/…`, [gh-store](https://pypi.org/project/gh-store/)", nil},
		{"fenced blocks are commands", "```sh\ngo test ./nope/ ./store/gone.go\n```\n`store/fold.go`", []string{"store/fold.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := namedPaths(tt.markdown); !slices.Equal(got, tt.want) {
				t.Errorf("namedPaths(%q) = %q, want %q", tt.markdown, got, tt.want)
			}
		})
	}
}

// TestDocumentedPathsExist: every path DESIGN.md and CONTRIBUTING.md name is in the repository.
func TestDocumentedPathsExist(t *testing.T) {
	t.Parallel()
	for _, doc := range documents {
		t.Run(doc, func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(filepath.Join(root, doc))
			if err != nil {
				t.Fatal(err)
			}
			paths := namedPaths(string(text))
			if len(paths) < minPaths {
				t.Fatalf("%s names %d paths (%q); want at least %d: has the extraction broken?", doc, len(paths), paths, minPaths)
			}
			for _, p := range paths {
				fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(strings.TrimSuffix(p, "/"))))
				switch {
				case err != nil:
					t.Errorf("%s names %s, which is not in the repository: %v", doc, p, err)
				case strings.HasSuffix(p, "/") && !fi.IsDir():
					t.Errorf("%s names %s as a directory; it is a file", doc, p)
				}
			}
		})
	}
}
