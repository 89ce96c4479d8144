package inventory

import (
	"bytes"

	"encoding/json"
	"github.com/phoneprovd/phoneprovd/dhcp"
	"testing"
	"time"
)

// FuzzRecordJSON checks that the hand-written encoder writes exactly what
// encoding/json writes for the same device.
func FuzzRecordJSON(f *testing.F) {
	f.Add("0004f2000001", "Polycom", "VVX 400", "PolycomVVX-VVX_400-UA/5.9.0", "10.0.0.1", "0004f2000001.cfg", "200", int64(1795000000123456789), uint64(3), true)
	f.Add("", "<&>\"\\", "\x00\x1f\b\f\n\r\t", "\xff\xfe", "\u2028\u2029", "é😀", "", int64(0), uint64(0), false)
	f.Fuzz(func(t *testing.T, mac, vendor, model, ua, ip, file, status string, at int64, reqs uint64, configured bool) {
		var w words
		r := &record{Device: Device{MAC: mac, Vendor: vendor, Model: model, Firmware: status, UserAgent: ua, LastIP: ip,
			FirstSeen: time.Unix(0, at/2).UTC(), LastSeen: time.Unix(0, at).In(time.FixedZone("x", 3600)), Requests: reqs, Configured: configured}}
		if at%5 == 1 {
			r.DHCP = &dhcp.Lease{IP: ip, VendorClass: ua, Identity: dhcp.Identity{Vendor: vendor, Model: model}, Source: "dnsmasq", Active: configured, At: time.Unix(0, at).UTC()}
		}
		if at%3 != 0 {
			r.history = []fetch{{at: at, bytes: int64(reqs), file: file, proto: w.id("http"), status: w.id(status)}, {at: at + 1, file: ua, proto: w.id("tftp")}}
		}
		want, err := json.Marshal(r.device(&w))
		if err != nil {
			t.Skip(err) // a time json cannot encode (year past 9999)
		}
		if got := appendRecordJSON(nil, r, &w); !bytes.Equal(got, want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}

func BenchmarkCollect(b *testing.B) {
	var w words
	r := &record{Device: Device{MAC: "0004f2000001", Vendor: "Polycom", Model: "VVX 400", UserAgent: "PolycomVVX-VVX_400-UA/5.9.0", LastIP: "10.0.0.1", FirstSeen: time.Now(), LastSeen: time.Now(), Requests: 40}}
	for i := range HistoryLen {
		r.history = append(r.history, fetch{at: time.Now().UnixNano() + int64(i), bytes: 1234, file: "0004f2000001-phone.cfg", proto: w.id("http"), status: w.id("200")})
	}
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(r.device(&w))
		}
	})
	b.Run("appendRecordJSON", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = appendRecordJSON(buf[:0], r, &w)
		}
	})
}
