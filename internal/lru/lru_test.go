package lru

import (
	"fmt"
	"testing"
)

// TestEvictsLeastRecentlyUsed: the cache stays within its bound and keeps what was used last.
func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New(3, func(string, string) int64 { return 1 })
	keys := make([]string, 4)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i)
	}
	for _, k := range keys[:3] {
		c.Put(k, "v"+k)
	}
	if v, ok := c.Get(keys[0]); !ok || v != "vk0" { // k0 becomes the most recent
		t.Fatalf("k0 = %q, %v before any eviction", v, ok)
	}
	c.Put(keys[3], "vk3")
	if _, ok := c.Get(keys[1]); ok {
		t.Error("k1, least recently used, survived past the bound")
	}
	for _, k := range []string{keys[0], keys[2], keys[3]} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s was evicted", k)
		}
	}
	if n, cost := c.Stats(); n != 3 || cost != 3 {
		t.Errorf("Stats = %d entries, cost %d; want 3, 3", n, cost)
	}
}

// TestBoundIsOnCost: entries are evicted by their cost, a replaced entry's cost is given back, and
// an entry costing more than the bound is not kept.
func TestBoundIsOnCost(t *testing.T) {
	c := New(10, func(_ string, v string) int64 { return int64(len(v)) })
	c.Put("a", "aaaa")
	c.Put("b", "bbbb")
	c.Put("a", "aa") // replaced: 2 + 4
	if n, cost := c.Stats(); n != 2 || cost != 6 {
		t.Fatalf("after a replace: %d entries, cost %d; want 2, 6", n, cost)
	}
	c.Put("c", "cccccc") // 12 > 10: the least recent (b, then a) goes
	if _, ok := c.Get("b"); ok {
		t.Error("b survived past the bound")
	}
	if _, cost := c.Stats(); cost > 10 {
		t.Errorf("cost %d past the bound 10", cost)
	}
	c.Put("huge", "0123456789x")
	if _, ok := c.Get("huge"); ok {
		t.Error("an entry costing more than the bound was kept")
	}
	c.Remove("c")
	if _, ok := c.Get("c"); ok {
		t.Error("Remove left the entry")
	}
}
