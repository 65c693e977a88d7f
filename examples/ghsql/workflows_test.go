package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/ghstore/ghstore/driver"
)

// workflow is the part of a GitHub Actions workflow file the test reads.
type workflow struct {
	Name string            `yaml:"name"`
	On   map[string]any    `yaml:"on"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		If    string            `yaml:"if"`
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
			With map[string]any    `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// ghsqlCall is one ghsql command line found in a run: script.
type ghsqlCall struct {
	where string
	args  []string // after "ghsql"
}

// TestWorkflows checks the example workflows in ../actions: each is valid YAML with the
// triggers it is for, and every ghsql command line in their run: scripts names a subcommand of
// the table ghsql dispatches on, with flags that subcommand accepts and a DSN that parses,
// trusts github-actions[bot] and takes its token from the workflow's secret.
func TestWorkflows(t *testing.T) {
	files, err := filepath.Glob("../actions/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in ../actions: %v", err)
	}
	seen := map[string]bool{}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var wf workflow
			if err := yaml.Unmarshal(data, &wf); err != nil {
				t.Fatalf("not YAML: %v", err)
			}
			if wf.Name == "" || len(wf.On) == 0 || len(wf.Jobs) == 0 {
				t.Fatalf("a workflow needs name, on and jobs: %+v", wf)
			}
			calls := 0
			for jobName, job := range wf.Jobs {
				if job.Env["GITHUB_TOKEN"] != "${{ secrets.GITHUB_TOKEN }}" {
					t.Errorf("job %s: GITHUB_TOKEN must come from secrets.GITHUB_TOKEN, got %q", jobName, job.Env["GITHUB_TOKEN"])
				}
				for i, step := range job.Steps {
					env := map[string]string{}
					for k, v := range wf.Env {
						env[k] = v
					}
					for k, v := range job.Env {
						env[k] = v
					}
					for k, v := range step.Env {
						env[k] = v
					}
					for _, call := range findGhsqlCalls(step.Run, env) {
						call.where = fmt.Sprintf("job %s, step %d (%s)", jobName, i+1, step.Name)
						checkCall(t, call)
						seen[call.args[0]] = true
						calls++
					}
				}
			}
			if calls == 0 {
				t.Error("the workflow runs no ghsql command")
			}
			checkPinnedAndCached(t, string(data), wf)
			checkTriggers(t, filepath.Base(file), wf)
		})
	}
	for _, want := range []string{"process", "snapshot"} {
		if !seen[want] {
			t.Errorf("no workflow runs ghsql %s", want)
		}
	}
}

// checkTriggers checks that each workflow runs when it is meant to.
func checkTriggers(t *testing.T, file string, wf workflow) {
	switch file {
	case "process-updates.yml":
		issues, _ := wf.On["issues"].(map[string]any)
		types, _ := issues["types"].([]any)
		if !slices.Equal(types, []any{"reopened"}) {
			t.Errorf("on.issues.types = %v, want [reopened]", types)
		}
		// A reopen made with a workflow's GITHUB_TOKEN triggers no workflow: a schedule that
		// processes everything is the fallback.
		if schedule, _ := wf.On["schedule"].([]any); len(schedule) == 0 {
			t.Error("no on.schedule: updates reopened by another workflow's GITHUB_TOKEN would wait for the nightly run")
		}
		all := false
		for _, job := range wf.Jobs {
			for _, step := range job.Steps {
				all = all || strings.Contains(step.Run, "process -dsn \"$GHSTORE_DSN\" -all")
			}
		}
		if !all {
			t.Error("no step runs ghsql process -all for the scheduled run")
		}
		for name, job := range wf.Jobs {
			if !strings.Contains(job.If, "'stored-object'") {
				t.Errorf("job %s runs for every reopened issue, not only those labelled stored-object (if: %q)", name, job.If)
			}
		}
	case "nightly-snapshot.yml":
		schedule, _ := wf.On["schedule"].([]any)
		if len(schedule) == 0 {
			t.Fatal("no on.schedule")
		}
		cron, _ := schedule[0].(map[string]any)["cron"].(string)
		if len(strings.Fields(cron)) != 5 {
			t.Errorf("cron %q is not five fields", cron)
		}
	default:
		t.Errorf("a new workflow %s: say in checkTriggers when it should run", file)
	}
}

// pinnedVersion is a ghsql version a workflow may run: a release tag or a commit's full SHA.
var pinnedVersion = regexp.MustCompile(`^(v[0-9]+\.[0-9]+\.[0-9]+|[0-9a-f]{40})$`)

// checkPinnedAndCached checks that a workflow runs a pinned ghsql (never @latest, in jobs that
// hold write permissions) and caches what it builds in a way that works without a go.sum.
func checkPinnedAndCached(t *testing.T, text string, wf workflow) {
	t.Helper()
	if strings.Contains(text, "@latest") {
		t.Error("the workflow runs ghsql@latest: pin GHSQL_VERSION instead")
	}
	if v := wf.Env["GHSQL_VERSION"]; !pinnedVersion.MatchString(v) {
		t.Errorf("env.GHSQL_VERSION = %q, want a release tag or a full commit SHA", v)
	}
	for name, job := range wf.Jobs {
		cached := false
		for _, step := range job.Steps {
			switch {
			case strings.HasPrefix(step.Uses, "actions/setup-go@"):
				// The data repository has no go.sum: setup-go's cache would fail to find one.
				if step.With["cache"] != false {
					t.Errorf("job %s: setup-go without cache: false looks for a go.sum the repository lacks", name)
				}
			case strings.HasPrefix(step.Uses, "actions/cache@"):
				key, _ := step.With["key"].(string)
				cached = strings.Contains(key, "GHSQL_VERSION")
			case strings.Contains(step.Run, "go install"):
				if !strings.Contains(step.Run, "examples/ghsql@$GHSQL_VERSION") {
					t.Errorf("job %s: %q does not install the pinned GHSQL_VERSION", name, step.Run)
				}
			}
		}
		if !cached {
			t.Errorf("job %s: ghsql is not cached by its version (actions/cache keyed on GHSQL_VERSION)", name)
		}
	}
}

// checkCall parses a ghsql command line with the flags of the subcommand it names.
func checkCall(t *testing.T, call ghsqlCall) {
	t.Helper()
	if len(call.args) == 0 {
		t.Errorf("%s: ghsql with no subcommand (the prompt) in a workflow", call.where)
		return
	}
	cmd, ok := findCommand(call.args[0])
	if !ok {
		t.Errorf("%s: ghsql %s: no such subcommand (they are %v)", call.where, call.args[0], commandNames())
		return
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	cmd.setup(fs, nil)
	if err := fs.Parse(call.args[1:]); err != nil {
		t.Errorf("%s: ghsql %s: %v", call.where, strings.Join(call.args, " "), err)
		return
	}
	dsn := fs.Lookup("dsn").Value.String()
	if dsn == defaultDSN {
		t.Errorf("%s: ghsql %s has no -dsn: it would use the embedded backend, not the repository", call.where, cmd.name)
		return
	}
	cfg, err := driver.ParseDSN(dsn)
	if err != nil {
		t.Errorf("%s: -dsn %q: %v", call.where, dsn, err)
		return
	}
	if cfg.Local || cfg.Owner+"/"+cfg.Repo != "acme/app-data" || cfg.Token != "" {
		t.Errorf("%s: -dsn %q should name ${{ github.repository }} and no token: %+v", call.where, dsn, cfg)
	}
	if !slices.Contains(cfg.Trusted, "github-actions[bot]") {
		t.Errorf("%s: -dsn %q does not trust github-actions[bot], whose writes would then not count", call.where, dsn)
	}
}

// findGhsqlCalls finds the ghsql command lines in a run: script, with its variables expanded
// from env (GitHub expressions as the sample repository acme/app-data, issue 7).
func findGhsqlCalls(script string, env map[string]string) []ghsqlCall {
	var calls []ghsqlCall
	script = strings.ReplaceAll(script, "\\\n", " ")
	for _, line := range strings.Split(script, "\n") {
		words := shellWords(line, env)
		for i, w := range words {
			if w != "ghsql" && !strings.HasSuffix(w, "/ghsql") && !strings.HasPrefix(w, "github.com/ghstore/ghstore/examples/ghsql@") {
				continue
			}
			if i > 0 && words[i-1] == "install" {
				continue // building it, not running it
			}
			var args []string
			for _, a := range words[i+1:] {
				if strings.ContainsAny(a, ";|&<>") && len(a) <= 2 {
					break
				}
				args = append(args, a)
			}
			calls = append(calls, ghsqlCall{args: args})
		}
	}
	return calls
}

// shellWords splits a line of shell into words: quotes removed, variables expanded from env,
// operators (; | & < >) as words of their own, a # word ending the line.
func shellWords(line string, env map[string]string) []string {
	line = expandExpressions(line)
	varRef := regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)`)
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			flush()
			return words
		case strings.IndexByte(";|&<>", c) >= 0:
			flush()
			words = append(words, string(c))
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				end = len(line) - i - 1
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			end := strings.IndexByte(line[i+1:], '"')
			if end < 0 {
				end = len(line) - i - 1
			}
			cur.WriteString(expandVars(line[i+1:i+1+end], env))
			i += end + 1
			inWord = true
		case c == '$':
			n := varRef.FindString(line[i:])
			if n == "" {
				cur.WriteByte(c)
			} else {
				cur.WriteString(expandVars(n, env))
				i += len(n) - 1
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// expandVars expands $NAME and ${NAME} from env (GitHub expressions in the values expanded too);
// a variable the workflow does not set is a runner's, here /runner.
func expandVars(s string, env map[string]string) string {
	return regexp.MustCompile(`\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)`).ReplaceAllStringFunc(s, func(ref string) string {
		name := strings.Trim(ref, "${}")
		if v, ok := env[name]; ok {
			return expandExpressions(v)
		}
		return "/runner"
	})
}

// expandExpressions replaces GitHub's ${{ … }} expressions with sample values.
func expandExpressions(s string) string {
	return regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`).ReplaceAllStringFunc(s, func(e string) string {
		switch {
		case strings.Contains(e, "github.repository"):
			return "acme/app-data"
		case strings.Contains(e, "issue.number"):
			return "7"
		}
		return "x"
	})
}

func TestShellWords(t *testing.T) {
	env := map[string]string{"DSN": "${{ github.repository }}?trusted=github-actions[bot]", "N": "${{ github.event.issue.number }}"}
	got := shellWords(`"$RUNNER_TEMP/bin/ghsql" process -dsn "$DSN" -issue $N; echo 'a b' # note`, env)
	want := []string{"/runner/bin/ghsql", "process", "-dsn", "acme/app-data?trusted=github-actions[bot]", "-issue", "7", ";", "echo", "a b"}
	if !slices.Equal(got, want) {
		t.Errorf("shellWords = %q\nwant %q", got, want)
	}
	calls := findGhsqlCalls("GOBIN=/x go install github.com/ghstore/ghstore/examples/ghsql@latest\ngo run github.com/ghstore/ghstore/examples/ghsql@latest snapshot -o f && echo done", env)
	if len(calls) != 1 || !slices.Equal(calls[0].args, []string{"snapshot", "-o", "f"}) {
		t.Errorf("calls = %+v", calls)
	}
}
