package inventory

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
)

// FuzzRecord checks that a record stored in binary reads back as the same
// device, and that any bytes read as a record either decode or are
// refused, never a panic.
func FuzzRecord(f *testing.F) {
	f.Add("0004f2000001", "Polycom", "VVX 400", "PolycomVVX-VVX_400-UA/5.9.0", "10.0.0.1", "0004f2000001.cfg", "200", int64(1795000000123456789), uint64(3), true, []byte{recordFormat, 0xff})
	f.Add("", "<&>\"\\", "\x00\x1f\b\f\n\r\t", "\xff\xfe", "\u2028\u2029", "é😀", "", int64(0), uint64(0), false, []byte(`{"mac":"0004f2000001"}`))
	f.Fuzz(func(t *testing.T, mac, vendor, model, ua, ip, file, status string, at int64, reqs uint64, configured bool, junk []byte) {
		var w words
		r := &record{Device: Device{MAC: mac, Vendor: vendor, Model: model, Firmware: status, UserAgent: ua, LastIP: ip,
			FirstSeen: time.Unix(0, at/2).UTC(), LastSeen: time.Unix(0, at).UTC(), Requests: reqs, Configured: configured}}
		if at%5 == 1 {
			r.DHCP = &dhcp.Lease{IP: ip, VendorClass: ua, Identity: dhcp.Identity{Vendor: vendor, Model: model}, Source: "dnsmasq", Active: configured, At: time.Unix(0, at).UTC()}
		}
		if at%3 != 0 {
			r.add(fetch{at: at, bytes: int64(reqs), file: file, proto: w.id("http"), status: w.id(status)})
			r.add(fetch{at: at + 1, file: ua, proto: w.id("tftp")})
		}
		if at%7 == 0 { // a full history that wrapped around
			for i := range HistoryLen + 3 {
				r.add(fetch{at: at + int64(i), bytes: int64(-i), file: file, proto: w.id("http"), status: w.id("200")})
			}
		}
		want := r.device(&w)
		if want.FirstSeen.UnixNano() == 0 {
			want.FirstSeen = time.Time{}
		}
		if want.LastSeen.UnixNano() == 0 {
			want.LastSeen = time.Time{}
		}
		for i := range want.Files {
			want.Files[i].At = want.Files[i].At.UTC()
			if want.Files[i].At.UnixNano() == 0 {
				want.Files[i].At = time.Time{}
			}
		}
		if want.DHCP != nil {
			// A lease goes through JSON: compare it as JSON reads it back.
			b, _ := json.Marshal(want.DHCP)
			var l dhcp.Lease
			json.Unmarshal(b, &l)
			want.DHCP = &l
		}
		got, err := decodeBinaryRecord(appendRecord(nil, r, &w))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
		decodeRecord(junk)
	})
}

func BenchmarkCollect(b *testing.B) {
	var w words
	r := &record{Device: Device{MAC: "0004f2000001", Vendor: "Polycom", Model: "VVX 400", UserAgent: "PolycomVVX-VVX_400-UA/5.9.0", LastIP: "10.0.0.1", FirstSeen: time.Now(), LastSeen: time.Now(), Requests: 40}}
	for i := range HistoryLen {
		r.add(fetch{at: time.Now().UnixNano() + int64(i), bytes: 1234, file: "0004f2000001-phone.cfg", proto: w.id("http"), status: w.id("200")})
	}
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(r.device(&w))
		}
	})
	b.Run("appendRecord", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = appendRecord(buf[:0], r, &w)
		}
		b.ReportMetric(float64(len(buf)), "bytes")
	})
}
