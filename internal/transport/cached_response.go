package transport

import (
	"net/http"

	"github.com/ghstore/ghstore/internal/lru"
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

// newResponseCache is the ETag cache's store: responses by key, bounded in bytes.
func newResponseCache(maxBytes int64) *lru.Cache[*cachedResponse] {
	return lru.New(maxBytes, func(key string, c *cachedResponse) int64 { return c.size(key) })
}
