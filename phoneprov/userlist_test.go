package phoneprov

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// flatRender renders r as it was before phone books were shared: every
// PP_EACH_USER entry substituted into the body (no splices).
func flatRender(t *testing.T, s *Snapshot, r *Route, at Reached) []byte {
	t.Helper()
	text, err := s.texts.get(r.File.Template)
	if err != nil {
		t.Fatal(err)
	}
	at = s.reached(r.Phone, at)
	out, _ := s.engine.AppendSubstitute(nil, text, lineScope{vars: r.Phone.Lines[0].Vars, phone: r.Phone, req: &request{phone: r.Phone, at: at}},
		subst.Options{InhibitEscalations: !s.opts.LiveDangerously})
	return out
}

// TestSharedPhonebookBytes renders phone books every way PP_EACH_USER can
// be written and checks that what is served — whether the list was shared
// or not — is byte for byte the flat render, with a sum that stands for
// those bytes.
func TestSharedPhonebookBytes(t *testing.T) {
	const users = `
		[general]
		[6001]
		username = 6001
		fullname = Ann
		secret = sek6001
		macaddress = 0004f2000001
		autoprov = yes
		[6002]
		username = 6002
		fullname = Bob
		secret = sek6002
		macaddress = 0004F2000002
		autoprov = yes
		[6003]
		username = 6003
		fullname = Cy
		secret = sek6003
		macaddress = 0004f2000002
		autoprov = yes
		[6004]
		username = 6004
		fullname = Di
		secret = sek6004
		macaddress = 0004f2000004
		autoprov = yes
		setvar = SERVER=10.9.9.9
	`
	for _, tt := range []struct {
		name, tmpl string
		shared     bool // the list is spliced, not rendered into the body
		sensitive  bool
	}{
		{"leaves the phone out", "<b>\n${PP_EACH_USER(<e>%{DISPLAY_NAME}</e>\n,${MAC})}</b>\n", true, false},
		{"leaves it out in upper case", "${PP_EACH_USER(<%{USERNAME}>,${TOUPPER(${MAC})})}", true, false},
		{"lists every phone, SERVER per request", "${PP_EACH_USER(%{USERNAME}@%{SERVER};)}|", true, false},
		{"lists every phone, port and scheme per request", "${PP_EACH_USER(%{PROV_SCHEME}://%{USERNAME}:%{PROV_PORT};)}|", true, false},
		{"excludes nobody it knows", "${PP_EACH_USER(%{USERNAME};,ffffffffffff)}", true, false},
		{"two lists", "${PP_EACH_USER(a%{USERNAME},${MAC})}/${PP_EACH_USER(b%{LINE}%{SERVER})}", true, false},
		{"holds secrets", "${PP_EACH_USER(%{USERNAME}:%{SECRET} )}", true, true},
		{"inside another function", "${TOUPPER(${PP_EACH_USER(%{USERNAME},${MAC})})}", false, false},
		{"with an offset", "${PP_EACH_USER(%{USERNAME}.,${MAC}):3}", false, false},
		{"after a SET", "${SET(X=1)}${PP_EACH_USER(%{USERNAME}%{X})}", false, false},
		{"an entry sets a variable", "${PP_EACH_USER(%{SET(Y=%{USERNAME})}%{Y})}", false, false},
		{"an entry depends on the time", "${PP_EACH_USER(%{USERNAME}%{EPOCH})}", false, false},
		{"an entry's NUL-ended function value", "${PP_EACH_USER(%{USERNAME}%{BASE64_DECODE(AA==)}x)}", true, false},
		{"an entry holds a NUL", "${PP_EACH_USER(%{USERNAME}%{WITHNUL}x)}", false, false},
		{"empty list template", "[${PP_EACH_USER()}]", false, false},
		{"long template text around it", long + "${PP_EACH_USER(%{USERNAME}.,${MAC})}" + long + "${MAC}" + long, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := newSite(t)
			st.cf("phoneprov.conf", "[general]\ndefault_profile = p\n[p]\n${MAC}-book.xml => book.xml\n")
			st.cf("users.conf", users)
			st.tmpl("book.xml", tt.tmpl)
			snap := st.load()
			// A value with a NUL (live data could carry one): the flat
			// render's PP_EACH_USER value ends there.
			l := snap.Phones()[1].Lines[0]
			l.Vars = append(l.Vars, subst.Var{Name: "WITHNUL", Value: "a\x00b"})
			for _, p := range snap.Phones() {
				r := snap.Route(p.MAC + "-book.xml")
				for _, at := range []Reached{{Server: "192.0.2.1", Port: 8080, Scheme: "http"}, {Server: "2001:db8::1", Port: 8443, Scheme: "https"}, {}} {
					body, err := snap.RenderReached(r, at)
					if err != nil {
						t.Fatal(err)
					}
					want := flatRender(t, snap, r, at)
					got := body.Bytes()
					if !bytes.Equal(got, want) {
						t.Fatalf("%s for %+v:\n got %q\nwant %q", r.URI, at, got, want)
					}
					if body.Len() != len(want) {
						t.Errorf("Len %d, want %d", body.Len(), len(want))
					}
					var w bytes.Buffer
					if n, err := body.WriteTo(&w); err != nil || n != int64(len(want)) || !bytes.Equal(w.Bytes(), want) {
						t.Errorf("WriteTo: %d %v %q", n, err, w.Bytes())
					}
					if err := iotest.TestReader(body.NewReader(), want); err != nil {
						t.Errorf("NewReader: %v", err)
					}
					shared := splicesList(snap, body)
					if shared != tt.shared {
						t.Errorf("shared %v, want %v", shared, tt.shared)
					}
					switch {
					case shared && body.sum != (polyHash{}).extend(want).sum():
						t.Error("the sum of a shared body does not stand for its bytes")
					case !shared && !body.Volatile && body.sum != sha256.Sum256(want):
						t.Error("the sum of a body is not the SHA-256 of its bytes")
					}
					if body.Sensitive != tt.sensitive {
						t.Errorf("Sensitive %v, want %v", body.Sensitive, tt.sensitive)
					}
					if want := holdsSecret(want, p); body.HoldsSecret != want {
						t.Errorf("HoldsSecret %v, want %v", body.HoldsSecret, want)
					}
				}
			}
		})
	}
}

// long is template text long enough to be shared with the bodies.
var long = "\n<!-- " + strings.Repeat("text every phone gets ", 8) + "-->\n"

// TestTemplateTextIsShared checks that bodies keep the long runs of their
// template's text as pieces of it, not copies, and serve the same bytes.
func TestTemplateTextIsShared(t *testing.T) {
	st := newSite(t)
	st.cf("phoneprov.conf", "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n${MAC}-short.cfg => s.cfg\n")
	st.cf("users.conf", "[6001]\nusername = 6001\nsecret = sek\nmacaddress = 0004f2000001\nautoprov = yes\n"+
		"[6002]\nusername = 6002\nsecret = kes\nmacaddress = 0004f2000002\nautoprov = yes\n")
	st.tmpl("t.cfg", long+"user=${USERNAME}"+long+"pw=${SECRET}$"+long+"${CUT(MAC,,1)}"+long)
	st.tmpl("s.cfg", "short ${USERNAME} text\n")
	snap := st.load()
	tf, _ := snap.texts.file("t.cfg")
	for _, server := range []string{"", "192.0.2.7"} {
		r := snap.Route("0004f2000001.cfg")
		body, err := snap.Render(r, server)
		if err != nil {
			t.Fatal(err)
		}
		want := flatRender(t, snap, r, Reached{Server: server})
		if got := body.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("got %q\nwant %q", got, want)
		}
		if body.Flat() != nil || body.srcs == nil || len(*body.srcs) != 2 || &(*body.srcs)[1][0] != &tf.raw[0] {
			t.Fatalf("the template's text is not shared: %v", body.srcs)
		}
		if body.held() >= len(want)/2 {
			t.Errorf("holds %d of %d bytes", body.held(), len(want))
		}
		if !body.Sensitive || !body.HoldsSecret || body.sum != sha256.Sum256(want) {
			t.Errorf("Sensitive %v HoldsSecret %v, sum matches %v", body.Sensitive, body.HoldsSecret, body.sum == sha256.Sum256(want))
		}
		if err := iotest.TestReader(body.NewReader(), want); err != nil {
			t.Error(err)
		}
	}
	// The phones' bodies share one slice of sources, not one each.
	one, _ := snap.Render(snap.Route("0004f2000001.cfg"), "")
	two, _ := snap.Render(snap.Route("0004f2000002.cfg"), "")
	if one == nil || two == nil || one.srcs == nil || one.srcs != two.srcs {
		t.Error("two phones' bodies of one template hold their sources apart")
	}
	if short, _ := snap.Render(snap.Route("0004f2000001-short.cfg"), ""); short.Flat() == nil {
		t.Error("a short body is kept in pieces")
	}
}

// splicesList reports whether b holds pieces of one of s's shared lists.
func splicesList(s *Snapshot, b *Rendered) bool {
	for _, e := range s.userLists.m {
		if e.list == nil || len(e.list.text) == 0 {
			continue
		}
		if b.srcs == nil {
			return false
		}
		for _, src := range *b.srcs {
			if len(src) > 0 && &src[0] == &e.list.text[0] {
				return true
			}
		}
	}
	return false
}

// TestSharedPhonebookIsRenderedOnce checks what sharing is for: a phone
// book of n phones costs the render cache the body's own bytes, not n
// entries per phone.
func TestSharedPhonebookIsRenderedOnce(t *testing.T) {
	st := newSite(t)
	st.cf("phoneprov.conf", "[general]\ndefault_profile = p\n[p]\n${MAC}-book.xml => book.xml\n")
	var u strings.Builder
	u.WriteString("[general]\n")
	const n = 500
	for i := range n {
		u.WriteString("[" + itoa(7000+i) + "]\nusername = " + itoa(7000+i) + "\nfullname = Some Body\nmacaddress = 0004f2" + pad6(i) + "\nautoprov = yes\n")
	}
	st.cf("users.conf", u.String())
	st.tmpl("book.xml", "<book>${PP_EACH_USER(<entry name='%{DISPLAY_NAME}' number='%{USERNAME}'/>,${MAC})}</book>")
	snap := st.load()
	snap.Fingerprints("192.0.2.1", nil)
	if used := snap.cache.used.Load(); used > n*400 { // a flat phone book is ~30 KB
		t.Errorf("render cache holds %d bytes for %d phone books of %d entries", used, n, n-1)
	}
	if len(snap.userLists.m) != 1 {
		t.Errorf("%d shared lists, want 1", len(snap.userLists.m))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func pad6(i int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 6)
	for k := 5; k >= 0; k-- {
		b[k] = hex[i&15]
		i >>= 4
	}
	return string(b)
}

// TestPolyHash checks that hashes compose: the hash of a concatenation
// from its parts' hashes, and a part's from the whole and the prefix.
func TestPolyHash(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		a := make([]byte, rng.IntN(300))
		b := make([]byte, rng.IntN(300))
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		ha, hb := polyHash{}.extend(a), polyHash{}.extend(b)
		whole := polyHash{}.extend(append(append([]byte(nil), a...), b...))
		if ha.concat(hb) != whole {
			t.Fatalf("concat of %d and %d bytes differs from the whole", len(a), len(b))
		}
		if ha.extend(b) != whole {
			t.Fatal("extend differs from the whole")
		}
		if whole.suffixAfter(ha) != hb {
			t.Fatal("suffixAfter differs from the part")
		}
	}
	// Different strings of the same length, and the same bytes with a
	// leading zero, differ.
	if (polyHash{}).extend([]byte("ab")).sum() == (polyHash{}).extend([]byte("ba")).sum() {
		t.Error("ab and ba collide")
	}
	if (polyHash{}).extend([]byte("\x00a")).sum() == (polyHash{}).extend([]byte("a")).sum() {
		t.Error("a leading NUL is invisible")
	}
}
