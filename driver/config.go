package driver

import (
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// Config is a parsed DSN: `[local:]owner/repo[?key=value&…]` (DESIGN.md §5). Its keys are
// declared in dsn_keys.go; ParseDSN lists them.
//
// A Config from ParseDSN or NewConfig has every default filled in; FormatDSN writes only what
// differs from those defaults, so ParseDSN(cfg.FormatDSN()) gives back an equal Config (but for
// the token, which FormatDSN never writes). In a Config built by hand, an empty Apply or Cache and
// a zero Concurrency stand for their defaults.
type Config struct {
	Local bool   // the embedded backend
	Dir   string // dir: with Local, the on-disk directory; "" for memory
	Owner string
	Repo  string

	Token   string // token: never printed; "" for GITHUB_TOKEN, else GH_TOKEN
	BaseURL string // base_url: GitHub Enterprise or any compatible server; "" for DefaultBaseURL
	// Insecure (insecure) allows a plain http:// BaseURL to a host other than loopback.
	Insecure bool

	Apply           string        // apply: "inline" or "async"; DefaultApply
	Cache           string        // cache: "etag", "none" or "mirror"; DefaultCache
	Trusted         []string      // trusted: logins trusted besides OWNER/MEMBER/COLLABORATOR and the token's own
	Timeout         time.Duration // timeout: per statement; per request for Store work (see ParseDSN); 0: none
	MaxRetries      int           // max_retries: 0: none; DefaultMaxRetries
	WritesPerMinute int           // writes_per_minute: 0: off; DefaultWritesPerMinute (local: off)
	WritesPerHour   int           // writes_per_hour: 0: off; DefaultWritesPerHour (local: off)
	// WriteInterval (write_interval) spaces content-creating requests (send to send) after a
	// burst of transport.DefaultWriteBurst; 0: off; DefaultWriteInterval (local: off).
	// Content-creating requests always go one at a time.
	WriteInterval time.Duration
	// ReadLag (read_lag) bounds how long the server's reads may lag its writes (GitHub's
	// replicas); within it the store trusts its own writes over what a read shows, and an INSERT
	// re-checks its id for a racing duplicate once it has passed. 0: reads never lag;
	// DefaultReadLag (local: 0).
	ReadLag     time.Duration
	Concurrency int // concurrency: requests in flight for multi-object work; DefaultConcurrency
	// MirrorDir (mirror_dir), with cache=mirror, keeps the mirror in a file in this directory so
	// that a new process (an Actions job restoring it from actions/cache) starts warm.
	MirrorDir string
}

// Defaults of the DSN keys on GitHub (DESIGN.md §5 and §6); dsn_keys.go says which differ on
// local:.
const (
	DefaultApply = "inline"
	DefaultCache = "etag"
	// DefaultMaxRetries is the transport's own default.
	DefaultMaxRetries      = transport.DefaultMaxRetries
	DefaultWritesPerMinute = 80
	DefaultWritesPerHour   = 500
	DefaultWriteInterval   = time.Second
	DefaultReadLag         = 2 * time.Second
	DefaultConcurrency     = store.DefaultConcurrency
	// DefaultBaseURL is GitHub's REST API, used when base_url is not given.
	DefaultBaseURL = store.DefaultBaseURL
)

// localPrefix marks the embedded backend.
const localPrefix = "local:"

// NewConfig returns a Config for owner/repo with every default set, as ParseDSN would give for
// the DSN "owner/repo" (or "local:owner/repo" when local is true). It does not validate names.
func NewConfig(owner, repo string, local bool) *Config {
	cfg := &Config{Local: local, Owner: owner, Repo: repo}
	for _, k := range dsnKeys {
		k.value.setDefault(cfg, local)
	}
	return cfg
}

// ParseDSN parses a DSN into a Config. Unknown keys, bad values and a repo that is not
// owner/repo are errors that say which and why.
//
// The DSN is `[local:]owner/repo[?key=value&…]` (values %-escaped as in a URL query):
//
//	token              the GitHub token; never printed, nor quoted in an error (see below)
//	                   (default GITHUB_TOKEN, else GH_TOKEN)
//	base_url           REST API root of GitHub Enterprise or a compatible server (ghsql
//	                   serve); http:// only to a loopback host unless insecure=true
//	                   (default https://api.github.com/)
//	insecure           true allows a plain http:// base_url to a host other than loopback
//	                   (default off)
//	dir                with local: only, the directory the embedded backend keeps
//	                   repositories in (default in memory, per process)
//	apply              inline (every write is processed before it returns) or async (an
//	                   update is applied later, by ghsql process) (default inline)
//	cache              etag (every read revalidated with If-None-Match), none, or mirror
//	                   (every object kept in memory, refreshed once per statement)
//	                   (default etag)
//	trusted            logins trusted besides OWNER/MEMBER/COLLABORATOR, comma-separated
//	                   (default none)
//	timeout            per-statement deadline when the context has none (Go duration; 0:
//	                   none); for work through Connector.Store() (ProcessAll, Snapshot) under a
//	                   context without a deadline, the deadline of each request instead
//	                   (default none)
//	max_retries        retries of a safe request after a network error or a 502/503/504 (0:
//	                   none) (default 4)
//	writes_per_minute  pacing of content-creating requests, to stay under GitHub's secondary
//	                   limit (0: off) (default 80; local: off)
//	writes_per_hour    the same, per hour (0: off) (default 500; local: off)
//	write_interval     least time between content-creating requests after a burst of 3,
//	                   which always go one at a time (Go duration; 0: off) (default 1s;
//	                   local: off)
//	read_lag           how long GitHub's reads may lag its writes: within it ghstore trusts its
//	                   own writes, and an INSERT re-checks for a racing duplicate after it (Go
//	                   duration; 0: reads never lag) (default 2s; local: 0)
//	concurrency        requests in flight for work on many objects (at least 1) (default 8)
//	mirror_dir         with cache=mirror, a directory to keep the mirror in, so that a new
//	                   process starts warm and reads only what changed (default none)
//
// (dsn_keys.go declares the keys; a test checks this list against it.)
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

// parseDSN is ParseDSN, its errors withholding sec: it reads each key given into a Config of
// defaults, then normalizes it as NewConnector does.
func parseDSN(dsn string, sec secrets) (*Config, error) {
	rest, query, _ := strings.Cut(dsn, "?")
	local := false
	if r, ok := strings.CutPrefix(rest, localPrefix); ok {
		local, rest = true, r
	}
	owner, repo, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(repo, "/") {
		return nil, dsnErr("", "the repository must be owner/repo, as in \"acme/app-data\" (%s)", sec.got(rest))
	}
	cfg := NewConfig(owner, repo, local)
	if query != "" {
		if err := cfg.parseKeys(query, sec); err != nil {
			return nil, err
		}
	}
	if _, err := cfg.normalize(sec); err != nil {
		return nil, err
	}
	return cfg, nil
}

// parseKeys reads the DSN's query (after '?') into cfg; its errors withhold sec.
func (cfg *Config) parseKeys(query string, sec secrets) error {
	values, err := url.ParseQuery(query)
	if err != nil {
		// url's errors quote the offending text, which may hold the token: say only what is wrong.
		return dsnErr("", "the parameters after '?' are not key=value pairs joined by '&' (use %%-escapes for '&', '=', '%%', ';' and '+' in values)")
	}
	// Keys in a fixed order, so that the first error reported does not depend on map order.
	names := slices.Sorted(maps.Keys(values))
	known := strings.Join(keyNames(), ", ")
	for _, name := range names {
		if keyNamed(name) == nil {
			if sec.looksSecret(name) || len(name) > maxShownValue {
				return dsnErr("", "a key %s is not a DSN key; a token goes in token= (known: %s)", sec.quote(name), known)
			}
			return dsnErr(name, "unknown key (known: %s)", known)
		}
		if len(values[name]) > 1 {
			return dsnErr(name, "given %d times; give it once", len(values[name]))
		}
	}
	for _, name := range names {
		if err := keyNamed(name).value.parse(cfg, name, values[name][0], sec); err != nil {
			return err
		}
	}
	return nil
}

// normalize is the one check of a Config, for ParseDSN and NewConnector alike (as
// go-sql-driver/mysql's): the owner and repository names; the defaults that zero values of a
// Config built by hand stand for, filled in; every key's rules; the rules between keys; and last
// the API root, which it returns: base_url (parsed here only), else DefaultBaseURL, and for
// local: the in-process address. Its errors withhold sec.
func (cfg *Config) normalize(sec secrets) (*url.URL, error) {
	if err := checkOwner(cfg.Owner, sec); err != nil {
		return nil, err
	}
	if err := checkRepo(cfg.Repo, sec); err != nil {
		return nil, err
	}
	cfg.fillDefaults()
	for _, k := range dsnKeys {
		if err := k.value.check(cfg, k.name, sec); err != nil {
			return nil, err
		}
	}
	for _, k := range dsnKeys {
		if k.fits == nil {
			continue
		}
		if err := k.fits(cfg, sec); err != nil {
			return nil, err
		}
	}
	return cfg.apiRoot(sec)
}

// fillDefaults gives the keys whose zero value stands for their default that default.
func (cfg *Config) fillDefaults() {
	for _, k := range dsnKeys {
		if k.zeroIsDefault && k.value.isZero(cfg) {
			k.value.setDefault(cfg, cfg.Local)
		}
	}
}

// apiRoot is where the Connector's requests go. It refuses a base_url that cannot be a REST API
// root, and plain HTTP off this machine unless insecure=true: the token would travel in clear
// text. Its errors withhold sec.
func (cfg *Config) apiRoot(sec secrets) (*url.URL, error) {
	switch {
	case cfg.Local:
		return url.Parse(localAPIRoot)
	case cfg.BaseURL == "":
		return url.Parse(DefaultBaseURL)
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, dsnErr("base_url", "is not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, dsnErr("base_url", "must start with https:// (or http:// for a loopback server); got scheme %s", sec.quote(u.Scheme))
	}
	if u.User != nil {
		return nil, dsnErr("base_url", "must not carry user information; give the token with token= or GITHUB_TOKEN")
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, dsnErr("base_url", "has no host")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, dsnErr("base_url", "must not have a query or fragment")
	}
	if u.Scheme == "http" && !cfg.Insecure && !isLoopback(u.Hostname()) {
		return nil, dsnErr("base_url", "plain http:// to %s, which is not loopback, would send the token in clear text; use https:// or add insecure=true", sec.quote(u.Hostname()))
	}
	return u, nil
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
	c := cfg.Clone()
	c.fillDefaults()
	v := url.Values{}
	for _, k := range dsnKeys {
		if s := k.value.format(c); !k.secret && s != k.value.format(def) {
			v.Set(k.name, s)
		}
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
