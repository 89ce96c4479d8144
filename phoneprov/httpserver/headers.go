package httpserver

import (
	"maps"
	"strconv"
	"sync"
	"sync/atomic"
)

// headerValues hands out the one-element value slices of the headers
// whose values repeat from response to response — Content-type by MIME
// type, Content-Length by size — each built once: net/http only reads
// them, and a boot storm need not allocate them per request.
type headerValues struct {
	lengths [sharedLengths]atomic.Pointer[[]string]

	mu    sync.Mutex // serializes additions to mimes
	mimes atomic.Pointer[map[string][]string]
}

// sharedLengths bounds the sizes whose Content-Length value is kept: every
// size below it (64 KiB, far more than a phone's config) costs one
// pointer, 512 KiB in all.
const sharedLengths = 64 << 10

// maxSharedMIMEs bounds the MIME types kept; they come from the
// configuration, and a handful is usual.
const maxSharedMIMEs = 256

// length returns the Content-Length value of a body of n bytes.
func (hv *headerValues) length(n int64) []string {
	if n < 0 || n >= sharedLengths {
		return []string{strconv.FormatInt(n, 10)}
	}
	slot := &hv.lengths[n]
	if v := slot.Load(); v != nil {
		return *v
	}
	v := []string{strconv.FormatInt(n, 10)}
	slot.CompareAndSwap(nil, &v)
	return *slot.Load()
}

// mime returns the Content-type value of MIME type m.
func (hv *headerValues) mime(m string) []string {
	if cur := hv.mimes.Load(); cur != nil {
		if v, ok := (*cur)[m]; ok {
			return v
		}
	}
	hv.mu.Lock()
	defer hv.mu.Unlock()
	var next map[string][]string
	if cur := hv.mimes.Load(); cur != nil {
		if v, ok := (*cur)[m]; ok {
			return v
		}
		if len(*cur) >= maxSharedMIMEs {
			return []string{m}
		}
		next = maps.Clone(*cur)
	} else {
		next = make(map[string][]string)
	}
	v := []string{m}
	next[m] = v
	hv.mimes.Store(&next)
	return v
}
