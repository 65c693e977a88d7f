// Package driver is the database/sql driver "ghstore": it runs query plans on a store.
//
//	import _ "github.com/ghstore/ghstore/driver"
//	db, err := sql.Open("ghstore", "acme/app-data")
//
// The Connector owns the shared HTTP client, ETag cache, limiters and the store; connections are
// cheap handles onto it. It never returns driver.ErrBadConn after a write may have reached GitHub.
//
// Invariants:
//   - The token is never printed, logged, put in an error or in a DSN the driver formats, and
//     is sent only to base_url's host (api.github.com by default): a redirect to another host
//     is refused, and would not carry it.
//   - A bad DSN, statement or argument fails before any request is sent.
//   - Errors wrap their causes with %w (store.ErrDuplicateKey, store.ErrNotFound, …), and
//     database/sql hands them back unchanged, so errors.Is and errors.As work on them.
//   - A statement's context bounds every request it sends; the DSN's timeout applies when the
//     context has no deadline. Work through Connector.Store() under a context without a deadline
//     has each request bounded by the timeout instead.
//   - Rows.Close and Stmt.Close release everything they hold; the driver starts no goroutine.
package driver

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/oauth2"

	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// Connector is a database/sql driver.Connector; it implements io.Closer.
//
// It is safe for concurrent use. database/sql closes it from DB.Close (it implements io.Closer).
type Connector struct {
	impl *connector
}

var (
	_ driver.Connector = (*Connector)(nil)
	_ io.Closer        = (*Connector)(nil)
)

// NewConnector builds a Connector for cfg. It sends no request.
//
// Use it with sql.OpenDB(connector). A DSN without a token takes GITHUB_TOKEN, else GH_TOKEN;
// `local:` needs none.
func NewConnector(cfg *Config) (*Connector, error) {
	if cfg == nil {
		return nil, dsnErr("", "no Config")
	}
	return ghstoreDriver.newConnector(cfg)
}

// Connect returns a connection handle. It sends no request.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.impl.closed.Load() {
		return nil, fmt.Errorf("ghstore: connect: %w", ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &conn{c: c.impl}, nil
}

// Driver returns the ghstore driver.
func (c *Connector) Driver() driver.Driver { return c.impl.drv }

// Close releases the HTTP client, caches and (for local:) the backend. Closing twice is a no-op.
func (c *Connector) Close() error {
	c.impl.closeOnce.Do(func() {
		c.impl.closed.Store(true)
		if c.impl.httpBase != nil {
			c.impl.httpBase.CloseIdleConnections()
		}
		if c.impl.release != nil {
			c.impl.closeErr = c.impl.release()
		}
	})
	return c.impl.closeErr
}

// Store is the Connector's object store, for work SQL does not express (process, snapshot).
//
// Its work is not one statement, so the DSN's timeout does not bound it as a whole: under a
// context without a deadline, each request it sends gets timeout (from sending it to reading
// its answer) instead, so a hung server cannot hold it for ever. Cancel the context to stop it.
func (c *Connector) Store() *store.Store { return c.impl.store }

// Stats are the request counters of the Connector's transport.
func (c *Connector) Stats() Stats { return Stats(c.impl.tr.Stats()) }

// Config returns a copy of the Connector's Config (its token included: do not print it, though
// its String and FormatDSN leave it out).
func (c *Connector) Config() *Config { return c.impl.cfg.Clone() }

// connector is what every connection of one Connector shares.
type connector struct {
	cfg   *Config
	drv   *Driver
	tr    *transport.Transport
	store *store.Store
	// httpBase is the connector's own socket transport (nil for the in-process local:
	// backend); Close drops its idle connections so no keep-alive goroutine outlives it.
	httpBase *http.Transport
	// release gives the local: backend back to the driver's table.
	release func() error

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error

	// pinged: Ping checks the repository once per Connector (DESIGN.md §6).
	pingMu sync.Mutex
	pinged bool

	// parses counts query.Parse calls (a statement text parses once while it stays in the
	// statement cache).
	parses     atomic.Int64
	statements *statementCache
}

// tokenVars are the environment variables a token is taken from, in order.
var tokenVars = []string{"GITHUB_TOKEN", "GH_TOKEN"}

// localToken is what a local: Connector sends: the embedded backend treats any token as the owner.
const localToken = "ghstore-local"

func (d *Driver) newConnector(in *Config) (*Connector, error) {
	cfg := in.Clone()
	// Errors withhold the Config's token and the environment's (see ParseDSN).
	sec := append(secrets{cfg.Token}, envSecrets()...)
	api, err := cfg.normalize(sec)
	if err != nil {
		return nil, sec.scrub(err)
	}
	c := &connector{cfg: cfg, drv: d, statements: newStatementCache(statementCacheSize)}
	o := cfg.options()
	// One content-creating request at a time per Connector, as GitHub asks (DESIGN.md §6),
	// spaced WriteInterval apart after a short burst.
	o.transport.SerialWrites = true
	if cfg.Local {
		be, err := d.locals.acquire(cfg)
		if err != nil {
			return nil, err
		}
		c.release = be.release
		o.transport.Base = be.transport
		o.transport.Token = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: be.token})
		// The embedded repository's single user is its owner: no GET /user needed.
		o.store.Login = cfg.Owner
	} else {
		token := cfg.Token
		for _, v := range tokenVars {
			if token != "" {
				break
			}
			token = os.Getenv(v)
		}
		if token == "" {
			return nil, ErrNoToken
		}
		c.httpBase = http.DefaultTransport.(*http.Transport).Clone()
		o.transport.Base = c.httpBase
		o.transport.Token = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})
	}
	// The token goes to the API's host only: never with a redirect elsewhere (the transport
	// leaves it off), and such a redirect is not followed at all (CheckRedirect).
	o.transport.TokenHosts = []string{api.Host}
	c.tr = transport.New(o.transport)
	hc := &http.Client{Transport: c.tr, CheckRedirect: transport.SameHostRedirects(o.transport.TokenHosts)}
	o.store.HTTPClient, o.store.BaseURL = hc, api.String()
	o.store.Scrub = c.tr.Scrub // an owner/repo a token was pasted into must not carry it into an error
	if c.store, err = store.New(o.store); err != nil {
		c.closeAll()
		return nil, fmt.Errorf("ghstore: %w", err)
	}
	return &Connector{impl: c}, nil
}

// closeAll undoes a half-built connector.
func (c *connector) closeAll() {
	(&Connector{impl: c}).Close()
}

// ping checks, once per Connector, that the repository exists, the token can see it, and it
// has Issues enabled.
func (c *connector) ping(ctx context.Context) error {
	c.pingMu.Lock()
	defer c.pingMu.Unlock()
	if c.pinged {
		return nil
	}
	ctx, cancel := c.statementContext(ctx)
	defer cancel()
	if err := c.store.CheckRepository(ctx); err != nil {
		return err
	}
	c.pinged = true
	return nil
}

// statementContext applies the DSN's timeout when ctx has no deadline of its own.
func (c *connector) statementContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || c.cfg.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.cfg.Timeout)
}
