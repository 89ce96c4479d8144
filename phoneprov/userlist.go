package phoneprov

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// A phone book lists every other phone: rendered into each phone's body,
// N phones make N bodies of N entries, N² bytes to render, hash and hold.
// A PP_EACH_USER call written directly in a template therefore renders each
// phone's entry once per snapshot into a userList, and a body leaves a
// splice (subst.Splice) where the list goes; the body is then its own
// bytes with slices of the shared list in between (Rendered.chunks), the
// bytes served being exactly those of the flat render.

// userList is PP_EACH_USER's output for one template over every phone of
// a snapshot, in the snapshot's order: entry i is phone i's first line
// rendered through the template, with no request (no per-request SERVER).
type userList struct {
	text []byte
	ends []int // entry i is text[start(i):ends[i]]
	// perRequest marks the entries that looked a request variable up
	// (SERVER, PROV_PORT, PROV_SCHEME): their phone's own entry, when
	// listed in its own body, is rendered for the request.
	perRequest []bool
	// sensitive reports that an entry looked a secret-bearing variable up.
	sensitive bool
	// fold finds the entries a MAC excludes; collide reports two phones
	// whose MACs differ only in case (then exclusion scans every entry).
	fold    map[string]int
	collide bool
	// prefix[i] is the hash of text[:start(i)], for fingerprints (bodyHash).
	prefix []polyHash
	// ok is false when the list cannot stand for the flat render: an entry
	// depends on the time, sets a variable, holds a NUL or hit a limit.
	ok bool
}

func (l *userList) start(i int) int {
	if i == 0 {
		return 0
	}
	return l.ends[i-1]
}

// userLists are a snapshot's lists by template text, built on first use.
type userLists struct {
	s  *Snapshot
	mu sync.Mutex
	m  map[string]*userListOnce
}

type userListOnce struct {
	once sync.Once
	list *userList
}

// maxUserLists bounds the lists one snapshot keeps: a template whose
// PP_EACH_USER text differs per phone renders flat past it.
const maxUserLists = 64

// get returns the list for tmpl (a PP_EACH_USER template with %{ already
// turned into ${), or nil when there is none to share.
func (ul *userLists) get(tmpl string) *userList {
	ul.mu.Lock()
	e := ul.m[tmpl]
	if e == nil {
		if len(ul.m) >= maxUserLists {
			ul.mu.Unlock()
			return nil
		}
		e = new(userListOnce)
		ul.m[tmpl] = e
	}
	ul.mu.Unlock()
	e.once.Do(func() { e.list = ul.s.buildUserList(tmpl) })
	if !e.list.ok {
		return nil
	}
	return e.list
}

// buildUserList renders every phone's entry of tmpl.
func (s *Snapshot) buildUserList(tmpl string) *userList {
	l := &userList{
		ends:       make([]int, len(s.phones)),
		perRequest: make([]bool, len(s.phones)),
		fold:       make(map[string]int, len(s.phones)),
		prefix:     make([]polyHash, len(s.phones)+1),
		ok:         true,
	}
	var buf []byte
	for i, p := range s.phones {
		key := foldMAC(p.MAC)
		if _, dup := l.fold[key]; dup || key == "" {
			l.collide = true
		} else {
			l.fold[key] = i
		}
		start := len(buf)
		var res subst.Result
		buf, res = s.engine.AppendSubstitute(buf, tmpl, lineScope{vars: p.Lines[0].Vars, phone: p},
			subst.Options{
				InhibitEscalations: !s.opts.LiveDangerously,
				OnLookup: func(name string) {
					switch {
					case slices.Contains(RequestVariables, name):
						l.perRequest[i] = true
					case s.secretVars[name]:
						l.sensitive = true
					}
				},
			})
		if res.Volatile || res.SetVars || res.Err != nil || bytes.IndexByte(buf[start:], 0) >= 0 {
			return &userList{}
		}
		l.ends[i] = len(buf)
		l.prefix[i+1] = l.prefix[i].extend(buf[start:])
	}
	l.text = make([]byte, len(buf))
	copy(l.text, buf)
	return l
}

// foldMAC returns the key under which strings.EqualFold matches MACs, or
// "" for one with non-ASCII bytes (Unicode folding is not lower-casing).
func foldMAC(mac string) string {
	for i := 0; i < len(mac); i++ {
		if mac[i] >= 0x80 {
			return ""
		}
	}
	return strings.ToLower(mac)
}

// excluded returns the entries PP_EACH_USER leaves out for exclude, in
// order: those whose phone's MAC equals it ignoring case.
func (l *userList) excluded(exclude string, phones []*Phone) []int {
	if exclude == "" {
		return nil
	}
	key := foldMAC(exclude)
	if l.collide || key == "" {
		var out []int
		for i, p := range phones {
			if strings.EqualFold(p.MAC, exclude) {
				out = append(out, i)
			}
		}
		return out
	}
	if i, ok := l.fold[key]; ok {
		return []int{i}
	}
	return nil
}

// splice returns what a direct PP_EACH_USER(tmpl,exclude) call of the
// render c stands for, or nil when the list cannot be shared.
func (ul *userLists) splice(c *subst.Call, tmpl, exclude string, req *request) *listSplice {
	l := ul.get(tmpl)
	if l == nil {
		return nil
	}
	sp := &listSplice{list: l, skip: l.excluded(exclude, ul.s.phones), own: -1}
	if req != nil && req.phone != nil && req.at != (Reached{}) {
		// The requesting phone's own entry sees the request's variables.
		if i := req.phone.pos; i < len(l.perRequest) && l.perRequest[i] && !slices.Contains(sp.skip, i) {
			p := req.phone
			sp.own = i
			sp.ownText = []byte(c.Substitute(tmpl, lineScope{vars: p.Lines[0].Vars, phone: p, req: req}))
		}
	}
	return sp
}

// listSplice is what a body's PP_EACH_USER call stands for: the list
// without the excluded entries, with entry own (its requesting phone's,
// or -1) replaced by ownText.
type listSplice struct {
	list    *userList
	skip    []int
	own     int
	ownText []byte
}

// pieces calls entries for each run of listed entries [i, j) and own for
// the requesting phone's own entry, in order.
func (sp *listSplice) pieces(entries func(i, j int), own func(text []byte)) {
	from, k, mine := 0, 0, sp.own
	for k < len(sp.skip) || mine >= 0 {
		at := mine
		if mine < 0 || (k < len(sp.skip) && sp.skip[k] < mine) {
			at = sp.skip[k]
			k++
		} else {
			mine = -1
		}
		entries(from, at)
		if at == sp.own {
			own(sp.ownText)
		}
		from = at + 1
	}
	entries(from, len(sp.list.ends))
}

// addTo appends the splice's bytes to b as pieces of the list.
func (sp *listSplice) addTo(b *piecesBuilder) {
	l := sp.list
	sp.pieces(func(i, j int) {
		if i < j {
			b.add(l.text, l.start(i), l.ends[j-1]-l.start(i))
		}
	}, func(text []byte) {
		b.add(text, 0, len(text))
	})
}

// size is the number of bytes the splice stands for.
func (sp *listSplice) size() int {
	n := 0
	sp.pieces(func(i, j int) {
		if i < j {
			n += sp.list.ends[j-1] - sp.list.start(i)
		}
	}, func(text []byte) { n += len(text) })
	return n
}

// hash is the polyHash of the splice's bytes, from the list's prefix
// hashes: O(excluded entries), not O(list).
func (sp *listSplice) hash() polyHash {
	var h polyHash
	sp.pieces(func(i, j int) {
		if i < j {
			h = h.concat(sp.list.prefix[j].suffixAfter(sp.list.prefix[i]))
		}
	}, func(text []byte) { h = h.extend(text) })
	return h
}
