package phoneprov

import (
	"sync/atomic"
)

// defaultCacheBytes bounds the rendered bodies one snapshot keeps.
const defaultCacheBytes = 256 << 20

// renderCache keeps rendered bodies of one snapshot, up to a byte budget;
// past it bodies are rendered per request and not kept. Each route holds
// its own bodies, one per place requests reached (SERVER address, port
// and scheme; usually one or two), in a copy-on-write list: a lookup takes no lock and allocates
// nothing.
type renderCache struct {
	budget int64
	used   atomic.Int64
}

func newRenderCache(budget int64) *renderCache {
	return &renderCache{budget: budget}
}

// cachedBody is a body rendered for requests that reached at (its Server
// "" when SERVER is configured).
type cachedBody struct {
	at   Reached
	body *Rendered
}

func (c *renderCache) get(r *Route, at Reached) *Rendered {
	if list := r.rendered.Load(); list != nil {
		for i := range *list {
			if (*list)[i].at == at {
				return (*list)[i].body
			}
		}
	}
	return nil
}

// put stores body if it fits in the budget; it returns the cached body
// that won when two requests rendered at once.
func (c *renderCache) put(r *Route, at Reached, body *Rendered) *Rendered {
	size := int64(body.held()) + 64
	if c.used.Add(size) > c.budget {
		c.used.Add(-size)
		return body
	}
	for {
		old := r.rendered.Load()
		var next []cachedBody
		if old != nil {
			for _, e := range *old {
				if e.at == at {
					c.used.Add(-size)
					return e.body
				}
			}
			next = append(next, *old...)
		}
		next = append(next, cachedBody{at, body})
		if r.rendered.CompareAndSwap(old, &next) {
			return body
		}
	}
}
