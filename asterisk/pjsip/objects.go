// Package pjsip reads the res_pjsip objects of a pjsip.conf that phone
// provisioning needs — endpoints, auths, transports and type=phoneprov
// sections — with the rules sorcery's config wizard applies.
package pjsip

import (
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
)

// Objects are the objects of one pjsip.conf.
type Objects struct {
	Endpoints  map[string]*Endpoint
	Auths      map[string]*Auth
	Transports map[string]*Transport
	// Phoneprovs are the type=phoneprov sections, in the order
	// res_pjsip_phoneprov_provider hands them to res_phoneprov.
	Phoneprovs []*Phoneprov
	Problems   []Problem
}

// Problem is something wrong with an object, with where it was declared.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Var is one name=value of a section, as sorcery applies it.
type Var struct{ Name, Value string }

// Endpoint is a type=endpoint section.
type Endpoint struct {
	ID            string
	Transport     string
	Auths         []string // inbound auths, in order
	OutboundAuths []string
	AORs          []string
	CallerIDName  string
	CallerIDNum   string
	Fields        []Var // every option as written, in order
	File          string
	Line          int
}

// Auth is a type=auth section.
type Auth struct {
	ID       string
	Username string
	Password string
	AuthType string
	File     string
	Line     int
}

// Transport is a type=transport section.
type Transport struct {
	ID       string
	Protocol string
	Bind     string
	Port     int // from bind; 5060, or 5061 for TLS, when bind has none
	File     string
	Line     int
}

// Phoneprov is a type=phoneprov section: every key but type, in order,
// empty values left out (assign_and_insert).
type Phoneprov struct {
	ID   string
	Vars []Var
	File string
	Line int
}

// FromConfig collects the objects of a parsed pjsip.conf. A section's type
// is the first "type" key it has (inherited ones first), compared exactly,
// as the config wizard's criteria do. Two objects of one type with the same
// id make Asterisk reject every object of that type; phoneprovd keeps the
// first and reports the second as a problem.
func FromConfig(cfg *config.Config) *Objects {
	o := &Objects{
		Endpoints:  make(map[string]*Endpoint),
		Auths:      make(map[string]*Auth),
		Transports: make(map[string]*Transport),
	}
	seenPP := make(map[string]*Phoneprov)
	for _, sec := range cfg.Browse() {
		typ, _ := sec.First("type")
		dup := func(kind string, first string, line int) {
			o.Problems = append(o.Problems, Problem{sec.File, sec.Line,
				fmt.Sprintf("duplicate %s [%s] (first declared at %s:%d); Asterisk rejects every %s of pjsip.conf for this", kind, sec.Name, first, line, kind)})
		}
		switch typ {
		case "endpoint":
			if e := o.Endpoints[sec.Name]; e != nil {
				dup("endpoint", e.File, e.Line)
				continue
			}
			o.Endpoints[sec.Name] = newEndpoint(sec)
		case "auth":
			if a := o.Auths[sec.Name]; a != nil {
				dup("auth", a.File, a.Line)
				continue
			}
			o.Auths[sec.Name] = newAuth(sec)
		case "transport":
			if t := o.Transports[sec.Name]; t != nil {
				dup("transport", t.File, t.Line)
				continue
			}
			o.Transports[sec.Name] = newTransport(sec)
		case "phoneprov":
			if p := seenPP[sec.Name]; p != nil {
				dup("phoneprov", p.File, p.Line)
				continue
			}
			p := newPhoneprov(sec)
			seenPP[sec.Name] = p
			o.Phoneprovs = append(o.Phoneprovs, p)
		}
	}
	sortSorcery(o.Phoneprovs)
	return o
}

func newEndpoint(sec *config.Section) *Endpoint {
	e := &Endpoint{ID: sec.Name, File: sec.File, Line: sec.Line}
	for _, v := range sec.Vars {
		if strings.EqualFold(v.Name, "type") {
			continue
		}
		e.Fields = append(e.Fields, Var{v.Name, v.Value})
		switch strings.ToLower(v.Name) {
		case "transport":
			e.Transport = v.Value
		case "auth":
			e.Auths = splitNames(v.Value)
		case "outbound_auth":
			e.OutboundAuths = splitNames(v.Value)
		case "aors":
			e.AORs = splitNames(v.Value)
		case "callerid":
			e.CallerIDName, e.CallerIDNum = SplitCallerID(v.Value)
		}
	}
	return e
}

func newAuth(sec *config.Section) *Auth {
	a := &Auth{ID: sec.Name, File: sec.File, Line: sec.Line, AuthType: "userpass"}
	for _, v := range sec.Vars {
		switch strings.ToLower(v.Name) {
		case "username":
			a.Username = v.Value
		case "password":
			a.Password = v.Value
		case "auth_type":
			a.AuthType = v.Value
		}
	}
	return a
}

func newTransport(sec *config.Section) *Transport {
	t := &Transport{ID: sec.Name, File: sec.File, Line: sec.Line, Protocol: "udp"}
	for _, v := range sec.Vars {
		switch strings.ToLower(v.Name) {
		case "bind":
			t.Bind = v.Value
		case "protocol":
			t.Protocol = v.Value
		}
	}
	t.Port = bindPort(t.Bind, t.Protocol)
	return t
}

func newPhoneprov(sec *config.Section) *Phoneprov {
	p := &Phoneprov{ID: sec.Name, File: sec.File, Line: sec.Line}
	for _, v := range sec.Vars {
		if strings.EqualFold(v.Name, "type") || v.Value == "" {
			continue
		}
		p.Vars = append(p.Vars, Var{v.Name, v.Value})
	}
	return p
}

// bindPort is the port of a transport's bind address, or the protocol's
// default when it has none (config_transport.c).
func bindPort(bind, protocol string) int {
	if _, port, err := net.SplitHostPort(strings.TrimSpace(bind)); err == nil {
		if n, err := strconv.Atoi(port); err == nil && n > 0 && n < 65536 {
			return n
		}
	}
	if strings.EqualFold(protocol, "tls") {
		return 5061
	}
	return 5060
}

// splitNames splits a comma list of object names, trimmed, empty ones left
// out (ast_sip_auth_vector_init).
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = cstring.Strip(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// sortSorcery orders phoneprov objects as sorcery's config wizard returns
// them: a hash container with as many buckets as the largest prime not above
// the object count, iterated bucket by bucket in insertion order.
func sortSorcery(pps []*Phoneprov) {
	buckets := len(pps)
	for buckets > 1 && !isPrime(buckets) {
		buckets--
	}
	if buckets < 1 {
		buckets = 1
	}
	sort.SliceStable(pps, func(i, j int) bool {
		return strHash(pps[i].ID)%uint32(buckets) < strHash(pps[j].ID)%uint32(buckets)
	})
}

func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return true
}

// strHash is ast_str_hash.
func strHash(s string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(s); i++ {
		h = h*33 ^ uint32(s[i])
	}
	return h & 0x7fffffff
}

// Field returns an endpoint option as PJSIP_ENDPOINT(name,field) would:
// field compared exactly, the last value written wins, callerid rendered as
// `"name" <number>`; ok is false when the file does not set it.
func (e *Endpoint) Field(field string) (string, bool) {
	val, ok := "", false
	for _, v := range e.Fields {
		if strings.EqualFold(v.Name, field) {
			val, ok = v.Value, true
		}
	}
	if !ok {
		return "", false
	}
	if field == "callerid" {
		return FormatCallerID(e.CallerIDName, e.CallerIDNum), true
	}
	return val, true
}

// FormatCallerID renders a caller ID as res_pjsip prints it.
func FormatCallerID(name, number string) string {
	return fmt.Sprintf("\"%s\" <%s>", name, number)
}
