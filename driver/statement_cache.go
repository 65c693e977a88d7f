package driver

import (
	"container/list"
	"sync"

	"github.com/ghstore/ghstore/query"
)

// statementCache keeps the parses of recently run statement texts, so that code which runs the
// same SQL without Prepare (db.QueryContext in a loop, sqlx.Get) parses it once. sqlparser's
// parse is most of a statement's CPU cost (tens of µs); a query.Statement is immutable and safe
// for concurrent Binds, so one parse serves every connection of the Connector.
//
// Only successful parses are kept, at most max of them, least recently used evicted first.
type statementCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // of *cachedStatement, most recent first
	byQuery map[string]*list.Element
}

type cachedStatement struct {
	text string
	st   *query.Statement
}

// statementCacheSize bounds the statement cache of one Connector.
const statementCacheSize = 256

func newStatementCache(max int) *statementCache {
	return &statementCache{max: max, order: list.New(), byQuery: map[string]*list.Element{}}
}

// get returns the cached parse of text, if any.
func (c *statementCache) get(text string) (*query.Statement, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byQuery[text]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cachedStatement).st, true
}

// put remembers the parse of text.
func (c *statementCache) put(text string, st *query.Statement) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byQuery[text]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byQuery[text] = c.order.PushFront(&cachedStatement{text: text, st: st})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byQuery, last.Value.(*cachedStatement).text)
	}
}
