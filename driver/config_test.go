package driver

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn  string
		want *Config
	}{
		{"acme/app-data", NewConfig("acme", "app-data", false)},
		{"local:acme/app-data", NewConfig("acme", "app-data", true)},
		{"local:acme/app-data?dir=.ghstore", func() *Config {
			c := NewConfig("acme", "app-data", true)
			c.Dir = ".ghstore"
			return c
		}()},
		{"acme/x.y_z?token=ghp_secret&base_url=https://ghe.example.com/api/v3/&apply=async&cache=none&trusted=bob,github-actions[bot]&timeout=30s&max_retries=0&writes_per_minute=0&writes_per_hour=100&write_interval=250ms&read_lag=500ms&concurrency=2", &Config{
			Owner: "acme", Repo: "x.y_z", Token: "ghp_secret", BaseURL: "https://ghe.example.com/api/v3/",
			Apply: "async", Cache: "none", Trusted: []string{"bob", "github-actions[bot]"}, Timeout: 30 * time.Second,
			MaxRetries: 0, WritesPerMinute: 0, WritesPerHour: 100, WriteInterval: 250 * time.Millisecond, ReadLag: 500 * time.Millisecond, Concurrency: 2,
		}},
		{"acme/app?read_lag=0", func() *Config {
			c := NewConfig("acme", "app", false)
			c.ReadLag = 0
			return c
		}()},
		{"acme/app?write_interval=0", func() *Config {
			c := NewConfig("acme", "app", false)
			c.WriteInterval = 0
			return c
		}()},
		{"local:acme/app?write_interval=2s", func() *Config {
			c := NewConfig("acme", "app", true)
			c.WriteInterval = 2 * time.Second
			return c
		}()},
		{"acme/r?base_url=http://127.0.0.1:8080/", func() *Config {
			c := NewConfig("acme", "r", false)
			c.BaseURL = "http://127.0.0.1:8080/"
			return c
		}()},
		{"acme/r?base_url=http://[::1]:8080&cache=mirror", func() *Config {
			c := NewConfig("acme", "r", false)
			c.BaseURL = "http://[::1]:8080"
			c.Cache = "mirror"
			return c
		}()},
		{"acme/r?base_url=http://ghe.internal/&insecure=true", func() *Config {
			c := NewConfig("acme", "r", false)
			c.BaseURL = "http://ghe.internal/"
			c.Insecure = true
			return c
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got, err := ParseDSN(tt.dsn)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ParseDSN(%q) (-want +got):\n%s", tt.dsn, d)
			}
			back, err := ParseDSN(got.FormatDSN())
			if err != nil {
				t.Fatalf("ParseDSN(FormatDSN()=%q): %v", got.FormatDSN(), err)
			}
			want := got.Clone()
			want.Token = ""
			if d := cmp.Diff(want, back); d != "" {
				t.Errorf("round trip through %q (-want +got):\n%s", got.FormatDSN(), d)
			}
		})
	}
}

// badDSNs are DSNs that must fail, with a fragment the error must contain.
var badDSNs = []struct{ dsn, want string }{
	{"", "owner/repo"},
	{"acme", "owner/repo"},
	{"acme/app/data", "owner/repo"},
	{"/app", "owner"},
	{"acme/", "repository name"},
	{"-acme/app", "hyphen"},
	{"ac_me/app", "owner"},
	{"acme/a b", "repository name"},
	{"acme/..", "repository name"},
	{"acme/" + strings.Repeat("r", 101), "100"},
	{strings.Repeat("o", 40) + "/app", "39"},
	{"acme/app?colour=blue", "colour unknown key"},
	{"acme/app?token=a&token=b", "token given 2 times"},
	{"acme/app?token=", "token is empty"},
	{"acme/app?apply=later", "apply must be inline or async"},
	{"acme/app?cache=redis", "cache must be etag, none or mirror"},
	{"acme/app?timeout=soon", `timeout must be a Go duration ≥ 0 such as 30s or 2m (got "soon")`},
	{"acme/app?timeout=-1s", "timeout must be a Go duration"},
	{"acme/app?max_retries=-1", "max_retries must be a whole number"},
	{"acme/app?writes_per_minute=many", "writes_per_minute must be a whole number"},
	{"acme/app?writes_per_hour=1.5", "writes_per_hour must be a whole number"},
	{"acme/app?concurrency=0", "concurrency must be at least 1"},
	{"acme/app?write_interval=-1s", "write_interval must be a Go duration ≥ 0 such as 1s or 500ms"},
	{"acme/app?write_interval=1", `write_interval must be a Go duration ≥ 0 such as 1s or 500ms (got "1")`},
	{"acme/app?insecure=perhaps", "insecure must be true or false"},
	{"acme/app?trusted=bob,-x", "trusted \"-x\" is not a GitHub login"},
	{"acme/app?dir=/tmp/x", "dir only the embedded backend"},
	{"local:acme/app?dir=", "dir is empty"},
	{"local:acme/app?base_url=https://x.example/", "base_url local:"},
	{"acme/app?base_url=http://ghe.example.com/", "insecure=true"},
	{"acme/app?base_url=ftp://ghe.example.com/", "base_url must start with https://"},
	{"acme/app?base_url=https://user:pw@ghe.example.com/", "base_url must not carry user information"},
	{"acme/app?base_url=https:///x", "base_url has no host"},
	{"acme/app?base_url=https://h.example/?q=1", "base_url must not have a query"},
	{"acme/app?a;b", "key=value"},
	// Ordinary bad values are quoted; a token pasted into the wrong key is not (DESIGN.md §5).
	{"acme/app?apply=later", `apply must be inline or async (got "later")`},
	{"acme/app?max_retries=-1", `(got "-1")`},
	{"acme/app?timeout=" + pastedToken, "timeout must be a Go duration ≥ 0 such as 30s or 2m (value withheld: it looks like a token)"},
	{"acme/app?token=" + pastedToken + "&timeout=" + pastedToken, "timeout must be a Go duration ≥ 0 such as 30s or 2m (value withheld: it looks like a token)"},
	{"acme/app?token=" + pastedToken + "&max_retries=" + pastedToken, "max_retries must be a whole number from 0 to 1000000 (value withheld: it looks like a token)"},
	{"acme/app?apply=github_pat_11ABCDEFG0abcdefghijkl", "apply must be inline or async (value withheld: it looks like a token)"},
	{"acme/app?cache=gho_x", "cache must be etag, none or mirror (value withheld: it looks like a token)"},
	{"acme/app?insecure=ghu_abc", "insecure must be true or false (value withheld: it looks like a token)"},
	{"acme/app?writes_per_minute=ghs_abc", "writes_per_minute must be a whole number from 0 to 1000000 (value withheld"},
	{"acme/app?concurrency=ghr_abc", "concurrency must be a whole number from 0 to 1000000 (value withheld"},
	{"acme/app?timeout=Bearer%20" + pastedToken, "timeout must be a Go duration ≥ 0 such as 30s or 2m (value withheld"},
	{"acme/app?token=plainSecret42&apply=plainSecret42", "apply must be inline or async (value withheld: it looks like a token)"},
	{"acme/app?token=plainSecret42&cache=Secret4", "cache must be etag, none or mirror (value withheld"},
	{"acme/app?timeout=0123456789abcdef0123456789abcdef01234567", "timeout must be a Go duration ≥ 0 such as 30s or 2m (value withheld: it looks like a token)"},
	{"acme/app?apply=" + strings.Repeat("in-", 30), "apply must be inline or async (value withheld: it is too long to show)"},
	{"acme/app?" + pastedToken, "a key (value withheld: it looks like a token) is not a DSN key; a token goes in token="},
	{"acme/app?token=" + pastedToken + "&trusted=bob," + pastedToken, "trusted (value withheld: it looks like a token) is not a GitHub login"},
	{"acme/app?base_url=http://" + pastedToken + ".example/", "base_url plain http:// to (value withheld: it looks like a token)"},
	{pastedToken, "the repository must be owner/repo, as in \"acme/app-data\" (value withheld: it looks like a token)"},
	{"ghp_pasted/app", "owner (value withheld: it looks like a token) is not a GitHub user"},
	{"acme/" + pastedToken + "!", "repository name (value withheld: it looks like a token) is not valid"},
}

// pastedToken is a token pasted where it does not belong, in badDSNs.
const pastedToken = "ghp_PASTEDpasted0123456789abcdefABCDEF"

func TestParseDSNErrors(t *testing.T) {
	for _, tt := range badDSNs {
		t.Run(tt.dsn, func(t *testing.T) {
			_, err := ParseDSN(tt.dsn)
			if err == nil {
				t.Fatalf("ParseDSN(%q) succeeded", tt.dsn)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseDSN(%q) = %q, want it to contain %q", tt.dsn, err, tt.want)
			}
			if !errors.Is(err, ErrBadDSN) {
				t.Errorf("errors.Is(%v, ErrBadDSN) = false", err)
			}
			var de *DSNError
			if !errors.As(err, &de) {
				t.Errorf("errors.As(%v, *DSNError) = false", err)
			}
			if secret := shownSecret(tt.dsn, err); secret != "" {
				t.Errorf("ParseDSN(%q) = %q shows the token %q", tt.dsn, err, secret)
			}
		})
	}
}

// shownSecret returns what err shows that it must not: a GitHub token prefix, or a token= value
// of dsn (or a piece of one, 6 characters or more, that is not in the error of a DSN without any
// token); "" when it shows none.
func shownSecret(dsn string, err error) string {
	text := fmt.Sprintf("%v %+v %#v", err, err, err)
	for _, p := range tokenPrefixes {
		if strings.Contains(strings.ToLower(text), p) {
			return p
		}
	}
	_, query, _ := strings.Cut(dsn, "?")
	values, _ := url.ParseQuery(query)
	for _, tok := range values["token"] {
		if len(tok) >= minSecretPiece && strings.Contains(text, tok) {
			return tok
		}
	}
	return ""
}

// TestDSNErrorsWithholdEnvironmentTokens: a DSN error withholds a value equal to (or part of)
// GITHUB_TOKEN or GH_TOKEN, the tokens a DSN without token= falls back on, whatever they look
// like; NewConnector's checks of a Config built by hand withhold its Token and those too.
func TestDSNErrorsWithholdEnvironmentTokens(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "envGithubToken1")
	t.Setenv("GH_TOKEN", "envGhToken22")
	for dsn, want := range map[string]string{
		"acme/app?apply=envGithubToken1":    "apply must be inline or async (value withheld: it looks like a token)",
		"acme/app?cache=xenvGhToken22x":     "cache must be etag, none or mirror (value withheld: it looks like a token)",
		"acme/app?timeout=GithubToken":      "timeout must be a Go duration ≥ 0 such as 30s or 2m (value withheld: it looks like a token)",
		"acme/app?trusted=envGhToken22":     "", // a valid login: accepted, no error
		"acme/app?apply=later":              `apply must be inline or async (got "later")`,
		"acme/app?insecure=envGithubToken1": "insecure must be true or false (value withheld: it looks like a token)",
	} {
		_, err := ParseDSN(dsn)
		switch {
		case want == "" && err != nil:
			t.Errorf("ParseDSN(%q): %v", dsn, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("ParseDSN(%q) = %v, want it to contain %q", dsn, err, want)
		}
		if err != nil && (strings.Contains(err.Error(), "envGithubToken1") || strings.Contains(err.Error(), "envGhToken22")) {
			t.Errorf("ParseDSN(%q) = %q shows an environment token", dsn, err)
		}
	}

	cfg := NewConfig("acme", "app", false)
	cfg.Token = "handBuiltToken9"
	for _, mutate := range []func(c *Config){
		func(c *Config) { c.Apply = c.Token },
		func(c *Config) { c.Cache = "envGhToken22" },
		func(c *Config) { c.Trusted = []string{"bob", c.Token + "!"} },
		func(c *Config) { c.BaseURL = "http://" + c.Token + ".example/" },
		func(c *Config) { c.Owner = c.Token + "_" },
	} {
		c := cfg.Clone()
		mutate(c)
		_, err := NewConnector(c)
		if err == nil || !errors.Is(err, ErrBadDSN) {
			t.Fatalf("NewConnector accepted a bad Config: %v", err)
		}
		if !strings.Contains(err.Error(), "withheld") {
			t.Errorf("NewConnector: %q, want the value withheld", err)
		}
		for _, secret := range []string{"handBuiltToken9", "envGhToken22"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("NewConnector: %q shows a token", err)
			}
		}
	}
}

func TestTokenNeverShown(t *testing.T) {
	const secret = "ghp_TOPSECRETTOKEN123"
	cfg, err := ParseDSN("acme/app?token=" + secret + "&apply=async")
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{
		"FormatDSN": cfg.FormatDSN(),
		"String":    cfg.String(),
		"%v":        fmt.Sprintf("%v", cfg),
		"%+v":       fmt.Sprintf("%+v", cfg),
		"%#v":       fmt.Sprintf("%#v", cfg),
		"%s":        fmt.Sprintf("%s", cfg), //lint:ignore S1025 the %s verb itself is under test
	} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows the token: %s", name, s)
		}
	}
	if !strings.Contains(cfg.String(), "token=REDACTED") {
		t.Errorf("String() = %q, want it to say the token is redacted", cfg.String())
	}
	// Errors about the token never echo it.
	_, err = ParseDSN("acme/app?token=" + secret + "%20x")
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("error %v shows the token", err)
	}
}

// FuzzParseDSN: any DSN that parses formats to a DSN that parses back to the same Config (but
// the token), FormatDSN never writes the token, ParseDSN never panics, and no error it returns
// shows the DSN's token: "@T@" in the input stands for a GitHub token and "@E@" for the
// GITHUB_TOKEN of the environment, wherever the fuzzer puts them, and the error never shows a
// token= value that is token-like or either of those.
func FuzzParseDSN(f *testing.F) {
	const fuzzToken, fuzzEnvToken = "ghp_FUZZsecretFUZZ0123456789abcdefABCD", "envFUZZsecret42"
	f.Setenv("GITHUB_TOKEN", fuzzEnvToken)
	f.Setenv("GH_TOKEN", "")
	for _, tt := range badDSNs {
		f.Add(tt.dsn)
	}
	for _, s := range []string{
		"acme/app?token=@T@&timeout=@T@", "acme/app?apply=@E@", "@T@/app", "acme/app?@T@",
		"acme/app?token=@T@&trusted=a,@T@&cache=x@T@", "acme/app?max_retries=@E@&token=@T@",
		"acme/app?base_url=http://@T@/", "acme/app?token=plain@E@&insecure=plain@E@",
	} {
		f.Add(s)
	}
	for _, s := range []string{
		"acme/app-data", "local:acme/app-data?dir=.ghstore",
		"acme/r?token=x&base_url=http://localhost:1/&trusted=a,b[bot]&timeout=1h2m3s&concurrency=3",
		"local:a/b?dir=%2Ftmp%2Fa%20b%26c&writes_per_minute=5&apply=async&cache=none&max_retries=0",
		"a/b?base_url=https%3A%2F%2Fh%2F&insecure=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		dsn := strings.ReplaceAll(strings.ReplaceAll(in, "@T@", fuzzToken), "@E@", fuzzEnvToken)
		cfg, err := ParseDSN(dsn)
		if err != nil {
			if !errors.Is(err, ErrBadDSN) {
				t.Fatalf("ParseDSN(%q) error %v does not wrap ErrBadDSN", dsn, err)
			}
			text := fmt.Sprintf("%v %+v %#v", err, err, err)
			for _, secret := range []string{fuzzToken, fuzzEnvToken, "FUZZsecret"} {
				if strings.Contains(text, secret) {
					t.Fatalf("ParseDSN(%q) error %q shows the token", dsn, text)
				}
			}
			_, query, _ := strings.Cut(dsn, "?")
			values, _ := url.ParseQuery(query)
			for _, tok := range values["token"] {
				if looksLikeToken(tok) && strings.Contains(text, tok) {
					t.Fatalf("ParseDSN(%q) error %q shows the token %q", dsn, text, tok)
				}
			}
			return
		}
		out := cfg.FormatDSN()
		if cfg.Token != "" && strings.Contains(out, "token=") {
			t.Fatalf("FormatDSN(%q) = %q holds the token", dsn, out)
		}
		back, err := ParseDSN(out)
		if err != nil {
			t.Fatalf("ParseDSN(%q) ok, but ParseDSN(FormatDSN()=%q): %v", dsn, out, err)
		}
		want := cfg.Clone()
		want.Token = ""
		if d := cmp.Diff(want, back); d != "" {
			t.Fatalf("round trip %q → %q (-want +got):\n%s", dsn, out, d)
		}
		if again := back.FormatDSN(); again != out {
			t.Fatalf("FormatDSN not stable: %q then %q", out, again)
		}
	})
}

func TestTokenNotInValuePrintOrLog(t *testing.T) {
	const secret = "ghp_VALUESECRET"
	cfg, err := ParseDSN("acme/app?token=" + secret)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("open", "cfg", cfg, "value", *cfg)
	for _, s := range []string{fmt.Sprint(*cfg), fmt.Sprintf("%+v", *cfg), fmt.Sprintf("%#v", *cfg), b.String()} {
		if strings.Contains(s, secret) {
			t.Errorf("token shown: %s", s)
		}
	}
}
