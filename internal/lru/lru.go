// Package lru is a least-recently-used cache bounded by a cost, safe for concurrent use: the
// transport's ETag cache (cost: bytes) and the driver's statement cache (cost: one a statement)
// are both one.
//
// Invariant: the costs of the entries held never add up past the bound; an entry that costs more
// than the whole bound is not kept. (Callers that must keep one large value from emptying the
// cache refuse it before Put, as the ETag cache does past a quarter of its bound.)
package lru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values of type V.
type Cache[V any] struct {
	mu    sync.Mutex
	max   int64
	total int64
	cost  func(key string, v V) int64
	order *list.List               // of *item[V], most recently used at the front
	items map[string]*list.Element // by key
}

type item[V any] struct {
	key   string
	value V
	cost  int64
}

// New returns a cache whose entries' costs add up to at most max.
func New[V any](max int64, cost func(key string, v V) int64) *Cache[V] {
	return &Cache[V]{max: max, cost: cost, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value kept under key and marks it used.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*item[V]).value, true
}

// Put keeps v under key, evicting the least recently used entries to stay within the bound.
func (c *Cache[V]) Put(key string, v V) {
	cost := c.cost(key, v)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
	if cost > c.max {
		return
	}
	c.items[key] = c.order.PushFront(&item[V]{key: key, value: v, cost: cost})
	c.total += cost
	for c.total > c.max {
		c.removeLocked(c.order.Back().Value.(*item[V]).key)
	}
}

// Remove drops key's entry, if any.
func (c *Cache[V]) Remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
}

func (c *Cache[V]) removeLocked(key string) {
	e, ok := c.items[key]
	if !ok {
		return
	}
	c.order.Remove(e)
	delete(c.items, key)
	c.total -= e.Value.(*item[V]).cost
}

// Stats returns the number of entries and their total cost.
func (c *Cache[V]) Stats() (entries int, cost int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.total
}
