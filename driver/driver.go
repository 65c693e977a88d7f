package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// DriverName is the name the driver registers with database/sql.
const DriverName = "ghstore"

// Driver is the ghstore database/sql driver. It implements driver.Driver and
// driver.DriverContext, so database/sql parses a DSN once per sql.Open (OpenConnector) and
// shares one Connector, with its HTTP client, caches and store, among the pool's connections.
//
// The registered Driver also holds the process-wide table of `local:` backends: one in-memory
// repository per owner/repo, shared by every sql.Open of it (like a named in-memory database),
// and one open server per `local:` directory, shared by every Connector of it and closed with
// the last. That table is the driver's only package-level state, and it is part of its
// registration: a table owned by anything shorter-lived could not make two sql.Open calls of
// one DSN see one repository.
type Driver struct {
	locals *localBackends
}

// ghstoreDriver is the registered driver.
var ghstoreDriver = &Driver{locals: newLocalBackends()}

func init() { sql.Register(DriverName, ghstoreDriver) }

var (
	_ driver.Driver        = (*Driver)(nil)
	_ driver.DriverContext = (*Driver)(nil)
)

// Open parses dsn and returns one connection that owns its own Connector (closed with the
// connection). database/sql calls OpenConnector instead; Open is for callers of the bare
// driver.Driver interface.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	dc, err := c.Connect(context.Background())
	if err != nil {
		c.(*Connector).Close()
		return nil, err
	}
	dc.(*conn).ownsConnector = true
	return dc, nil
}

// OpenConnector parses dsn and builds a Connector. It sends no request: a bad DSN fails here
// (so at sql.Open's first use) without touching the network.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return d.newConnector(cfg)
}
