package phoneprov

import (
	"sync"
	"sync/atomic"
)

// defaultCacheBytes bounds the rendered bodies one snapshot keeps.
const defaultCacheBytes = 256 << 20

// renderKey identifies a rendered body: the route and the SERVER address it
// was rendered for ("" when SERVER is configured).
type renderKey struct {
	route  *Route
	server string
}

// renderCache keeps rendered bodies of one snapshot up to a byte budget.
// Past the budget bodies are rendered per request and not kept.
type renderCache struct {
	m      sync.Map // renderKey → *Rendered
	budget int64
	used   atomic.Int64
}

func newRenderCache(budget int64) *renderCache {
	return &renderCache{budget: budget}
}

func (c *renderCache) get(k renderKey) *Rendered {
	if v, ok := c.m.Load(k); ok {
		return v.(*Rendered)
	}
	return nil
}

// put stores r if it fits in the budget; it returns the cached body that
// won when two requests rendered at once.
func (c *renderCache) put(k renderKey, r *Rendered) *Rendered {
	size := int64(len(r.Body)) + 64
	if c.used.Add(size) > c.budget {
		c.used.Add(-size)
		return r
	}
	if prev, loaded := c.m.LoadOrStore(k, r); loaded {
		c.used.Add(-size)
		return prev.(*Rendered)
	}
	return r
}
