package driver

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghstore/ghstore/store"
)

// Config is a parsed DSN: `[local:]owner/repo[?key=value&…]` (DESIGN.md §5).
//
// A Config from ParseDSN or NewConfig has every default filled in; FormatDSN writes only what
// differs from those defaults, so ParseDSN(cfg.FormatDSN()) gives back an equal Config (but for
// the token, which FormatDSN never writes).
type Config struct {
	Local bool   // the embedded backend
	Dir   string // with Local: the on-disk directory; "" for memory
	Owner string
	Repo  string

	Token   string // never printed; from the DSN, else GITHUB_TOKEN, else GH_TOKEN
	BaseURL string // GitHub Enterprise or any compatible server; "" for api.github.com
	// Insecure allows a plain http:// BaseURL to a host other than loopback.
	Insecure bool

	Apply           string        // "inline" (default) or "async"
	Cache           string        // "etag" (default), "none" or "mirror"
	Trusted         []string      // logins trusted besides OWNER/MEMBER/COLLABORATOR and the token's own
	Timeout         time.Duration // per statement; per request for Store work (see ParseDSN)
	MaxRetries      int
	WritesPerMinute int // 0: off; default 80 (embedded: off)
	WritesPerHour   int // 0: off; default 500 (embedded: off)
	// WriteInterval spaces content-creating requests (send to send) after a burst of
	// transport.DefaultWriteBurst; 0: off; default 1s (embedded: off). Content-creating requests
	// always go one at a time.
	WriteInterval time.Duration
	// ReadLag bounds how long the server's reads may lag its writes (GitHub's replicas); within
	// it the store trusts its own writes over what a read shows, and an INSERT re-checks its id
	// for a racing duplicate once it has passed. 0: reads never lag; default 2s (embedded: 0).
	ReadLag     time.Duration
	Concurrency int // requests in flight for multi-object work; default 8
}

// Defaults of the DSN keys (DESIGN.md §5 and §6).
const (
	DefaultApply           = "inline"
	DefaultCache           = "etag"
	DefaultMaxRetries      = 4
	DefaultWritesPerMinute = 80
	DefaultWritesPerHour   = 500
	DefaultWriteInterval   = time.Second
	DefaultReadLag         = 2 * time.Second
	DefaultConcurrency     = 8
	// DefaultBaseURL is GitHub's REST API, used when base_url is not given.
	DefaultBaseURL = store.DefaultBaseURL
)

// localPrefix marks the embedded backend.
const localPrefix = "local:"

// NewConfig returns a Config for owner/repo with every default set, as ParseDSN would give for
// the DSN "owner/repo" (or "local:owner/repo" when local is true). It does not validate names.
func NewConfig(owner, repo string, local bool) *Config {
	cfg := &Config{
		Local:       local,
		Owner:       owner,
		Repo:        repo,
		Apply:       DefaultApply,
		Cache:       DefaultCache,
		MaxRetries:  DefaultMaxRetries,
		Concurrency: DefaultConcurrency,
	}
	if !local {
		// The embedded backend has no secondary rate limit to stay under, so it paces nothing.
		cfg.WritesPerMinute = DefaultWritesPerMinute
		cfg.WritesPerHour = DefaultWritesPerHour
		cfg.WriteInterval = DefaultWriteInterval
		cfg.ReadLag = DefaultReadLag
	}
	return cfg
}

// dsnKeys are the keys a DSN may carry, in the order FormatDSN writes them.
var dsnKeys = []string{
	"token", "base_url", "insecure", "dir", "apply", "cache", "trusted", "timeout",
	"max_retries", "writes_per_minute", "writes_per_hour", "write_interval", "read_lag", "concurrency",
}

// ParseDSN parses a DSN into a Config. Unknown keys, bad values and a repo that is not
// owner/repo are errors that say which and why.
//
// The DSN is `[local:]owner/repo[?key=value&…]` (values %-escaped as in a URL query):
//
//	token              the GitHub token (else GITHUB_TOKEN, else GH_TOKEN); never printed,
//	                   nor quoted in an error (see below)
//	base_url           REST API root of GitHub Enterprise or a compatible server (ghsql serve);
//	                   http:// only to a loopback host unless insecure=true
//	insecure=true      allow a plain http:// base_url to another host
//	dir                with local: only, the embedded backend's directory (else in memory)
//	apply              inline (default: every write is processed before it returns) or async
//	cache              etag (default), none, or mirror (every object kept in memory, refreshed per statement)
//	trusted            logins trusted besides OWNER/MEMBER/COLLABORATOR, comma-separated
//	timeout            per-statement deadline when the context has none (Go duration; 0: none);
//	                   for work through Connector.Store() (ProcessAll, Snapshot) under a context
//	                   without a deadline, the deadline of each request instead
//	max_retries        retries of a safe request (default 4; 0: none)
//	writes_per_minute  pacing of content-creating requests (default 80; local: 0 = off)
//	writes_per_hour    (default 500; local: 0 = off)
//	write_interval     least time between content-creating requests after a burst of 3, which
//	                   always go one at a time (Go duration; default 1s; local: 0 = off)
//	read_lag           how long GitHub's reads may lag its writes: within it ghstore trusts its
//	                   own writes, and an INSERT re-checks for a racing duplicate after it
//	                   (Go duration; default 2s; local: 0)
//	concurrency        requests in flight for multi-object work (default 8)
//
// The Config is a pure function of the DSN: a DSN without token= leaves Token empty, and
// NewConnector looks up GITHUB_TOKEN and GH_TOKEN.
//
// Errors never show the token: a value is quoted only when it is short and cannot be a token
// (it holds no part of the DSN's token= value, of GITHUB_TOKEN or GH_TOKEN, no GitHub token
// prefix such as ghp_ or github_pat_, and no long run of token characters); otherwise the error
// says "(value withheld: it looks like a token)". That check is the only use ParseDSN makes of
// the environment.
func ParseDSN(dsn string) (*Config, error) {
	_, query, _ := strings.Cut(dsn, "?")
	values, _ := url.ParseQuery(query) // what parses, for the secrets; errors are parseDSN's
	sec := dsnSecrets(query, values)
	cfg, err := parseDSN(dsn, sec)
	return cfg, sec.scrub(err)
}

// parseDSN is ParseDSN, its errors withholding sec.
func parseDSN(dsn string, sec secrets) (*Config, error) {
	rest, query, hasQuery := strings.Cut(dsn, "?")
	local := false
	if r, ok := strings.CutPrefix(rest, localPrefix); ok {
		local, rest = true, r
	}
	owner, repo, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(repo, "/") {
		return nil, dsnErr("", "the repository must be owner/repo, as in \"acme/app-data\" (%s)", sec.got(rest))
	}
	if err := checkOwner(owner, sec); err != nil {
		return nil, err
	}
	if err := checkRepo(repo, sec); err != nil {
		return nil, err
	}
	cfg := NewConfig(owner, repo, local)
	if !hasQuery || query == "" {
		return cfg, nil
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		// url's errors quote the offending text, which may hold the token: say only what is wrong.
		return nil, dsnErr("", "the parameters after '?' are not key=value pairs joined by '&' (use %%-escapes for '&', '=', '%%', ';' and '+' in values)")
	}
	// Keys in a fixed order, so that the first error reported does not depend on map order.
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(dsnKeys, k) {
			if sec.looksSecret(k) || len(k) > maxShownValue {
				return nil, dsnErr("", "a key %s is not a DSN key; a token goes in token= (known: %s)", sec.quote(k), strings.Join(dsnKeys, ", "))
			}
			return nil, dsnErr(k, "unknown key (known: %s)", strings.Join(dsnKeys, ", "))
		}
		if len(values[k]) > 1 {
			return nil, dsnErr(k, "given %d times; give it once", len(values[k]))
		}
	}
	for _, k := range keys {
		if err := cfg.set(k, values[k][0], sec); err != nil {
			return nil, err
		}
	}
	if cfg.Dir != "" && !cfg.Local {
		return nil, dsnErr("dir", "only the embedded backend keeps a directory: write local:%s/%s?dir=…", cfg.Owner, cfg.Repo)
	}
	if cfg.BaseURL != "" && cfg.Local {
		return nil, dsnErr("base_url", "local: is the embedded backend and sends no request to a server; drop local: to use base_url")
	}
	if err := cfg.checkBaseURL(sec); err != nil {
		return nil, err
	}
	return cfg, nil
}

// set applies one key's value; its errors withhold sec.
func (cfg *Config) set(key, value string, sec secrets) error {
	switch key {
	case "token":
		if value == "" {
			return dsnErr(key, "is empty; leave it out to use GITHUB_TOKEN or GH_TOKEN")
		}
		if strings.ContainsFunc(value, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			// Never echo the value: it is a secret.
			return dsnErr(key, "holds a space or control character")
		}
		cfg.Token = value
	case "base_url":
		if value == "" {
			return dsnErr(key, "is empty; leave it out for %s", DefaultBaseURL)
		}
		cfg.BaseURL = value
	case "insecure":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return dsnErr(key, "must be true or false (%s)", sec.got(value))
		}
		cfg.Insecure = b
	case "dir":
		if value == "" {
			return dsnErr(key, "is empty; leave it out for an in-memory repository")
		}
		if strings.ContainsRune(value, 0) {
			return dsnErr(key, "holds a NUL byte")
		}
		cfg.Dir = value
	case "apply":
		if value != "inline" && value != "async" {
			return dsnErr(key, "must be inline or async (%s)", sec.got(value))
		}
		cfg.Apply = value
	case "cache":
		if value != "etag" && value != "none" && value != "mirror" {
			return dsnErr(key, "must be etag, none or mirror (%s)", sec.got(value))
		}
		cfg.Cache = value
	case "trusted":
		cfg.Trusted = nil
		if value == "" {
			return nil
		}
		for login := range strings.SplitSeq(value, ",") {
			if err := checkLogin(login); err != nil {
				return dsnErr(key, "%s is not a GitHub login: %v", sec.quote(login), err)
			}
			cfg.Trusted = append(cfg.Trusted, login)
		}
	case "timeout", "write_interval", "read_lag":
		d, err := time.ParseDuration(value)
		if err != nil || d < 0 {
			example := "30s or 2m"
			if key != "timeout" {
				example = "1s or 500ms"
			}
			return dsnErr(key, "must be a Go duration ≥ 0 such as %s (%s)", example, sec.got(value))
		}
		switch key {
		case "timeout":
			cfg.Timeout = d
		case "write_interval":
			cfg.WriteInterval = d
		default:
			cfg.ReadLag = d
		}
	case "max_retries", "writes_per_minute", "writes_per_hour", "concurrency":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 1_000_000 {
			return dsnErr(key, "must be a whole number from 0 to 1000000 (%s)", sec.got(value))
		}
		switch key {
		case "max_retries":
			cfg.MaxRetries = n
		case "writes_per_minute":
			cfg.WritesPerMinute = n
		case "writes_per_hour":
			cfg.WritesPerHour = n
		case "concurrency":
			if n == 0 {
				return dsnErr(key, "must be at least 1")
			}
			cfg.Concurrency = n
		}
	}
	return nil
}

// checkBaseURL refuses what cannot be a REST API root, and plain HTTP off this machine unless
// insecure=true: the token would travel in clear text. Its errors withhold sec.
func (cfg *Config) checkBaseURL(sec secrets) error {
	if cfg.BaseURL == "" {
		return nil
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return dsnErr("base_url", "is not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return dsnErr("base_url", "must start with https:// (or http:// for a loopback server); got scheme %s", sec.quote(u.Scheme))
	}
	if u.User != nil {
		return dsnErr("base_url", "must not carry user information; give the token with token= or GITHUB_TOKEN")
	}
	if u.Host == "" || u.Hostname() == "" {
		return dsnErr("base_url", "has no host")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return dsnErr("base_url", "must not have a query or fragment")
	}
	if u.Scheme == "http" && !cfg.Insecure && !isLoopback(u.Hostname()) {
		return dsnErr("base_url", "plain http:// to %s, which is not loopback, would send the token in clear text; use https:// or add insecure=true", sec.quote(u.Hostname()))
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// FormatDSN formats cfg as a DSN that ParseDSN reads back to an equal Config. The token is
// never included. Keys equal to their defaults are left out.
func (cfg *Config) FormatDSN() string {
	def := NewConfig(cfg.Owner, cfg.Repo, cfg.Local)
	v := url.Values{}
	if cfg.BaseURL != "" {
		v.Set("base_url", cfg.BaseURL)
	}
	if cfg.Insecure {
		v.Set("insecure", "true")
	}
	if cfg.Dir != "" {
		v.Set("dir", cfg.Dir)
	}
	if cfg.Apply != "" && cfg.Apply != def.Apply {
		v.Set("apply", cfg.Apply)
	}
	if cfg.Cache != "" && cfg.Cache != def.Cache {
		v.Set("cache", cfg.Cache)
	}
	if len(cfg.Trusted) > 0 {
		v.Set("trusted", strings.Join(cfg.Trusted, ","))
	}
	if cfg.Timeout != 0 {
		v.Set("timeout", cfg.Timeout.String())
	}
	if cfg.MaxRetries != def.MaxRetries {
		v.Set("max_retries", strconv.Itoa(cfg.MaxRetries))
	}
	if cfg.WritesPerMinute != def.WritesPerMinute {
		v.Set("writes_per_minute", strconv.Itoa(cfg.WritesPerMinute))
	}
	if cfg.WritesPerHour != def.WritesPerHour {
		v.Set("writes_per_hour", strconv.Itoa(cfg.WritesPerHour))
	}
	if cfg.WriteInterval != def.WriteInterval {
		v.Set("write_interval", cfg.WriteInterval.String())
	}
	if cfg.ReadLag != def.ReadLag {
		v.Set("read_lag", cfg.ReadLag.String())
	}
	if cfg.Concurrency != 0 && cfg.Concurrency != def.Concurrency {
		v.Set("concurrency", strconv.Itoa(cfg.Concurrency))
	}
	var b strings.Builder
	if cfg.Local {
		b.WriteString(localPrefix)
	}
	b.WriteString(cfg.Owner)
	b.WriteByte('/')
	b.WriteString(cfg.Repo)
	if len(v) > 0 {
		b.WriteByte('?')
		b.WriteString(v.Encode())
	}
	return b.String()
}

// String is FormatDSN with the token, if any, shown as redacted. It has a value receiver so that
// printing a Config value (not only a pointer) never shows the token either.
func (cfg Config) String() string {
	s := cfg.FormatDSN()
	if cfg.Token == "" {
		return s
	}
	sep := "?"
	if strings.Contains(s, "?") {
		sep = "&"
	}
	return s + sep + "token=REDACTED"
}

// GoString keeps the token out of %#v too.
func (cfg Config) GoString() string { return fmt.Sprintf("driver.Config(%q)", cfg.String()) }

// LogValue keeps the token out of log/slog records.
func (cfg Config) LogValue() slog.Value { return slog.StringValue(cfg.String()) }

// Clone returns a deep copy of cfg.
func (cfg *Config) Clone() *Config {
	c := *cfg
	c.Trusted = slices.Clone(cfg.Trusted)
	return &c
}

// checkOwner applies GitHub's rules for user and organization names: 1–39 characters, ASCII
// letters, digits and hyphens, not starting or ending with a hyphen. Its errors withhold sec.
func checkOwner(owner string, sec secrets) error {
	if err := checkLoginName(owner); err != nil {
		return dsnErr("", "owner %s is not a GitHub user or organization name: %v", sec.quote(owner), err)
	}
	return nil
}

func checkLoginName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("it is empty")
	case len(s) > 39:
		return fmt.Errorf("it is longer than 39 characters")
	case s[0] == '-' || s[len(s)-1] == '-':
		return fmt.Errorf("it starts or ends with a hyphen")
	}
	for _, r := range s {
		if !isASCIIAlnum(r) && r != '-' {
			return fmt.Errorf("only letters, digits and hyphens are allowed")
		}
	}
	return nil
}

// checkLogin is checkLoginName, also allowing the "[bot]" suffix of GitHub App logins
// (github-actions[bot]).
func checkLogin(s string) error {
	return checkLoginName(strings.TrimSuffix(s, "[bot]"))
}

// checkRepo applies GitHub's rules for repository names: 1–100 characters, ASCII letters,
// digits, '-', '_' and '.', and not "." or "..". Its errors withhold sec.
func checkRepo(repo string, sec secrets) error {
	bad := func(why string) error {
		return dsnErr("", "repository name %s is not valid on GitHub: %s", sec.quote(repo), why)
	}
	switch {
	case repo == "":
		return bad("it is empty")
	case len(repo) > 100:
		return bad("it is longer than 100 characters")
	case repo == "." || repo == "..":
		return bad("it is . or ..")
	}
	for _, r := range repo {
		if !isASCIIAlnum(r) && r != '-' && r != '_' && r != '.' {
			return bad("only letters, digits, '-', '_' and '.' are allowed")
		}
	}
	return nil
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
