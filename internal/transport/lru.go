package transport

import (
	"container/list"
	"net/http"
	"sync"
)

// cachedResponse is one 200 answer kept for revalidation. Its fields are never changed after it
// is stored, so it can be shared between goroutines.
type cachedResponse struct {
	etag   string
	header http.Header
	body   []byte
}

// size estimates the memory an entry costs, key included.
func (c *cachedResponse) size(key string) int64 {
	n := int64(len(key) + len(c.etag) + len(c.body))
	for k, vs := range c.header {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v))
		}
	}
	return n
}

// lru is a cache of responses bounded in bytes that evicts the least recently used entry. It is
// safe for concurrent use.
type lru struct {
	mu       sync.Mutex
	maxBytes int64
	bytes    int64
	order    *list.List               // of *lruItem, most recently used at the front
	items    map[string]*list.Element // by key
}

type lruItem struct {
	key   string
	value *cachedResponse
	size  int64
}

func newLRU(maxBytes int64) *lru {
	return &lru{maxBytes: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the entry for key and marks it used.
func (c *lru) get(key string) (*cachedResponse, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruItem).value, true
}

// put stores value under key, evicting the least recently used entries to stay within the bound.
// An entry larger than a quarter of the bound is not kept.
func (c *lru) put(key string, value *cachedResponse) {
	size := value.size(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
	if size > c.maxBytes/4 {
		return
	}
	c.items[key] = c.order.PushFront(&lruItem{key: key, value: value, size: size})
	c.bytes += size
	for c.bytes > c.maxBytes {
		c.removeLocked(c.order.Back().Value.(*lruItem).key)
	}
}

// remove drops key's entry, if any.
func (c *lru) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
}

func (c *lru) removeLocked(key string) {
	e, ok := c.items[key]
	if !ok {
		return
	}
	c.order.Remove(e)
	delete(c.items, key)
	c.bytes -= e.Value.(*lruItem).size
}

// stats returns the number of entries and the bytes they cost.
func (c *lru) stats() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.bytes
}
