package phoneprov

import (
	"sync/atomic"
)

// defaultCacheBytes bounds the rendered bodies one snapshot keeps.
const defaultCacheBytes = 256 << 20

// renderCache keeps rendered bodies of one snapshot, up to a byte budget;
// past it bodies are rendered per request and not kept. Each route holds
// its own bodies, one per place requests reached (SERVER address, port
// and scheme; usually one or two), in a list linked through the bodies
// and only ever prepended to: a lookup takes no lock, allocates nothing,
// and touches no memory but the route's and the body's.
type renderCache struct {
	budget int64
	used   atomic.Int64
}

func newRenderCache(budget int64) *renderCache {
	return &renderCache{budget: budget}
}

func (c *renderCache) get(r *Route, at Reached) *Rendered {
	for b := r.rendered.Load(); b != nil; b = b.next {
		if b.at == at {
			return b
		}
	}
	return nil
}

// put stores body if it fits in the budget; it returns the cached body
// that won when two requests rendered at once. body is one just made:
// the route's list runs through its at and next.
func (c *renderCache) put(r *Route, at Reached, body *Rendered) *Rendered {
	size := int64(body.held()) + 64
	if c.used.Add(size) > c.budget {
		c.used.Add(-size)
		return body
	}
	for {
		head := r.rendered.Load()
		for b := head; b != nil; b = b.next {
			if b.at == at {
				c.used.Add(-size)
				return b
			}
		}
		body.at, body.next = at, head
		if r.rendered.CompareAndSwap(head, body) {
			return body
		}
	}
}
