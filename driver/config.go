package driver

import (
	"time"
)

// Config is a parsed DSN: `[local:]owner/repo[?key=value&…]` (DESIGN.md §5).
type Config struct {
	Local bool   // the embedded backend
	Dir   string // with Local: the on-disk directory; "" for memory
	Owner string
	Repo  string

	Token   string // never printed; from the DSN, else GITHUB_TOKEN, else GH_TOKEN
	BaseURL string // GitHub Enterprise or any compatible server; "" for api.github.com
	// Insecure allows a plain http:// BaseURL to a host other than loopback.
	Insecure bool

	Apply           string   // "inline" (default) or "async"
	Cache           string   // "etag" (default), "none" or "mirror"
	Trusted         []string // logins trusted besides OWNER/MEMBER/COLLABORATOR and the token's own
	Timeout         time.Duration
	MaxRetries      int
	WritesPerMinute int // 0: off; default 80 (embedded: off)
	WritesPerHour   int // 0: off; default 500 (embedded: off)
	Concurrency     int // requests in flight for multi-object work; default 8
}

// ParseDSN parses a DSN into a Config. Unknown keys, bad values and a repo that is not
// owner/repo are errors that say which and why.
func ParseDSN(dsn string) (*Config, error) { panic("driver: not implemented") }

// FormatDSN formats cfg as a DSN that ParseDSN reads back to an equal Config. The token is
// never included.
func (cfg *Config) FormatDSN() string { panic("driver: not implemented") }

// String is FormatDSN with the token, if any, shown as redacted.
func (cfg *Config) String() string { panic("driver: not implemented") }
