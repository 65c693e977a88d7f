package driver

import (
	"github.com/ghstore/ghstore/internal/lru"
	"github.com/ghstore/ghstore/query"
)

// statementCache keeps the parses of recently run statement texts, so that code which runs the
// same SQL without Prepare (db.QueryContext in a loop, sqlx.Get) parses it once. sqlparser's
// parse is most of a statement's CPU cost; a query.Statement is immutable and safe for concurrent
// Binds, so one parse serves every connection of the Connector. Only successful parses are kept,
// the statementCacheSize most recently used.
type statementCache = lru.Cache[*query.Statement]

// statementCacheSize bounds the statement cache of one Connector.
const statementCacheSize = 256

func newStatementCache(max int) *statementCache {
	return lru.New(int64(max), func(string, *query.Statement) int64 { return 1 })
}
