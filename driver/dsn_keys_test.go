package driver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// defaultWords is a key's default on GitHub (local false) or on local:, as ParseDSN's doc and
// README's DSN table say it: the value as a DSN writes it, or the key's words for its zero value.
func defaultWords(k dsnKey, local bool) string {
	cfg := NewConfig("acme", "app", local)
	if k.value.isZero(cfg) {
		return k.zero
	}
	return k.value.format(cfg)
}

// defaultsPhrase is how ParseDSN's doc ends a key's entry.
func defaultsPhrase(k dsnKey) string {
	github, local := defaultWords(k, false), defaultWords(k, true)
	if github == local {
		return "(default " + github + ")"
	}
	return "(default " + github + "; local: " + local + ")"
}

// collapse is s with every run of white space one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestDSNKeyDefaults: every key's defaults read back through the DSN as NewConfig has them, and
// a key whose default is its zero value says in words what that means.
func TestDSNKeyDefaults(t *testing.T) {
	for _, k := range dsnKeys {
		for _, local := range []bool{false, true} {
			def := NewConfig("acme", "app", local)
			if k.value.isZero(def) && k.zero == "" {
				t.Errorf("%s: the default (local: %v) is the zero value, but the key has no words for it", k.name, local)
			}
			if k.secret {
				continue
			}
			prefix := ""
			if local {
				prefix = localPrefix
			}
			text := k.value.format(def)
			if k.value.isZero(def) && (k.name == "base_url" || k.name == "dir" || k.name == "mirror_dir") {
				continue // their zero value is "not given": a DSN may not give it empty
			}
			got, err := ParseDSN(prefix + "acme/app?" + k.name + "=" + text)
			if err != nil {
				t.Errorf("%s=%s (its default, local: %v): %v", k.name, text, local, err)
				continue
			}
			if d := cmp.Diff(def, got); d != "" {
				t.Errorf("%s=%s (its default, local: %v) (-NewConfig +ParseDSN):\n%s", k.name, text, local, d)
			}
		}
	}
	// The defaults of issue 16 that differ between GitHub and local:.
	for name, want := range map[string][2]string{
		"writes_per_minute": {"80", "off"}, "writes_per_hour": {"500", "off"},
		"write_interval": {"1s", "off"}, "read_lag": {"2s", "0"},
		"max_retries": {"4", "4"}, "concurrency": {"8", "8"},
	} {
		k := keyNamed(name)
		if got := [2]string{defaultWords(*k, false), defaultWords(*k, true)}; got != want {
			t.Errorf("%s defaults (GitHub, local:) = %q, want %q", name, got, want)
		}
	}
}

// TestParseDSNDocListsTheKeys: ParseDSN's doc lists every key of dsnKeys, in order, each with
// the table's doc and defaults (wrapped as one likes).
func TestParseDSNDocListsTheKeys(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "ParseDSN" && fn.Recv == nil {
			doc = fn.Doc.Text()
		}
	}
	type entry struct{ name, text string }
	var entries []entry
	inList := false
	for line := range strings.SplitSeq(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "\t ") && inList:
			entries[len(entries)-1].text += " " + line
		case strings.HasPrefix(line, "\t"):
			inList = true
			name, text, _ := strings.Cut(strings.TrimPrefix(line, "\t"), " ")
			entries = append(entries, entry{name, text})
		case inList:
			inList = false
		}
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.name)
	}
	if d := cmp.Diff(keyNames(), names); d != "" {
		t.Fatalf("ParseDSN's doc lists the keys (-dsnKeys +doc):\n%s", d)
	}
	for i, k := range dsnKeys {
		want := collapse(k.doc + " " + defaultsPhrase(k))
		if got := collapse(entries[i].text); got != want {
			t.Errorf("ParseDSN's doc of %s:\n got: %s\nwant: %s", k.name, got, want)
		}
	}
}

// readmeDefaults are the defaults README's DSN table gives each key it names: on GitHub, and on
// the embedded backend ("(embedded: …)", else the same).
func readmeDefaults(t *testing.T) map[string][2]string {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## The DSN\n")
	if !ok {
		t.Fatal(`README.md has no "## The DSN" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	names := regexp.MustCompile("`([^`]+)`")
	embedded := regexp.MustCompile(`^(.*?)\s*\(embedded: (.*)\)$`)
	got := map[string][2]string{}
	for line := range strings.SplitSeq(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " | ")
		last := strings.TrimSuffix(line[strings.LastIndex(strings.TrimSuffix(line, " |"), " | ")+3:], " |")
		last = strings.ReplaceAll(last, "`", "")
		github, local := last, ""
		if m := embedded.FindStringSubmatch(last); m != nil {
			github, local = m[1], m[2]
		}
		var keys []string
		for _, m := range names.FindAllStringSubmatch(first, -1) {
			if name, _, _ := strings.Cut(m[1], "="); name != localPrefix {
				keys = append(keys, name)
			}
		}
		if len(keys) == 0 {
			continue // the local: prefix
		}
		githubs := []string{github}
		if len(keys) > 1 {
			githubs = strings.Split(github, " and ")
		}
		if len(githubs) != len(keys) {
			t.Fatalf("README row %q names %d keys and %d defaults", line, len(keys), len(githubs))
		}
		for i, k := range keys {
			if _, dup := got[k]; dup {
				t.Errorf("README's DSN table names %s twice", k)
			}
			l := local
			if l == "" {
				l = githubs[i]
			}
			got[k] = [2]string{githubs[i], l}
		}
	}
	return got
}

// TestREADMEDSNTable: README's DSN table names every key of dsnKeys and no other, each with the
// table's defaults on GitHub and on the embedded backend.
func TestREADMEDSNTable(t *testing.T) {
	readme := readmeDefaults(t)
	for name := range readme {
		if keyNamed(name) == nil {
			t.Errorf("README's DSN table names %s, which is no DSN key", name)
		}
	}
	for _, k := range dsnKeys {
		defs, ok := readme[k.name]
		if !ok {
			t.Errorf("README's DSN table has no row for %s", k.name)
			continue
		}
		for i, local := range []bool{false, true} {
			if !sameDefault(k, defs[i], local) {
				t.Errorf("README: %s defaults to %q (local: %v); dsnKeys: %q", k.name, defs[i], local, defaultWords(k, local))
			}
		}
	}
}

// sameDefault reports whether README's words for a default are the key's: the same words, or a
// value the key reads as its default (README's `0` for a zero duration).
func sameDefault(k dsnKey, words string, local bool) bool {
	if words == defaultWords(k, local) {
		return true
	}
	def, cfg := NewConfig("acme", "app", local), NewConfig("acme", "app", local)
	return k.value.parse(cfg, k.name, words, nil) == nil && k.value.format(cfg) == k.value.format(def)
}

// layerSamples are values of each key other than its defaults, which between them change every
// option struct the key's layers name.
var layerSamples = map[string][]string{
	"token": {"t0ken-x"}, "base_url": {"https://ghe.example/api/v3/"}, "insecure": {"true"},
	"dir": {"/tmp/x"}, "apply": {"async"}, "cache": {"none", "mirror"}, "trusted": {"bob"},
	"timeout": {"30s"}, "max_retries": {"0", "2"}, "writes_per_minute": {"5"},
	"writes_per_hour": {"50"}, "write_interval": {"2s"}, "read_lag": {"1s"}, "concurrency": {"3"},
	"mirror_dir": {"/tmp/m"},
}

// TestDSNKeyLayers: each key changes exactly the transport's or the store's options its layers
// name (the connector layer's keys are read by newConnector itself).
func TestDSNKeyLayers(t *testing.T) {
	def := NewConfig("acme", "app", false).options()
	for _, k := range dsnKeys {
		samples, ok := layerSamples[k.name]
		if !ok {
			t.Errorf("%s has no layerSamples", k.name)
			continue
		}
		var changed layer
		for _, s := range samples {
			cfg := NewConfig("acme", "app", false)
			if err := k.value.parse(cfg, k.name, s, nil); err != nil {
				t.Fatalf("%s=%s: %v", k.name, s, err)
			}
			o := cfg.options()
			if !reflect.DeepEqual(o.transport, def.transport) {
				changed |= transportLayer
			}
			if !reflect.DeepEqual(o.store, def.store) {
				changed |= storeLayer
			}
		}
		if want := k.layers &^ connectorLayer; changed != want {
			t.Errorf("%s changes layers %03b of the options, its layers say %03b", k.name, changed, want)
		}
	}
}

// TestMaxRetriesToTransport: the DSN's max_retries reaches transport as transport reads it: 0 is
// none (transport's -1), the default is transport's own default.
func TestMaxRetriesToTransport(t *testing.T) {
	for dsn, want := range map[string]int{
		"acme/app": 4, "acme/app?max_retries=0": -1, "acme/app?max_retries=2": 2, "local:acme/app": 4,
	} {
		cfg, err := ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.options().transport.MaxRetries; got != want {
			t.Errorf("%s: transport.Options.MaxRetries = %d, want %d", dsn, got, want)
		}
	}
}

// TestOneNormalize: a Config built by hand meets the rules a DSN does, in the same words, since
// ParseDSN and NewConnector share normalize; its zero Apply, Cache and Concurrency stand for
// their defaults, which FormatDSN leaves out.
func TestOneNormalize(t *testing.T) {
	for _, tt := range []struct {
		dsn   string
		build func(c *Config)
	}{
		{"acme/app?apply=later", func(c *Config) { c.Apply = "later" }},
		{"acme/app?cache=redis", func(c *Config) { c.Cache = "redis" }},
		{"acme/app?max_retries=-1", func(c *Config) { c.MaxRetries = -1 }},
		{"acme/app?writes_per_hour=2000000", func(c *Config) { c.WritesPerHour = 2_000_000 }},
		{"acme/app?concurrency=-1", func(c *Config) { c.Concurrency = -1 }},
		{"acme/app?timeout=-1s", func(c *Config) { c.Timeout = -1e9 }},
		{"acme/app?read_lag=-1s", func(c *Config) { c.ReadLag = -1e9 }},
		{"acme/app?trusted=bob,-x", func(c *Config) { c.Trusted = []string{"bob", "-x"} }},
		{"acme/app?dir=/tmp/x", func(c *Config) { c.Dir = "/tmp/x" }},
		{"acme/app?dir=a%00b", func(c *Config) { c.Dir = "a\x00b" }},
		{"local:acme/app?base_url=https://x.example/", func(c *Config) { c.Local, c.BaseURL = true, "https://x.example/" }},
		{"acme/app?base_url=http://example.com/", func(c *Config) { c.BaseURL = "http://example.com/" }},
		{"acme/app?base_url=ftp://x/", func(c *Config) { c.BaseURL = "ftp://x/" }},
		{"-acme/app", func(c *Config) { c.Owner = "-acme" }},
		{"acme/a b", func(c *Config) { c.Repo = "a b" }},
	} {
		_, dsnErr := ParseDSN(tt.dsn)
		cfg := NewConfig("acme", "app", false)
		tt.build(cfg)
		_, err := NewConnector(cfg)
		if dsnErr == nil || err == nil || dsnErr.Error() != err.Error() {
			t.Errorf("%s: ParseDSN says %v; the Config built by hand: %v", tt.dsn, dsnErr, err)
		}
	}

	hand := &Config{Owner: "acme", Repo: "app", MaxRetries: DefaultMaxRetries}
	if got := hand.FormatDSN(); got != "acme/app?read_lag=0s&write_interval=0s&writes_per_hour=0&writes_per_minute=0" {
		t.Errorf("FormatDSN of a Config with zero Apply, Cache and Concurrency = %q", got)
	}
	if _, err := hand.normalize(nil); err != nil {
		t.Fatal(err)
	}
	if hand.Apply != DefaultApply || hand.Cache != DefaultCache || hand.Concurrency != DefaultConcurrency {
		t.Errorf("normalize left apply %q, cache %q, concurrency %d", hand.Apply, hand.Cache, hand.Concurrency)
	}
	if slices.ContainsFunc(dsnKeys, func(k dsnKey) bool { return k.zeroIsDefault && k.value.isZero(hand) }) {
		t.Error("normalize left a zero value that stands for a default")
	}
}
