package driver

import (
	"strconv"
	"strings"
	"time"

	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// The DSN's keys are declared once, in dsnKeys (as go-sql-spanner declares its connection
// properties): each key's name, what it does, its defaults on GitHub and on local:, how its value
// is read from a DSN and written back, the rules it keeps, and which layers it configures.
// NewConfig, ParseDSN, FormatDSN, normalize (the checks of ParseDSN and NewConnector) and the
// options the Connector builds its transport and store from are loops over dsnKeys; tests check
// ParseDSN's doc and README's DSN table against it. A new key is one entry here, one Config
// field, and its entry in ParseDSN's doc and row in README's table (the tests say what to write),
// plus a sample value in dsn_keys_test.go's layerSamples.

// layer is a part of the stack a key configures.
type layer uint8

const (
	// connectorLayer is the Connector itself: the backend, the token and the host it may go to
	// (base_url: the transport's TokenHosts and the client), the statements' deadlines.
	connectorLayer layer = 1 << iota
	// transportLayer is internal/transport: retries, pacing, the ETag cache, request deadlines.
	transportLayer
	// storeLayer is the store: trust, when updates apply, the mirror, concurrency, read lag.
	storeLayer
)

// layerOptions are what the DSN decides of the transport's and the store's options.
// newConnector adds what the Connector owns: the socket, the token source, the client.
type layerOptions struct {
	transport transport.Options
	store     store.Options
}

// dsnKey is one key of the DSN.
type dsnKey struct {
	name string
	// doc says what the key does, as ParseDSN's doc lists it (which adds its defaults).
	doc    string
	layers layer
	value  dsnValue
	// zero says in words what the key's zero value means where it is a default ("none", "off",
	// "in memory, per process"), for ParseDSN's doc and README's DSN table.
	zero string
	// zeroIsDefault: in a Config built by hand the key's zero value stands for its default, so
	// normalize fills the default in (and a DSN may not give the zero value: apply=, concurrency=0).
	zeroIsDefault bool
	// secret keys are never written by FormatDSN (the token).
	secret bool
	// fits checks the key against the others once every key is set (dir needs local:); nil
	// when it has no such rule. Its errors withhold sec.
	fits func(cfg *Config, sec secrets) error
	// configure puts the key's value into the transport's and the store's options; nil for a key
	// only the Connector reads.
	configure func(cfg *Config, o *layerOptions)
}

// localAPIRoot is where a local: Connector's requests go: they never leave the process.
const localAPIRoot = "http://local.ghstore.invalid/"

// dsnKeys are the DSN's keys, in the order ParseDSN's doc, README's table and the unknown-key
// error list them.
var dsnKeys = []dsnKey{
	{
		name: "token", layers: connectorLayer, secret: true,
		doc:   "the GitHub token; never printed, nor quoted in an error (see below)",
		zero:  strings.Join(tokenVars, ", else "),
		value: text{field: func(c *Config) *string { return &c.Token }, empty: "is empty; leave it out to use GITHUB_TOKEN or GH_TOKEN", rule: tokenRule},
	},
	{
		name: "base_url", layers: connectorLayer,
		doc:   "REST API root of GitHub Enterprise or a compatible server (ghsql serve); http:// only to a loopback host unless insecure=true",
		zero:  DefaultBaseURL,
		value: text{field: func(c *Config) *string { return &c.BaseURL }, empty: "is empty; leave it out for " + DefaultBaseURL},
		// The URL's own rules, which also depend on insecure, are apiRoot's (normalize's last check).
		fits: func(c *Config, _ secrets) error {
			if c.BaseURL != "" && c.Local {
				return dsnErr("base_url", "local: is the embedded backend and sends no request to a server; drop local: to use base_url")
			}
			return nil
		},
	},
	{
		name: "insecure", layers: connectorLayer,
		doc:   "true allows a plain http:// base_url to a host other than loopback",
		zero:  "off",
		value: flag{field: func(c *Config) *bool { return &c.Insecure }},
	},
	{
		name: "dir", layers: connectorLayer,
		doc:   "with local: only, the directory the embedded backend keeps repositories in",
		zero:  "in memory, per process",
		value: text{field: func(c *Config) *string { return &c.Dir }, empty: "is empty; leave it out for an in-memory repository", rule: dirRule},
		fits: func(c *Config, _ secrets) error {
			if c.Dir != "" && !c.Local {
				return dsnErr("dir", "only the embedded backend keeps a directory: write local:%s/%s?dir=…", c.Owner, c.Repo)
			}
			return nil
		},
	},
	{
		name: "apply", layers: storeLayer, zeroIsDefault: true,
		doc:       "inline (every write is processed before it returns) or async (an update is applied later, by ghsql process)",
		value:     choice{field: func(c *Config) *string { return &c.Apply }, def: DefaultApply, options: []string{"inline", "async"}},
		configure: func(c *Config, o *layerOptions) { o.store.Async = c.Apply == "async" },
	},
	{
		name: "cache", layers: transportLayer | storeLayer, zeroIsDefault: true,
		doc:   "etag (every read revalidated with If-None-Match), none, or mirror (every object kept in memory, refreshed once per statement)",
		value: choice{field: func(c *Config) *string { return &c.Cache }, def: DefaultCache, options: []string{"etag", "none", "mirror"}},
		configure: func(c *Config, o *layerOptions) {
			// cache=mirror keeps the ETag cache too: the mirror's refresh is a conditional request.
			o.transport.NoCache = c.Cache == "none"
			o.store.Mirror = c.Cache == "mirror"
		},
	},
	{
		name: "trusted", layers: storeLayer,
		doc:       "logins trusted besides OWNER/MEMBER/COLLABORATOR, comma-separated",
		zero:      "none",
		value:     logins{field: func(c *Config) *[]string { return &c.Trusted }},
		configure: func(c *Config, o *layerOptions) { o.store.Trusted = c.Trusted },
	},
	{
		name: "timeout", layers: connectorLayer | transportLayer,
		doc: "per-statement deadline when the context has none (Go duration; 0: none); for work through " +
			"Connector.Store() (ProcessAll, Snapshot) under a context without a deadline, the deadline of each request instead",
		zero:  "none",
		value: duration{field: func(c *Config) *time.Duration { return &c.Timeout }, example: "30s or 2m"},
		// A statement's requests carry its deadline (statementContext); this bounds those of work
		// with none.
		configure: func(c *Config, o *layerOptions) { o.transport.RequestTimeout = c.Timeout },
	},
	{
		name: "max_retries", layers: transportLayer,
		doc:       "retries of a safe request after a network error or a 502/503/504 (0: none)",
		zero:      "none",
		value:     number{field: func(c *Config) *int { return &c.MaxRetries }, github: DefaultMaxRetries, local: DefaultMaxRetries},
		configure: func(c *Config, o *layerOptions) { o.transport.MaxRetries = transportRetries(c.MaxRetries) },
	},
	{
		name: "writes_per_minute", layers: transportLayer,
		doc:       "pacing of content-creating requests, to stay under GitHub's secondary limit (0: off)",
		zero:      "off",
		value:     number{field: func(c *Config) *int { return &c.WritesPerMinute }, github: DefaultWritesPerMinute},
		configure: func(c *Config, o *layerOptions) { o.transport.WritesPerMinute = c.WritesPerMinute },
	},
	{
		name: "writes_per_hour", layers: transportLayer,
		doc:       "the same, per hour (0: off)",
		zero:      "off",
		value:     number{field: func(c *Config) *int { return &c.WritesPerHour }, github: DefaultWritesPerHour},
		configure: func(c *Config, o *layerOptions) { o.transport.WritesPerHour = c.WritesPerHour },
	},
	{
		name: "write_interval", layers: transportLayer,
		doc:       "least time between content-creating requests after a burst of 3, which always go one at a time (Go duration; 0: off)",
		zero:      "off",
		value:     duration{field: func(c *Config) *time.Duration { return &c.WriteInterval }, example: "1s or 500ms", github: DefaultWriteInterval},
		configure: func(c *Config, o *layerOptions) { o.transport.WriteInterval = c.WriteInterval },
	},
	{
		name: "read_lag", layers: storeLayer,
		doc: "how long GitHub's reads may lag its writes: within it ghstore trusts its own writes, and an INSERT " +
			"re-checks for a racing duplicate after it (Go duration; 0: reads never lag)",
		zero:      "0",
		value:     duration{field: func(c *Config) *time.Duration { return &c.ReadLag }, example: "1s or 500ms", github: DefaultReadLag},
		configure: func(c *Config, o *layerOptions) { o.store.ReadLag = c.ReadLag },
	},
	{
		name: "concurrency", layers: storeLayer, zeroIsDefault: true,
		doc:       "requests in flight for work on many objects (at least 1)",
		value:     number{field: func(c *Config) *int { return &c.Concurrency }, github: DefaultConcurrency, local: DefaultConcurrency, atLeastOne: true},
		configure: func(c *Config, o *layerOptions) { o.store.Concurrency = c.Concurrency },
	},
	{
		name: "mirror_dir", layers: storeLayer,
		doc:   "with cache=mirror, a directory to keep the mirror in, so that a new process starts warm and reads only what changed",
		zero:  "none",
		value: text{field: func(c *Config) *string { return &c.MirrorDir }, empty: "is empty; leave it out to keep the mirror in memory only", rule: dirRule},
		fits: func(c *Config, _ secrets) error {
			if c.MirrorDir != "" && c.Cache != "mirror" {
				return dsnErr("mirror_dir", "keeps the mirror: it needs cache=mirror")
			}
			return nil
		},
		configure: func(c *Config, o *layerOptions) { o.store.MirrorDir = c.MirrorDir },
	},
}

// keyNamed is the key called name, or nil.
func keyNamed(name string) *dsnKey {
	for i := range dsnKeys {
		if dsnKeys[i].name == name {
			return &dsnKeys[i]
		}
	}
	return nil
}

// keyNames are the keys' names, in order.
func keyNames() []string {
	names := make([]string, len(dsnKeys))
	for i, k := range dsnKeys {
		names[i] = k.name
	}
	return names
}

// transportRetries is max_retries as transport.Options.MaxRetries reads it. The one place the two
// meet: the DSN's 0 is no retry, which transport spells -1, its own 0 being
// transport.DefaultMaxRetries.
func transportRetries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// options are the transport's and the store's options as cfg's keys set them.
func (cfg *Config) options() layerOptions {
	o := layerOptions{store: store.Options{Owner: cfg.Owner, Repo: cfg.Repo}}
	for _, k := range dsnKeys {
		if k.configure != nil {
			k.configure(cfg, &o)
		}
	}
	return o
}

// tokenRule refuses a token no HTTP header can carry. It never shows the token.
func tokenRule(v string) string {
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "holds a space or control character"
	}
	return ""
}

// dirRule refuses a path no file system takes.
func dirRule(v string) string {
	if strings.ContainsRune(v, 0) {
		return "holds a NUL byte"
	}
	return ""
}

// dsnValue is a key's value: a field of Config, read from a DSN and written back, checked and
// defaulted. Errors withhold sec.
type dsnValue interface {
	// parse reads text, a DSN's value of key, into cfg, applying the value's rules.
	parse(cfg *Config, key, text string, sec secrets) error
	// format writes cfg's value as parse reads it.
	format(cfg *Config) string
	// check applies the value's rules to cfg's value, which a Config built by hand may break.
	check(cfg *Config, key string, sec secrets) error
	// setDefault gives cfg the key's default on GitHub (local false) or on local:.
	setDefault(cfg *Config, local bool)
	// isZero reports whether cfg holds the field's zero value.
	isZero(cfg *Config) bool
}

// maxNumber bounds a number's value.
const maxNumber = 1_000_000

// number is a whole number from 0 (or 1, atLeastOne) to maxNumber.
type number struct {
	field         func(*Config) *int
	github, local int
	atLeastOne    bool
}

func (n number) parse(cfg *Config, key, text string, sec secrets) error {
	v, err := strconv.Atoi(text)
	if err != nil {
		return n.refuse(key, text, sec)
	}
	if err := n.rule(key, v, text, sec); err != nil {
		return err
	}
	*n.field(cfg) = v
	return nil
}

func (n number) check(cfg *Config, key string, sec secrets) error {
	v := *n.field(cfg)
	return n.rule(key, v, strconv.Itoa(v), sec)
}

// rule checks v, given as text.
func (n number) rule(key string, v int, text string, sec secrets) error {
	switch {
	case v < 0 || v > maxNumber:
		return n.refuse(key, text, sec)
	case v == 0 && n.atLeastOne:
		return dsnErr(key, "must be at least 1")
	}
	return nil
}

func (number) refuse(key, text string, sec secrets) error {
	return dsnErr(key, "must be a whole number from 0 to %d (%s)", maxNumber, sec.got(text))
}

func (n number) format(cfg *Config) string { return strconv.Itoa(*n.field(cfg)) }
func (n number) isZero(cfg *Config) bool   { return *n.field(cfg) == 0 }
func (n number) setDefault(cfg *Config, local bool) {
	*n.field(cfg) = pick(local, n.github, n.local)
}

// duration is a Go duration ≥ 0.
type duration struct {
	field         func(*Config) *time.Duration
	github, local time.Duration
	example       string // "30s or 2m", for the error
}

func (d duration) parse(cfg *Config, key, text string, sec secrets) error {
	v, err := time.ParseDuration(text)
	if err != nil || v < 0 {
		return d.refuse(key, text, sec)
	}
	*d.field(cfg) = v
	return nil
}

func (d duration) check(cfg *Config, key string, sec secrets) error {
	if v := *d.field(cfg); v < 0 {
		return d.refuse(key, v.String(), sec)
	}
	return nil
}

func (d duration) refuse(key, text string, sec secrets) error {
	return dsnErr(key, "must be a Go duration ≥ 0 such as %s (%s)", d.example, sec.got(text))
}

func (d duration) format(cfg *Config) string { return d.field(cfg).String() }
func (d duration) isZero(cfg *Config) bool   { return *d.field(cfg) == 0 }
func (d duration) setDefault(cfg *Config, local bool) {
	*d.field(cfg) = pick(local, d.github, d.local)
}

// flag is true or false (as strconv.ParseBool reads them); its default is false.
type flag struct {
	field func(*Config) *bool
}

func (f flag) parse(cfg *Config, key, text string, sec secrets) error {
	v, err := strconv.ParseBool(text)
	if err != nil {
		return dsnErr(key, "must be true or false (%s)", sec.got(text))
	}
	*f.field(cfg) = v
	return nil
}

func (flag) check(*Config, string, secrets) error { return nil }
func (f flag) format(cfg *Config) string          { return strconv.FormatBool(*f.field(cfg)) }
func (f flag) isZero(cfg *Config) bool            { return !*f.field(cfg) }
func (f flag) setDefault(cfg *Config, _ bool)     { *f.field(cfg) = false }

// choice is one of options; def on GitHub and on local: alike.
type choice struct {
	field   func(*Config) *string
	def     string
	options []string
}

func (c choice) parse(cfg *Config, key, text string, sec secrets) error {
	*c.field(cfg) = text
	return c.check(cfg, key, sec)
}

func (c choice) check(cfg *Config, key string, sec secrets) error {
	v := *c.field(cfg)
	for _, o := range c.options {
		if v == o {
			return nil
		}
	}
	last := len(c.options) - 1
	return dsnErr(key, "must be %s or %s (%s)", strings.Join(c.options[:last], ", "), c.options[last], sec.got(v))
}

func (c choice) format(cfg *Config) string      { return *c.field(cfg) }
func (c choice) isZero(cfg *Config) bool        { return *c.field(cfg) == "" }
func (c choice) setDefault(cfg *Config, _ bool) { *c.field(cfg) = c.def }

// text is a string whose zero value ("") is its default, and which a DSN may not give empty.
type text struct {
	field func(*Config) *string
	// empty is the reason a DSN's empty value is refused.
	empty string
	// rule says why a value is refused, "" when it is not; nil takes any. Its reason never shows
	// the value.
	rule func(string) string
}

func (t text) parse(cfg *Config, key, v string, sec secrets) error {
	if v == "" {
		return dsnErr(key, "%s", t.empty)
	}
	*t.field(cfg) = v
	return t.check(cfg, key, sec)
}

func (t text) check(cfg *Config, key string, _ secrets) error {
	if v := *t.field(cfg); v != "" && t.rule != nil {
		if why := t.rule(v); why != "" {
			return dsnErr(key, "%s", why)
		}
	}
	return nil
}

func (t text) format(cfg *Config) string      { return *t.field(cfg) }
func (t text) isZero(cfg *Config) bool        { return *t.field(cfg) == "" }
func (t text) setDefault(cfg *Config, _ bool) { *t.field(cfg) = "" }

// logins are GitHub logins, comma-separated; an empty value is none.
type logins struct {
	field func(*Config) *[]string
}

func (l logins) parse(cfg *Config, key, text string, sec secrets) error {
	var list []string
	if text != "" {
		list = strings.Split(text, ",")
	}
	*l.field(cfg) = list
	return l.check(cfg, key, sec)
}

func (l logins) check(cfg *Config, key string, sec secrets) error {
	for _, login := range *l.field(cfg) {
		if err := checkLogin(login); err != nil {
			return dsnErr(key, "%s is not a GitHub login: %v", sec.quote(login), err)
		}
	}
	return nil
}

func (l logins) format(cfg *Config) string      { return strings.Join(*l.field(cfg), ",") }
func (l logins) isZero(cfg *Config) bool        { return len(*l.field(cfg)) == 0 }
func (l logins) setDefault(cfg *Config, _ bool) { *l.field(cfg) = nil }

// pick is github's value or local's.
func pick[T any](local bool, github, localValue T) T {
	if local {
		return localValue
	}
	return github
}
