package phoneprov

import (
	"bytes"
	"testing"
	"testing/iotest"
)

func TestPieces(t *testing.T) {
	tmpl := []byte("<config>\n  <line reg.1.address=\"\n  </line>\n</config>\n")
	list := []byte("<item>1</item><item>2</item><item>3</item>")
	tests := []struct {
		name string
		own  string
		add  func(b *piecesBuilder, own []byte)
		want string
	}{
		{"template only", "", func(b *piecesBuilder, own []byte) {
			b.add(tmpl, 0, len(tmpl))
		}, string(tmpl)},
		{"own, template, own", "ab", func(b *piecesBuilder, own []byte) {
			b.add(own, 0, 1)
			b.add(tmpl, 9, 10)
			b.add(own, 1, 1)
		}, "a" + string(tmpl[9:19]) + "b"},
		{"runs merged", "xyz", func(b *piecesBuilder, own []byte) {
			b.add(tmpl, 0, 5)
			b.add(tmpl, 5, 5)
			b.add(own, 0, 2)
			b.add(own, 2, 1)
		}, string(tmpl[:10]) + "xyz"},
		{"a list with an entry left out", "-", func(b *piecesBuilder, own []byte) {
			b.add(list, 0, 14)
			b.add(own, 0, 1)
			b.add(list, 28, 14)
			b.add(tmpl, 0, 8)
		}, "<item>1</item>-<item>3</item><config>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sets sourceSets
			b := newPiecesBuilder([]byte(tt.own), 4, 2)
			tt.add(b, b.srcs[0])
			if !b.ok {
				t.Fatal("not ok")
			}
			p := b.done(&sets)
			if got := p.appendTo(nil); string(got) != tt.want {
				t.Errorf("appendTo = %q, want %q", got, tt.want)
			}
			var w bytes.Buffer
			if n, err := p.writeTo(&w); err != nil || n != int64(len(tt.want)) || w.String() != tt.want {
				t.Errorf("writeTo = %d %v %q", n, err, w.String())
			}
			if err := iotest.TestReader(&piecesReader{p: &p}, []byte(tt.want)); err != nil {
				t.Error(err)
			}
			if p.size != len(tt.want) || len(p.data) != 8*p.nseg+len(tt.own) || !p.inPieces() {
				t.Errorf("size %d, data %d bytes, nseg %d", p.size, len(p.data), p.nseg)
			}
			if p.srcs != nil && (*p.srcs)[0] != nil {
				t.Error("srcs[0] is not nil: the own bytes are in data")
			}
			// The own bytes are data's tail, not a second allocation.
			if own := p.data[8*p.nseg:]; string(own) != tt.own {
				t.Errorf("own bytes %q, want %q", own, tt.own)
			}
		})
	}
}

func TestSourceSetsShared(t *testing.T) {
	tmpl := []byte("the template's text")
	list := []byte("a shared list")
	other := []byte("another template")
	var sets sourceSets
	build := func(own string, srcs ...[]byte) pieces {
		b := newPiecesBuilder([]byte(own), 4, 4)
		b.add(b.srcs[0], 0, len(own))
		for _, s := range srcs {
			b.add(s, 0, len(s))
		}
		return b.done(&sets)
	}
	a, b := build("1", tmpl, list), build("22", tmpl, list)
	c, d := build("3", tmpl), build("4", other, list)
	if a.srcs != b.srcs {
		t.Error("two bodies with the same sources do not share them")
	}
	if a.srcs == c.srcs || a.srcs == d.srcs || c.srcs == d.srcs {
		t.Error("bodies with other sources share theirs")
	}
	for _, tt := range []struct {
		p    pieces
		want string
	}{{a, "1the template's texta shared list"}, {b, "22the template's texta shared list"}, {c, "3the template's text"}, {d, "4another templatea shared list"}} {
		if got := tt.p.appendTo(nil); string(got) != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	if own := build("only own"); own.srcs != nil || string(own.appendTo(nil)) != "only own" {
		t.Errorf("a body of own bytes only: srcs %v, %q", own.srcs, own.appendTo(nil))
	}
}

// TestPiecesEmpty checks that a builder given no piece makes an empty flat
// body, not one in pieces.
func TestPiecesEmpty(t *testing.T) {
	var sets sourceSets
	p := newPiecesBuilder(nil, 0, 0).done(&sets)
	if p.inPieces() || len(p.data) != 0 || p.srcs != nil || len(p.appendTo(nil)) != 0 {
		t.Errorf("empty body: %+v", p)
	}
}
