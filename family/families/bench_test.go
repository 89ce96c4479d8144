package families

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
)

// BenchmarkIdentify runs Identify over every documented User-Agent, as
// every HTTP request does (one op = one request).
func BenchmarkIdentify(b *testing.B) {
	uas := realUserAgents(b)
	reqs := make([]family.Request, len(uas))
	for i, tc := range uas {
		reqs[i] = family.Request{Proto: "http", UserAgent: tc.UA, Path: "0004f2a1b2c3.cfg"}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Identify(reqs[i])
		i++
		if i == len(reqs) {
			i = 0
		}
	}
}

// BenchmarkIdentifyUnknown is the cost for a User-Agent no matcher knows
// (scanners, browsers): every matcher is tried and rejects it.
func BenchmarkIdentifyUnknown(b *testing.B) {
	r := family.Request{Proto: "http", UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", Path: "index.html"}
	b.ReportAllocs()
	for b.Loop() {
		Identify(r)
	}
}

// BenchmarkIdentifyTFTP is the cost for a TFTP request: path only.
func BenchmarkIdentifyTFTP(b *testing.B) {
	r := family.Request{Proto: "tftp", Path: "SEP0004F2A1B2C3.cnf.xml"}
	b.ReportAllocs()
	for b.Loop() {
		Identify(r)
	}
}
