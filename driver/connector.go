// Package driver is the database/sql driver "ghstore": it runs query plans on a store.
//
//	import _ "github.com/ghstore/ghstore/driver"
//	db, err := sql.Open("ghstore", "acme/app-data")
//
// The Connector owns the shared HTTP client, ETag cache, limiters and the store; connections are
// cheap handles onto it. It never returns driver.ErrBadConn after a write may have reached GitHub.
package driver

import (
	"context"
	"database/sql/driver"

	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/store"
)

// Connector is a database/sql driver.Connector; it implements io.Closer.
type Connector struct {
	impl *connector
}

// NewConnector builds a Connector for cfg. It sends no request.
func NewConnector(cfg *Config) (*Connector, error) { panic("driver: not implemented") }

// Connect returns a connection handle.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	panic("driver: not implemented")
}

// Driver returns the ghstore driver.
func (c *Connector) Driver() driver.Driver { panic("driver: not implemented") }

// Close releases the HTTP client, caches and (for local:) the backend.
func (c *Connector) Close() error { panic("driver: not implemented") }

// Store is the Connector's object store, for work SQL does not express (process, snapshot).
func (c *Connector) Store() *store.Store { panic("driver: not implemented") }

// Stats are the request counters of the Connector's transport.
func (c *Connector) Stats() transport.Stats { panic("driver: not implemented") }

type connector struct{}
